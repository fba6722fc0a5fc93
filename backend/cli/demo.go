package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"hubextract/backend/demo"
	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
)

const demoUsage = "hubextract demo [--db PATH] [--scale N] [--latency MS] [--rate N] [--seed N] [--api-version 2026-09|legacy] [--charge-exempt] [--history TYPES]"

func init() {
	register(command{
		name:    "demo",
		summary: "extract everything from a built-in fake HubSpot into a demo database",
		usage:   demoUsage,
		run:     runDemo,
	})
}

func runDemo(ctx context.Context, env *Env, args []string) int {
	// The sample HubSpot's shape is backend/demo's, as in the app.
	sample, err := demo.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: %v\n", err)
		return exitUsage
	}
	fs := env.newFlagSet("demo", demoUsage)
	dbPath := fs.String("db", "", "demo database `file` (default: the sample data's demo.db in the app's folder, as in the app)")
	scale := fs.Int("scale", sample.Scale, "records per object type (`N`)")
	latency := fs.Int("latency", int(sample.Latency/time.Millisecond), "mean latency of each call in `MS` (with up to ±100 ms of jitter)")
	rate := fs.Int("rate", hubspot.DefaultRatePer10s, "calls per 10 seconds the fake allows and the extraction uses (`N`)")
	seed := fs.Int64("seed", sample.Seed, "seed of the generated data (`N`)")
	apiVersion := fs.String("api-version", string(hubspot.DefaultAPIVersion), "HubSpot API `VERSION` the extraction calls: 2026-09 or legacy")
	economyFlag := economyFlag(fs, string(extract.EconomyTime), string(extract.EconomyTime))
	chargeExempt := fs.Bool("charge-exempt", false, "charge the calls HubSpot exempts from its ten-second limit to it anyway, "+
		"in the fake and the extraction, as before HubSpot published the exemptions (for comparison)")
	history := historyFlag(fs, "", "none")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	version, err := hubspot.ParseAPIVersion(*apiVersion)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: --api-version: %v\n", err)
		return exitUsage
	}
	historyTypes, err := parseHistory(*history)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: --history: %v\n", err)
		return exitUsage
	}
	economy, err := extract.ParseEconomy(*economyFlag)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract demo: --economy: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 || *scale <= 0 || *latency < 0 || *rate <= 0 {
		fs.Usage()
		return exitUsage
	}
	path := *dbPath
	if path == "" {
		paths, err := settings.Resolve(os.Getenv)
		if err != nil {
			fmt.Fprintf(env.Stderr, "hubextract demo: %v\n", err)
			return exitFailure
		}
		path = paths.SampleDatabase()
	}
	sample.Scale, sample.Seed, sample.RatePer10s, sample.ChargeExempt = *scale, *seed, *rate, *chargeExempt
	sample = sample.WithLatency(time.Duration(*latency) * time.Millisecond)
	hub, err := demo.Start(sample)
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
	shape := fmtInt(int64(*scale)) + " records per type"
	switch {
	case sample.Shape == fakehub.ShapeLopsided:
		shape = fmtInt(int64(*scale)) + " contacts and far fewer of every other type, as in a lopsided account"
	case sample.Realistic:
		shape = fmtInt(int64(*scale)) + " contacts and the other types in a real account's proportions"
	}
	fmt.Fprintf(env.Stderr, "Demo: a fake HubSpot with %s at %s (%dms latency), into %s\n", shape, hub.URL, *latency, path)
	return extractInto(ctx, env, "demo", db, extract.Options{
		Client:  hubspot.New(hub.Token, demoClientOptions(hub.URL, *rate, version, *chargeExempt)...),
		History: historyTypes,
		Economy: economy,
	})
}

// demoClientOptions is the sample account's client, charging exempt calls
// when the fake does.
func demoClientOptions(url string, rate int, v hubspot.APIVersion, chargeExempt bool) []hubspot.Option {
	opts := []hubspot.Option{hubspot.WithBaseURL(url), hubspot.WithRateLimit(rate), hubspot.WithLogger(slog.Default()), hubspot.WithAPIVersion(v)}
	if chargeExempt {
		opts = append(opts, hubspot.ChargeExemptCalls())
	}
	return opts
}
