package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"hubextract/backend/applog"
	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

const extractUsage = "hubextract extract [--token-file PATH | --token - | --token KEY] [--base-url URL [--insecure]] [--db PATH] [--account NAME_OR_ID] [--scheduled] [--objects LIST]\n" +
	"                          [--rate N] [--search-rate N] [--concurrency N] [--full] [--full-every DURATION] [--overlap DURATION] [--history TYPES]"

func init() {
	register(command{
		name:    "extract",
		summary: "extract HubSpot CRM records, engagements, forms and email events into the database",
		usage:   extractUsage,
		run:     runExtract,
	})
}

// The ranges of extract's numbers: beyond them a value is a typo, and a
// rate that is not a finite number would make the limiter spin.
const (
	minRate, maxRate             = 1, 1_000_000
	minSearchRate, maxSearchRate = 0.1, 1000.0
	maxFullEvery                 = settings.MaxFullRunEvery * 24 * time.Hour
	maxOverlap                   = 30 * 24 * time.Hour
	maxTokenBytes                = 64 << 10
)

func runExtract(ctx context.Context, env *Env, args []string) int {
	pl, err := env.findPlace("extract", args...)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
		return exitFailure
	}
	fs := env.newFlagSet("extract", extractUsage)
	token := fs.String("token", "", "HubSpot service key (`KEY`), or - to read it from standard input. Giving the key itself here is the least safe way: "+
		"every user of this computer can read a command's arguments (ps, /proc) while it runs, and the shell may keep them in its history. "+
		"Prefer, in this order, the key the app saved (used when no key is given), --token-file, --token - or $HUBSPOT_TOKEN")
	tokenFile := fs.String("token-file", "", "read the HubSpot service key from the file at `PATH` (keep it readable only by you)")
	baseURL := fs.String("base-url", hubspot.DefaultBaseURL, "HubSpot API base `URL`")
	insecure := fs.Bool("insecure", false, "allow a plain http:// --base-url on another computer, which sends the key in clear text (a test server on a trusted network only)")
	dbPath := env.dbFlag(fs)
	scheduled := fs.Bool("scheduled", false, "run as the scheduled refresh of the account: only when its schedule says one is due, recorded as scheduled, a slot skipped when another extraction runs")
	objects := fs.String("objects", "", "comma-separated `list` of types (default all: "+strings.Join(catalog.All(), ",")+")")
	// The defaults are the app's Settings, so a scheduled command runs as
	// the app would.
	rate := fs.Int("rate", pl.cfg.RatePer10s, "API calls allowed per 10 seconds (`N`: 100 Free/Starter, 190 Professional/Enterprise, 250 with the add-on; default: the tier in the app's Settings)")
	searchRate := fs.Float64("search-rate", pl.cfg.SearchRate, fmt.Sprintf("search calls per second (`N`, %g to %g)", minSearchRate, maxSearchRate))
	conc := fs.Int("concurrency", pl.cfg.Concurrency, concurrencyHelp(pl.cfg.Concurrency))
	full := fs.Bool("full", false, "read everything again instead of only what changed since the last run")
	fullEvery := fs.Duration("full-every", time.Duration(pl.cfg.FullRunEveryDays)*24*time.Hour, "read a type in full again once its last full read is this old (`DURATION`, e.g. 168h; 0 never)")
	overlap := fs.Duration("overlap", extract.DefaultOverlap, "start reading changes this long before the last run's start (`DURATION`)")
	apiVersion := fs.String("api-version", string(pl.cfg.HubSpotAPIVersion()), "HubSpot API `VERSION`: 2026-09, or legacy for support cases (default: the app's Settings)")
	history := historyFlag(fs, strings.Join(pl.cfg.HistoryTypes, ","), "the app's Settings")
	economyFlag := economyFlag(fs, pl.cfg.Economy, "the app's Settings")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "hubextract extract: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	economy, err := extract.ParseEconomy(*economyFlag)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: --economy: %v\n", err)
		return exitUsage
	}
	historyTypes, err := parseHistory(*history)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: --history: %v\n", err)
		return exitUsage
	}
	version, err := hubspot.ParseAPIVersion(*apiVersion)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: --api-version: %v\n", err)
		return exitUsage
	}
	if problem := extractNumbersProblem(*rate, *searchRate, *conc, *fullEvery, *overlap); problem != "" {
		fmt.Fprintf(env.Stderr, "hubextract extract: %s\n", problem)
		return exitUsage
	}
	if err := hubspot.CheckBaseURL(*baseURL, *insecure); err != nil {
		hint := ""
		if strings.Contains(err.Error(), "clear text") {
			hint = ": pass --insecure to send it anyway"
		}
		fmt.Fprintf(env.Stderr, "hubextract extract: --base-url: %v%s\n", err, hint)
		return exitUsage
	}
	if u, _ := url.Parse(*baseURL); u.Scheme == "http" && !hubspot.IsLoopback(u.Hostname()) {
		fmt.Fprintf(env.Stderr, "hubextract extract: warning: --insecure: the key goes to %s in clear text\n", u.Host)
	}
	tok, code := findKey(env, pl, *token, *tokenFile)
	if code != exitOK {
		return code
	}
	// Whatever its source and format, the key never reaches the log.
	applog.AddSecret(tok)
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
	// Parsed once the database is open: its account's custom objects are
	// types too.
	objs, err := catalog.Parse(*objects)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: --objects: %v\n", err)
		return exitUsage
	}
	if strings.TrimSpace(*objects) == "" {
		// "Everything" (the run makes it, once it knows the account's
		// custom objects) leaves out the types the last run found the key
		// cannot read, saying so: naming them in --objects tries again.
		_, skipped, err := extract.DefaultSelection(ctx, db)
		if err != nil {
			fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
			return exitFailure
		}
		if line := skippedLine(skipped); line != "" {
			fmt.Fprintf(env.Stderr, "hubextract extract: %s\n", line)
		}
		objs = nil
	}
	return extractChecked(ctx, env, pl, db, *scheduled, extract.Options{
		Client: hubspot.New(tok, hubspot.WithBaseURL(*baseURL), hubspot.WithRateLimit(*rate), hubspot.WithLogger(slog.Default()),
			hubspot.WithSearchRate(*searchRate), hubspot.WithAPIVersion(version)),
		Objects:     objs,
		Concurrency: *conc,
		Full:        *full,
		FullEvery:   *fullEvery,
		Overlap:     *overlap,
		History:     historyTypes,
		Economy:     economy,
	})
}

