package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/store"
)

const runsUsage = "hubextract runs [--db PATH] [--account NAME_OR_ID] [--json] [--limit N]"

func init() {
	register(command{
		name:    "runs",
		summary: "show the history of extraction runs",
		usage:   runsUsage,
		run:     runRuns,
	})
}

// runJSON is one run in `runs --json`: the stored run, with finished_at
// null while it runs and the streams keyed by name.
type runJSON struct {
	store.Run
	FinishedAt *time.Time                    `json:"finished_at"`
	Streams    map[string]store.StreamResult `json:"streams"`
}

func runRuns(ctx context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("runs", runsUsage)
	dbPath := env.dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the runs as a JSON array")
	limit := fs.Int("limit", 50, "show the latest `N` runs")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 || *limit <= 0 {
		fs.Usage()
		return exitUsage
	}
	path, err := resolveExisting(env, "runs", *dbPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract runs: %v\n", err)
		return exitFailure
	}
	db, err := openReadOnly(ctx, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract runs: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	runs, err := db.Runs(ctx, *limit)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract runs: %v\n", err)
		return exitFailure
	}
	for i := range runs {
		runs[i] = extract.Seen(runs[i], path) // a killed run reads as interrupted
	}
	if *asJSON {
		out := make([]runJSON, len(runs))
		for i, r := range runs {
			out[i] = toRunJSON(r)
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract runs: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if len(runs) == 0 {
		fmt.Fprintln(env.Stdout, "No runs yet: run 'hubextract extract' first.")
	} else {
		printRuns(env, runs)
	}
	// A scheduled slot that found another extraction running did not run:
	// said here, since no run stands for it.
	skipped, err := db.SkippedSlots(ctx, *limit)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract runs: %v\n", err)
		return exitFailure
	}
	if len(skipped) > 0 {
		fmt.Fprintln(env.Stdout, "\nSkipped scheduled refreshes:")
		for _, s := range skipped {
			fmt.Fprintf(env.Stdout, "  %s  skipped: %s\n", s.At.Local().Format("2006-01-02 15:04:05"), oneLine(s.Reason))
		}
	}
	return exitOK
}

// printRuns writes the runs as a table.
func printRuns(env *Env, runs []store.Run) {
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTED\tDURATION\tSTATUS\tMODE\tTRIGGER\tRECORDS\tAPI CALLS\tRETRIES\tERROR")
	for _, r := range runs {
		var records int64
		for _, s := range r.Streams {
			records += s.Records
		}
		dur := "running"
		if !r.FinishedAt.IsZero() {
			dur = fmtDuration(r.FinishedAt.Sub(r.StartedAt))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.StartedAt.Local().Format("2006-01-02 15:04:05"),
			dur, r.Status, r.Mode, r.Trigger, fmtInt(records), fmtInt(r.APICalls), fmtInt(r.Retries), oneLine(r.Error))
	}
	tw.Flush()
}

func toRunJSON(r store.Run) runJSON {
	j := runJSON{Run: r, Streams: make(map[string]store.StreamResult, len(r.Streams))}
	if !r.FinishedAt.IsZero() {
		f := r.FinishedAt
		j.FinishedAt = &f
	}
	for _, s := range r.Streams {
		j.Streams[s.Stream] = s
	}
	return j
}
