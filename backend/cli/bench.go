package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"hubextract/backend/bench"
)

const benchUsage = "hubextract bench [--scale N[,N...]] [--contacts N] [--json] [--out FILE] [--seed N] [--cap SECONDS] [--speed K] [--latency MS]"

func init() {
	register(command{
		name:    "bench",
		summary: "benchmark hubextract against naive strategies on a local fake HubSpot (make bench)",
		usage:   benchUsage,
		run:     runBench,
	})
}

func runBench(ctx context.Context, env *Env, args []string) int {
	// The harness starts each strategy as this command again, told what
	// to run in bench.ChildEnv.
	if s := os.Getenv(bench.ChildEnv); s != "" {
		if err := bench.RunChild(ctx, s, env.Stdout); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract bench: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	fs := env.newFlagSet("bench", benchUsage)
	scales := fs.String("scale", "1000", "records per CRM type, `N` or a comma-separated list (0: none)")
	contacts := fs.Int("contacts", 0, "also extract `N` contacts without a limit, then time the export and the record browser over them")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	out := fs.String("out", "", "write the report as Markdown to `FILE` (docs/benchmarks.md)")
	seed := fs.Int64("seed", 1, "seed of the fake HubSpot's data (`N`)")
	capSeconds := fs.Float64("cap", bench.DefaultCap, "real `SECONDS` a reference strategy is timed for at one budget before its time is extrapolated")
	speed := fs.Float64("speed", 0, "run the timed runs' clock `K` times faster than real time (0: the least that fits, at most 20)")
	latency := fs.Int("latency", 250, "mean latency of the fake's answers in the timed runs, in `MS`")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	list, err := parseScales(*scales)
	if err == nil && *contacts < 0 {
		err = fmt.Errorf("--contacts must be 0 or more, not %d", *contacts)
	}
	if err == nil && (*speed < 0 || *latency < 0) {
		err = fmt.Errorf("--speed and --latency must be 0 or more")
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err == nil && len(list) == 0 && *contacts == 0 {
		err = fmt.Errorf("nothing to run: give --scale or --contacts")
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract bench: %v\n", err)
		return exitUsage
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract bench: %v\n", err)
		return exitFailure
	}
	rep, err := bench.Run(ctx, bench.Options{Scales: list, Contacts: *contacts, Seed: *seed, CapSeconds: *capSeconds,
		Speed: *speed, Latency: new(time.Duration(*latency) * time.Millisecond),
		Executable: self, Args: []string{"bench"}, Log: env.Stderr, Command: strings.Join(append([]string{"hubextract", "bench"}, args...), " ")})
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract bench: %v\n", err)
		return exitFailure
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(rep.Markdown()), 0o644); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract bench: %v\n", err)
			return exitFailure
		}
	}
	if *asJSON {
		if err := rep.WriteJSON(env.Stdout); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract bench: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	fmt.Fprint(env.Stdout, rep.Text())
	return exitOK
}

// parseScales reads "1000,10000"; 0 entries are dropped.
func parseScales(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("--scale %q: want records per type, e.g. 1000 or 1000,10000", s)
		}
		if n > 0 {
			out = append(out, n)
		}
	}
	return out, nil
}
