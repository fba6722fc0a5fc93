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
	"[--rate N] [--search-rate N] [--latency MS] [--jitter MS] [--daily N] [--extra-properties N] [--retry-after] [--legacy-only] [--charge-exempt]"

// The ranges of fakehub's numbers beyond their sign.
const (
	maxFakeScale     = 10_000_000
	maxFakeLatencyMS = 60_000
	maxFakeExtra     = 10_000
)

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
	scale := fs.Int("scale", 2000, "`records`: the contacts, the other types in a real account's proportions (--sizes); about 2% more are archived")
	shape := fs.String("sizes", fakehub.ShapeRealistic, "`SHAPE` of the types' sizes: realistic (a real account's proportions, one type far ahead), "+
		"lopsided (contacts far ahead of every other type) or even (every type --scale records)")
	faults := fs.Float64("faults", 0, "`fraction` of calls (0 to 1) answered with a random fault")
	rate := fs.Int("rate", 100, "`calls` per rolling 10 seconds before 429 (0 = unlimited)")
	searchRate := fs.Int("search-rate", 5, "search `calls` per second before 429 (0 = unlimited)")
	daily := fs.Int("daily", 0, "`calls` per day before a DAILY 429 (0 = unlimited)")
	latency := fs.Int("latency", 0, "latency of every call in `ms` (HubSpot's is a few hundred)")
	jitter := fs.Int("jitter", 0, "random spread of the latency, ± `ms`")
	extra := fs.Int("extra-properties", 0, "custom `properties` per type beyond the built-in ones")
	retryAfter := fs.Bool("retry-after", false, "send Retry-After with 429 answers (HubSpot often does not)")
	legacyOnly := fs.Bool("legacy-only", false, "serve only the legacy v1/v3/v4 paths: the date-based ("+fakehub.DatedVersion+") ones answer 404, as before their rollout")
	chargeExempt := fs.Bool("charge-exempt", false, "count the calls HubSpot exempts from the 10-second limit (searches, the "+fakehub.DatedVersion+" associations batch read) against --rate too")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = "unexpected argument " + strconv.Quote(fs.Arg(0))
	case !(*faults >= 0 && *faults <= 1): // NaN compares false: caught here
		problem = fmt.Sprintf("--faults must be a fraction from 0 to 1, not %g", *faults)
	case *scale < 1 || *scale > maxFakeScale:
		problem = fmt.Sprintf("--scale must be from 1 to %s records, not %d", fmtInt(maxFakeScale), *scale)
	case *rate < 0 || *searchRate < 0 || *daily < 0 || *latency < 0 || *jitter < 0 || *extra < 0:
		problem = "--rate, --search-rate, --daily, --latency, --jitter and --extra-properties cannot be negative"
	case *latency > maxFakeLatencyMS || *jitter > maxFakeLatencyMS:
		problem = fmt.Sprintf("--latency and --jitter must be at most %d ms", maxFakeLatencyMS)
	case *extra > maxFakeExtra:
		problem = fmt.Sprintf("--extra-properties must be at most %d", maxFakeExtra)
	case *token == "":
		problem = "--token cannot be empty"
	}
	sizes, err := fakehub.SizesOf(*shape, *scale)
	if problem == "" && err != nil {
		problem = "--" + err.Error()
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
		Sizes:            sizes,
		Growth:           sizes != nil,
		ExtraProperties:  *extra,
		RatePer10s:       *rate,
		SearchRatePerSec: *searchRate,
		DailyLimit:       *daily,
		RetryAfter:       *retryAfter,
		Latency:          time.Duration(*latency) * time.Millisecond,
		Jitter:           time.Duration(*jitter) * time.Millisecond,
		Faults:           fakehub.Faults{Rate: *faults},
		HideDated:        *legacyOnly,
		ChargeExempt:     *chargeExempt,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract fakehub: listen on %s: %v\n", *addr, err)
		return exitFailure
	}
	base := baseURL(ln.Addr())
	fmt.Fprintln(env.Stdout, base) // the first line: scripts read the address from it
	paths := "legacy and " + fakehub.DatedVersion + " paths"
	if *legacyOnly {
		paths = "legacy paths only"
	}
	fmt.Fprintf(env.Stderr, "fakehub: serving a fake HubSpot at %s (listening on %s; token %q, seed %d, scale %d with %s sizes, %s); call counts at %s/__stats; stop with Ctrl-C\n",
		base, ln.Addr(), *token, *seed, *scale, *shape, paths, base)
	if w := exposure(ln.Addr()); w != "" {
		fmt.Fprintf(env.Stderr, "fakehub: warning: %s\n", w)
	}

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

// exposure warns when the fake listens beyond this computer: other
// computers can then read its data with its (well-known) token.
func exposure(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	switch {
	case !ok:
		return ""
	case tcp.IP.IsUnspecified():
		return fmt.Sprintf("listening on every network interface (%s): other computers can reach this fake HubSpot; use --addr 127.0.0.1:0 to keep it on this one", a)
	case !tcp.IP.IsLoopback():
		return fmt.Sprintf("listening on %s, which other computers can reach; use --addr 127.0.0.1:0 to keep it on this one", a)
	}
	return ""
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
