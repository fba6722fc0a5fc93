package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"hubextract/backend/fakehub"
)

const fakehubUsage = "hubextract fakehub [--addr 127.0.0.1:0] [--token TOKEN] [--seed N] [--scale N] [--faults RATE] " +
	"[--rate N] [--search-rate N] [--latency MS] [--jitter MS] [--daily N] [--extra-properties N] [--retry-after]"

func init() {
	register(command{
		name:    "fakehub",
		summary: "serve a fake HubSpot with generated data, for tests and demos",
		usage:   fakehubUsage,
		run:     runFakehub,
	})
}

func runFakehub(ctx context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("fakehub", fakehubUsage)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on; loopback unless told otherwise, port 0 picks a free one")
	token := fs.String("token", "demo-token", "bearer `token` the fake accepts")
	seed := fs.Int64("seed", 1, "`seed` of the generated data and of the faults")
	scale := fs.Int("scale", 2000, "`records` per object type (about 2% more are archived)")
	faults := fs.Float64("faults", 0, "`fraction` of calls (0 to 1) answered with a random fault")
	rate := fs.Int("rate", 100, "`calls` per rolling 10 seconds before 429 (0 = unlimited)")
	searchRate := fs.Int("search-rate", 5, "search `calls` per second before 429 (0 = unlimited)")
	daily := fs.Int("daily", 0, "`calls` per day before a DAILY 429 (0 = unlimited)")
	latency := fs.Int("latency", 0, "latency of every call in `ms` (HubSpot's is a few hundred)")
	jitter := fs.Int("jitter", 0, "random spread of the latency, ± `ms`")
	extra := fs.Int("extra-properties", 0, "custom `properties` per type beyond the built-in ones")
	retryAfter := fs.Bool("retry-after", false, "send Retry-After with 429 answers (HubSpot often does not)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = "unexpected argument " + strconv.Quote(fs.Arg(0))
	case *faults < 0 || *faults > 1:
		problem = "--faults must be between 0 and 1"
	case *scale < 1:
		problem = "--scale must be at least 1"
	case *rate < 0 || *searchRate < 0 || *daily < 0 || *latency < 0 || *jitter < 0 || *extra < 0:
		problem = "--rate, --search-rate, --daily, --latency, --jitter and --extra-properties cannot be negative"
	case *token == "":
		problem = "--token cannot be empty"
	}
	if problem != "" {
		fmt.Fprintf(env.Stderr, "hubextract fakehub: %s\n", problem)
		fs.Usage()
		return exitUsage
	}

	srv := fakehub.New(fakehub.Config{
		Token:            *token,
		Seed:             *seed,
		Scale:            *scale,
		ExtraProperties:  *extra,
		RatePer10s:       *rate,
		SearchRatePerSec: *searchRate,
		DailyLimit:       *daily,
		RetryAfter:       *retryAfter,
		Latency:          time.Duration(*latency) * time.Millisecond,
		Jitter:           time.Duration(*jitter) * time.Millisecond,
		Faults:           fakehub.Faults{Rate: *faults},
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract fakehub: listen on %s: %v\n", *addr, err)
		return exitFailure
	}
	base := baseURL(ln.Addr())
	fmt.Fprintln(env.Stdout, base) // the first line: scripts read the address from it
	fmt.Fprintf(env.Stderr, "fakehub: serving a fake HubSpot at %s (token %q, seed %d, %d records per type); call counts at %s/__stats; stop with Ctrl-C\n",
		base, *token, *seed, *scale, base)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(env.Stderr, "hubextract fakehub: serve: %v\n", err)
		return exitFailure
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			fmt.Fprintf(env.Stderr, "hubextract fakehub: shut down: %v\n", err)
		}
		_ = hs.Close() // calls still in flight (a slow fault) are cut
	}
	fmt.Fprintln(env.Stderr, "fakehub: stopped")
	return exitOK
}

// baseURL is the address clients use: a wildcard listen address is reached
// through loopback.
func baseURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}
