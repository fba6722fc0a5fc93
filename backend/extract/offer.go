package extract

import (
	"context"
	"fmt"
	"slices"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// Offer describes the unfinished run that the next run of its selection
// resumes, for the Extract screen to offer.
type Offer struct {
	RunID     int64    `json:"runId"`
	StartedAt string   `json:"startedAt"` // RFC 3339, UTC
	Status    string   `json:"status"`    // as recorded: "interrupted" (or still "running") when the process died during it
	Objects   []string `json:"objects"`   // its selection, which a resume must ask for
	// Records is what the unfinished run, and the interrupted runs it
	// resumed, already saved: what a resume builds on.
	Records int64 `json:"records"`
	// Crashed: the process stopped during the run (closed, killed, a
	// crash), not a cancel or a failure.
	Crashed bool `json:"crashed"`
}

// ResumeOffer returns the run that a run of its selection would resume
// (see resumeChain), or nil: the latest run, when it was interrupted or
// stopped by trouble that may pass. The caller asks only while it runs no
// extraction itself: a run still marked running is then one a crash cut
// short, which the next run closes (interrupted) and resumes.
func ResumeOffer(ctx context.Context, db *store.DB) (*Offer, error) {
	runs, err := db.Runs(ctx, resumeDepth)
	if err != nil {
		return nil, fmt.Errorf("resume offer: %w", err)
	}
	if len(runs) == 0 {
		return nil, nil
	}
	latest := runs[0]
	crashed := latest.Status == store.StatusRunning || latest.Status == store.StatusInterrupted
	if latest.Status == store.StatusRunning {
		// The history as the next run sees it once it closed this one.
		runs = slices.Clone(runs)
		runs[0].Status = store.StatusInterrupted
	}
	objs, err := catalog.Normalize(latest.Objects)
	if err != nil {
		return nil, nil // a type this version does not know: no run can resume it
	}
	chain := chainOf(runs, objs)
	if len(chain) == 0 {
		return nil, nil
	}
	offer := &Offer{RunID: latest.ID, StartedAt: latest.StartedAt.UTC().Format(time.RFC3339),
		Status: latest.Status, Objects: objs, Crashed: crashed}
	for _, r := range chain {
		for _, s := range r.Streams {
			if s.Stream != catalog.Metadata {
				offer.Records += s.Records
			}
		}
	}
	return offer, nil
}
