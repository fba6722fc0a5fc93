package workspace

import (
	"context"
	"fmt"
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/store"
)

// Run is one extraction as the run history shows it.
type Run struct {
	ID         int64    `json:"id"`
	StartedAt  string   `json:"startedAt"`  // RFC 3339
	FinishedAt string   `json:"finishedAt"` // "" while running
	Seconds    float64  `json:"seconds"`
	Status     string   `json:"status"`  // running, succeeded, partial, failed, cancelled
	Mode       string   `json:"mode"`    // full, incremental
	Trigger    string   `json:"trigger"` // manual, scheduled
	Objects    []string `json:"objects"`
	Records    int64    `json:"records"` // records written, over the object streams
	APICalls   int64    `json:"apiCalls"`
	Retries    int64    `json:"retries"`
	Error      string   `json:"error"`
	Warnings   []string `json:"warnings"`
	Streams    []Stream `json:"streams"` // metadata first, then the types in screen order
}

// Stream is one stream's figures within a run.
type Stream struct {
	Stream       string  `json:"stream"`
	Label        string  `json:"label"`
	Status       string  `json:"status"`
	Records      int64   `json:"records"`
	Failed       int64   `json:"failed"`
	APICalls     int64   `json:"apiCalls"`
	Pages        int64   `json:"pages"`
	Retries      int64   `json:"retries"`
	Seconds      float64 `json:"seconds"`
	HubSpotTotal int64   `json:"hubspotTotal"` // -1: unknown
	Error        string  `json:"error"`
	// Scope: for an unavailable type, the scope that would add it.
	Scope string `json:"scope"`
}

// runOf shapes a stored run for display.
func runOf(r store.Run) Run {
	out := Run{
		ID: r.ID, StartedAt: timeText(r.StartedAt), FinishedAt: timeText(r.FinishedAt), Status: r.Status,
		Mode: r.Mode, Trigger: r.Trigger, Objects: nonNil(r.Objects), APICalls: r.APICalls, Retries: r.Retries, Error: r.Error,
		Warnings: nonNil(r.Warnings), Streams: []Stream{},
	}
	if !r.FinishedAt.IsZero() {
		out.Seconds = r.FinishedAt.Sub(r.StartedAt).Seconds()
	}
	for _, s := range r.Streams {
		if s.Stream != "metadata" {
			out.Records += s.Records
		}
		out.Streams = append(out.Streams, Stream{
			Stream: s.Stream, Label: catalog.Label(s.Stream), Status: s.Status, Records: s.Records, Failed: s.Failed,
			APICalls: s.APICalls, Pages: s.Pages, Retries: s.Retries, Seconds: s.Seconds,
			HubSpotTotal: s.HubSpotTotal, Error: s.Error, Scope: s.Scope,
		})
	}
	slices.SortStableFunc(out.Streams, func(a, b Stream) int { return catalog.Rank(a.Stream) - catalog.Rank(b.Stream) })
	return out
}

// Runs lists the latest limit runs, newest first.
func runsOf(ctx context.Context, db *store.DB, limit int) ([]Run, error) {
	runs, err := db.Runs(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Run, len(runs))
	for i, r := range runs {
		out[i] = runOf(extract.Seen(r, db.Path()))
	}
	return out, nil
}

// RunByID reads one run.
func runByID(ctx context.Context, db *store.DB, id int64) (Run, error) {
	r, err := db.Run(ctx, id)
	if err != nil {
		return Run{}, fmt.Errorf("run %d: %w", id, err)
	}
	return runOf(extract.Seen(r, db.Path())), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