// economyFlag is --economy, shared by extract and demo.
func economyFlag(fs *flag.FlagSet, def, defName string) *string {
	return fs.String("economy", def, "`ECONOMY`: time (fastest: part of the largest types is read through search ranges, "+
		"on budgets the list pages leave free) or calls (fewest calls: list pages, and search pages of 200 for the large types they "+
		"read in fewer calls); default: "+defName+
		", and the fewest calls when the account is near its daily limit")
}

// historyFlag is --history, shared by extract and demo.
func historyFlag(fs *flag.FlagSet, def, defName string) *string {
	return fs.String("history", def, "comma-separated CRM `TYPES` whose property history is read too: each property's earlier values, "+
		"when and from which source. It costs more calls: those types are read 50 records a call instead of 100 "+
		"(none for none; default: "+defName+")")
}

// parseHistory reads --history: a comma list of CRM types, or "none".
func parseHistory(s string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" && t != "none" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if err := extract.ValidateHistory(out); err != nil {
		return nil, err
	}
	return out, nil
}

// skippedLine names, in one line, the types the default selection left out
// and the scope that would add each; "" when none was.
func skippedLine(skipped []store.UnavailableType) string {
	if len(skipped) == 0 {
		return ""
	}
	parts := make([]string, len(skipped))
	for i, u := range skipped {
		parts[i] = fmt.Sprintf("%s (the key lacks %s)", u.Stream, u.Scope)
	}
	return "not extracting " + strings.Join(parts, ", ") +
		": the last run found the key cannot read them; add the scope in HubSpot and name them in --objects to include them"
}

// concurrencyHelp describes --concurrency, automatic included, with what
// automatic gives at each HubSpot tier; def is the flag's default.
func concurrencyHelp(def int) string {
	tiers := make([]string, len(settings.Tiers))
	for i, t := range settings.Tiers {
		tiers[i] = fmt.Sprintf("%d at %d", extract.AutoConcurrency(t), t)
	}
	from := "the app's Settings"
	if def == 0 {
		from = "automatic, as in " + from
	}
	return fmt.Sprintf("streams fetched at once (`N`, %d to %d), or 0 for automatic: enough for HubSpot's latency at --rate "+
		"(%s calls per 10 seconds); default: %s", settings.MinConcurrency, settings.MaxConcurrency, strings.Join(tiers, ", "), from)
}

// extractNumbersProblem says what is wrong with extract's numbers; "" when
// nothing is. The float is checked as "not within" so that NaN, which
// compares false with everything, is caught with ±Inf.
func extractNumbersProblem(rate int, searchRate float64, conc int, fullEvery, overlap time.Duration) string {
	switch {
	case rate < minRate || rate > maxRate:
		return fmt.Sprintf("--rate must be a whole number of calls per 10 seconds from %d to %s, not %d", minRate, fmtInt(maxRate), rate)
	case !(searchRate >= minSearchRate && searchRate <= maxSearchRate):
		return fmt.Sprintf("--search-rate must be a number of calls per second from %g to %g, not %g", minSearchRate, maxSearchRate, searchRate)
	case conc != 0 && (conc < settings.MinConcurrency || conc > settings.MaxConcurrency):
		return fmt.Sprintf("--concurrency must be 0 (automatic) or from %d to %d streams at once, not %d", settings.MinConcurrency, settings.MaxConcurrency, conc)
	case fullEvery < 0 || fullEvery > maxFullEvery:
		return fmt.Sprintf("--full-every must be from 0 (never) to %s, not %s", maxFullEvery, fullEvery)
	case overlap <= 0 || overlap > maxOverlap:
		return fmt.Sprintf("--overlap must be positive and at most %s, not %s", maxOverlap, overlap)
	}
	return ""
}

