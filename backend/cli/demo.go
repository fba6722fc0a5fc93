package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
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
	demoToken   = "demo-token"
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
	cfg := fakehub.Config{Token: demoToken, Seed: *seed, Scale: *scale, Latency: lat, Jitter: min(demoJitter, lat),
		RatePer10s: *rate, SearchRatePerSec: 5}
	baseURL, stop, err := serveFake(cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: start the fake HubSpot: %v\n", err)
		return exitFailure
	}
	defer stop()
	db, err := openDB(ctx, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	fmt.Fprintf(env.Stderr, "Demo: a fake HubSpot with %s records per type at %s (%dms latency), into %s\n",
		fmtInt(int64(*scale)), baseURL, *latency, path)
	return extractInto(ctx, env, "demo", db, extract.Options{
		Token:  demoToken,
		Client: []hubspot.Option{hubspot.WithBaseURL(baseURL), hubspot.WithRateLimit(*rate)},
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

// serveFake serves a fake HubSpot on a loopback port until stop is called.
func serveFake(cfg fakehub.Config) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: fakehub.New(cfg), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Serve ends with ErrServerClosed on stop; should the listener
		// break before, the run reports the calls that failed.
		_ = srv.Serve(ln)
	}()
	return baseURL(ln.Addr()), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}
