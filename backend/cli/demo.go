package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"hubextract/backend/demo"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

const demoUsage = "hubextract demo [--db PATH] [--scale N] [--latency MS] [--rate N] [--seed N]"

// Demo defaults: about a thousand records per type behind HubSpot's usual
// latency, extracted at the default 100 calls per 10 s.
const (
	demoScale   = 1000
	demoLatency = 250 * time.Millisecond
	demoJitter  = 100 * time.Millisecond
)

func init() {
	register(command{
		name:    "demo",
		summary: "extract everything from a built-in fake HubSpot into a demo database",
		usage:   demoUsage,
		run:     runDemo,
	})
}

func runDemo(ctx context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("demo", demoUsage)
	dbPath := fs.String("db", "", "demo database `file` (default demo.db beside the real database)")
	scale := fs.Int("scale", demoScale, "records per object type (`N`)")
	latency := fs.Int("latency", int(demoLatency/time.Millisecond), "mean latency of each call in `MS` (±100 ms of jitter when at least 100)")
	rate := fs.Int("rate", hubspot.DefaultRatePer10s, "calls per 10 seconds the fake allows and the extraction uses (`N`)")
	seed := fs.Int64("seed", 1, "seed of the generated data (`N`)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 || *scale <= 0 || *latency < 0 || *rate <= 0 {
		fs.Usage()
		return exitUsage
	}
	path := *dbPath
	if path == "" {
		p, err := demoDBPath()
		if err != nil {
			fmt.Fprintf(env.Stderr, "hubextract demo: %v\n", err)
			return exitFailure
		}
		path = p
	}
	lat := time.Duration(*latency) * time.Millisecond
	hub, err := demo.Start(demo.Options{Scale: *scale, Latency: lat, Jitter: min(demoJitter, lat), Seed: *seed, RatePer10s: *rate})
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: %v\n", err)
		return exitFailure
	}
	defer hub.Stop()
	db, err := openDB(ctx, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	fmt.Fprintf(env.Stderr, "Demo: a fake HubSpot with %s records per type at %s (%dms latency), into %s\n",
		fmtInt(int64(*scale)), hub.URL, *latency, path)
	return extractInto(ctx, env, "demo", db, extract.Options{
		Client: hubspot.New(hub.Token, hubspot.WithBaseURL(hub.URL), hubspot.WithRateLimit(*rate)),
	})
}

// demoDBPath is demo.db in the folder of the real database.
func demoDBPath() (string, error) {
	p, err := store.DefaultPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "demo.db"), nil
}