// findKey picks the HubSpot key: --token (- reads standard input),
// --token-file, $HUBSPOT_TOKEN, else the key the app saved for its folder
// (the keychain, or the 0600 file where there is none). Whatever its
// source, the spaces and line breaks around it are dropped. A code other
// than exitOK means the reason is on stderr.
func findKey(env *Env, pl place, flagValue, file string) (string, int) {
	fail := func(code int, format string, a ...any) (string, int) {
		fmt.Fprintf(env.Stderr, "hubextract extract: "+format+"\n", a...)
		return "", code
	}
	switch {
	case flagValue != "" && file != "":
		return fail(exitUsage, "pass --token or --token-file, not both")
	case flagValue == "-":
		b, err := io.ReadAll(io.LimitReader(env.Stdin, maxTokenBytes+1))
		if err != nil {
			return fail(exitFailure, "--token -: read the key from standard input: %v", err)
		}
		return usableKey(env, string(b), "standard input (--token -)")
	case flagValue != "":
		return usableKey(env, flagValue, "--token")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return fail(exitUsage, "--token-file: %v", err)
		}
		if st, err := os.Stat(file); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(env.Stderr, "hubextract extract: warning: other users can read the key file %s (mode %04o): chmod 600 it\n", file, st.Mode().Perm())
		}
		return usableKey(env, string(b), "--token-file "+file)
	}
	if v := os.Getenv("HUBSPOT_TOKEN"); v != "" {
		return usableKey(env, v, "$HUBSPOT_TOKEN")
	}
	tok, st, err := pl.at.Tokens.Load()
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	if tok == "" {
		return fail(exitUsage, "no access token: connect in the app (its key is then used here), or pass --token-file PATH, "+
			"--token - (the key on standard input) or set HUBSPOT_TOKEN to a HubSpot service key "+
			"(HubSpot → Development → Keys → Service keys; see the README)")
	}
	where := "the system keychain"
	if st.Where == settings.InFile {
		where = st.FilePath
	}
	fmt.Fprintf(env.Stderr, "hubextract extract: using the key the app saved (in %s)\n", where)
	return tok, exitOK
}

// usableKey trims key and refuses one that is empty or too long to be a key.
func usableKey(env *Env, key, from string) (string, int) {
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		fmt.Fprintf(env.Stderr, "hubextract extract: %s: the key is empty\n", from)
		return "", exitUsage
	case len(key) > maxTokenBytes:
		fmt.Fprintf(env.Stderr, "hubextract extract: %s: this is not a HubSpot key (more than %d KiB)\n", from, maxTokenBytes>>10)
		return "", exitUsage
	}
	return key, exitOK
}

// extractInto runs an extraction with progress on stderr and the summary on
// stdout, and turns its outcome into the exit code.
func extractInto(ctx context.Context, env *Env, name string, db *store.DB, opts extract.Options) int {
	pr := newProgressPrinter(env.Stderr)
	opts.Progress = pr
	res, err := extract.Run(ctx, db, opts)
	pr.close()
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract %s: %s\n", name, nameTheLog(oneLine(hubspot.Reason(err))))
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
	fmt.Fprintf(env.Stderr, "hubextract %s: run %d %s: %s\n", name, res.ID, res.Status, nameTheLog(oneLine(res.Error)))
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
		fmt.Fprintf(w, "\nAPI calls: %s, retries included; the fewest its plan could make: %s.\n",
			fmtInt(res.APICalls), fmtInt(res.MinimumCalls))
	}
	if res.APICalls > 0 {
		fmt.Fprintf(w, "Rate-limit floor: %s on the busiest budget (%s calls charged to HubSpot's ten-second limit, %s searches at their own); "+
			"every call at the ten-second rate would take %s.\n",
			fmtDuration(time.Duration(res.FloorSeconds*float64(time.Second))), fmtInt(res.APICalls-res.ExemptCalls), fmtInt(res.SearchCalls),
			fmtDuration(time.Duration(res.NaiveFloorSeconds*float64(time.Second))))
	}
	if res.Plan != "" {
		fmt.Fprintln(w, res.Plan)
	}
	for _, s := range streams {
		// An unavailable type is not a failure: the warnings say it.
		if s.Error != "" && s.Status != store.StatusUnavailable {
			fmt.Fprintf(w, "\n%s failed: %s", s.Stream, nameTheLog(s.Error))
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
// nameTheLog adds the log file's path where a message asks for the log.
func nameTheLog(msg string) string {
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		return msg
	}
	return strings.ReplaceAll(msg, hubspot.SendTheLog, hubspot.SendTheLog+" ("+paths.LogFile()+")")
}
