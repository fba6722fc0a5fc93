package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

const extractUsage = "hubextract extract [--token T] [--base-url URL] [--db PATH] [--objects LIST] [--rate N] [--search-rate N] [--concurrency N]\n" +
	"                          [--full] [--full-every DURATION] [--overlap DURATION]"

func init() {
	register(command{
		name:    "extract",
		summary: "extract HubSpot CRM records, engagements, forms and email events into the database",
		usage:   extractUsage,
		run:     runExtract,
	})
}

func runExtract(ctx context.Context, env *Env, args []string) int {
	pl, err := env.findPlace("extract")
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
		return exitFailure
	}
	fs := env.newFlagSet("extract", extractUsage)
	token := fs.String("token", "", "HubSpot private app access `token` (default: $HUBSPOT_TOKEN)")
	baseURL := fs.String("base-url", hubspot.DefaultBaseURL, "HubSpot API base `URL`")
	dbPath := env.dbFlag(fs)
	objects := fs.String("objects", "", "comma-separated `list` of types (default all: "+strings.Join(catalog.All, ",")+")")
	// The defaults are the app's Settings, so a scheduled command runs as
	// the app would.
	rate := fs.Int("rate", pl.cfg.RatePer10s, "API calls allowed per 10 seconds (`N`: 100 Free/Starter, 190 Professional/Enterprise, 250 with the add-on; default: the tier in the app's Settings)")
	searchRate := fs.Float64("search-rate", pl.cfg.SearchRate, "search calls per second (`N`)")
	conc := fs.Int("concurrency", pl.cfg.Concurrency, "streams fetched at once (`N`)")
	full := fs.Bool("full", false, "read everything again instead of only what changed since the last run")
	fullEvery := fs.Duration("full-every", time.Duration(pl.cfg.FullRunEveryDays)*24*time.Hour, "read a type in full again once its last full read is this old (`DURATION`, e.g. 168h; 0 never)")
	overlap := fs.Duration("overlap", extract.DefaultOverlap, "start reading changes this long before the last run's start (`DURATION`)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "hubextract extract: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	tok := *token
	if tok == "" {
		tok = os.Getenv("HUBSPOT_TOKEN")
	}
	if tok == "" {
		fmt.Fprintln(env.Stderr, "hubextract extract: no access token: pass --token or set HUBSPOT_TOKEN to a HubSpot service key (HubSpot → Development → Keys → Service keys; see the README)")
		return exitUsage
	}
	objs, err := catalog.Parse(*objects)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: --objects: %v\n", err)
		return exitUsage
	}
	if *rate <= 0 || *searchRate <= 0 || *conc <= 0 {
		fmt.Fprintln(env.Stderr, "hubextract extract: --rate, --search-rate and --concurrency must be positive")
		return exitUsage
	}
	if *fullEvery < 0 || *overlap <= 0 {
		fmt.Fprintln(env.Stderr, "hubextract extract: --full-every must not be negative and --overlap must be positive")
		return exitUsage
	}
	if *fullEvery == 0 {
		*fullEvery = -1 // never: Options reads 0 as the default
	}
	path, err := pl.database(env, *dbPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
		return exitFailure
	}
	db, err := openDB(ctx, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	return extractInto(ctx, env, "extract", db, extract.Options{
		Client: hubspot.New(tok, hubspot.WithBaseURL(*baseURL), hubspot.WithRateLimit(*rate),
			hubspot.WithSearchRate(*searchRate)),
		Objects:     objs,
		Concurrency: *conc,
		Full:        *full,
		FullEvery:   *fullEvery,
		Overlap:     *overlap,
	})
}

// extractInto runs an extraction with progress on stderr and the summary on
// stdout, and turns its outcome into the exit code.
func extractInto(ctx context.Context, env *Env, name string, db *store.DB, opts extract.Options) int {
	pr := newProgressPrinter(env.Stderr)
	opts.Progress = pr
	res, err := extract.Run(ctx, db, opts)
	pr.close()
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract %s: %s\n", name, oneLine(reason(err)))
		return exitFailure
	}
	printSummary(env, db.Path(), res)
	switch res.Status {
	case store.StatusSucceeded:
		return exitOK
	case store.StatusCancelled:
		fmt.Fprintf(env.Stderr, "hubextract %s: stopped; everything fetched is saved and the next run resumes where this one stopped\n", name)
		return exitInterrupted
	}
	fmt.Fprintf(env.Stderr, "hubextract %s: run %d %s: %s\n", name, res.ID, res.Status, oneLine(res.Error))
	return exitFailure
}

// printSummary writes the per-stream table, the totals, the call count
// against the minimum, and the warnings.
func printSummary(env *Env, dbPath string, res extract.Result) {
	w := env.Stdout
	dur := res.FinishedAt.Sub(res.StartedAt)
	fmt.Fprintf(w, "Run %d %s in %s, %s", res.ID, res.Status, fmtDuration(dur), modeWords(res.Mode))
	if res.ResumedFrom != 0 {
		fmt.Fprintf(w, " (resumed run %d)", res.ResumedFrom)
	}
	fmt.Fprintf(w, " → %s\n\n", dbPath)
	streams := slices.Clone(res.Streams)
	slices.SortStableFunc(streams, func(a, b store.StreamResult) int { return catalog.Rank(a.Stream) - catalog.Rank(b.Stream) })
	width := len("stream")
	for _, s := range streams {
		width = max(width, len(s.Stream))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\trecords\tHubSpot active\tfailed\tAPI calls\tretries\ttime\tstatus\t\n", width, "stream")
	var total store.StreamResult
	for _, s := range streams {
		hs := ""
		if s.HubSpotTotal >= 0 {
			hs = fmtInt(s.HubSpotTotal)
		}
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", width, s.Stream, fmtInt(s.Records), hs, fmtInt(s.Failed),
			fmtInt(s.APICalls), fmtInt(s.Retries), fmtDuration(time.Duration(s.Seconds*float64(time.Second))), s.Status)
		total.Records += s.Records
		total.Failed += s.Failed
	}
	fmt.Fprintf(tw, "%-*s\t%s\t\t%s\t%s\t%s\t%s\t\t\n", width, "total", fmtInt(total.Records), fmtInt(total.Failed),
		fmtInt(res.APICalls), fmtInt(res.Retries), fmtDuration(dur))
	tw.Flush()
	if res.MinimumCalls > 0 {
		fmt.Fprintf(w, "\nAPI calls: %s, retries included; the fewest that could fetch this data: %s.\n",
			fmtInt(res.APICalls), fmtInt(res.MinimumCalls))
	}
	for _, s := range streams {
		if s.Error != "" {
			fmt.Fprintf(w, "\n%s failed: %s", s.Stream, s.Error)
		}
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, m := range res.Warnings {
			fmt.Fprintf(w, "  - %s\n", m)
		}
	}
	fmt.Fprintln(w)
}

// modeWords says what a run's mode means.
func modeWords(mode string) string {
	if mode == store.ModeIncremental {
		return "incremental (only what changed since the last run)"
	}
	return "full"
}

// fmtInt writes n with thousands separators.
func fmtInt(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// fmtDuration shows 850ms, 12.3s, 4m05s or 1h02m.
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// reason is the plain-words sentence of an error that has one (a full disk,
// a refused token), else its technical text.
func reason(err error) string {
	var um interface{ UserMessage() string }
	if errors.As(err, &um) {
		return um.UserMessage()
	}
	return err.Error()
}
