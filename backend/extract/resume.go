package extract

import (
	"context"
	"slices"
	"time"

	"hubextract/backend/store"
)

// Checkpoint keys. Each walk has its own: the cursor of its next page, saved
// with the page before it, and Done once its last page is saved.
func listKey(objectType string) string     { return objectType }
func archivedKey(objectType string) string { return objectType + ":archived" }
func propsKey(objectType string) string    { return objectType + ":properties" }
func changesKey(objectType string) string  { return objectType + ":changes" }
func metaKey(item string) string           { return metadataStream + ":" + item }

// resumePlan is what a run takes over from the interrupted run(s) before
// it: their checkpoints, when they started, and what they already wrote.
type resumePlan struct {
	from  int64 // the run resumed; 0 for a fresh run
	since time.Time
	cps   map[string]store.Checkpoint
	base  map[string]int64 // records per stream written by the resumed runs
}

// resumeDepth is how far back the history is read for a chain of
// interrupted runs.
const resumeDepth = 100

// resumeChain lists, newest first, the consecutive resumable runs of this
// selection (normalized) that end the history: a run of the selection
// resumes the first, which was interrupted or stopped by trouble that may
// pass (see engine.resumable), unless Options.Fresh or Options.Full start
// afresh.
func resumeChain(ctx context.Context, db *store.DB, objects []string) ([]store.Run, error) {
	runs, err := db.Runs(ctx, resumeDepth)
	if err != nil {
		return nil, err
	}
	return chainOf(runs, objects), nil
}

// chainOf is resumeChain over runs read, newest first.
func chainOf(runs []store.Run, objects []string) []store.Run {
	var chain []store.Run
	for _, r := range runs {
		if r.Status == store.StatusSucceeded || r.Status == store.StatusRunning || !r.Resumable ||
			!sameSelection(r.Objects, objects) {
			break
		}
		chain = append(chain, r)
	}
	return chain
}

func sameSelection(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func (e *engine) planResume(ctx context.Context, fresh bool) (*resumePlan, error) {
	plan := &resumePlan{cps: map[string]store.Checkpoint{}, base: map[string]int64{}}
	if fresh {
		return plan, nil
	}
	chain, err := resumeChain(ctx, e.db, e.selection)
	if err != nil || len(chain) == 0 {
		return plan, err
	}
	plan.from = chain[0].ID
	for _, r := range chain {
		plan.since = r.StartedAt
		for _, s := range r.Streams {
			plan.base[s.Stream] += s.Records
		}
	}
	cps, err := e.db.Checkpoints(ctx, plan.from)
	if err != nil {
		return nil, err
	}
	for _, cp := range cps {
		plan.cps[cp.Stream] = cp
	}
	return plan, nil
}

// carry copies the resumed run's checkpoints into the new run, so that an
// interruption of this run resumes from here too. A fresh run instead
// forgets the associations an abandoned run left to complete.
func (p *resumePlan) carry(ctx context.Context, tx *store.Tx, runID int64) error {
	if p.from == 0 {
		return tx.ClearOverflow(ctx, "", "")
	}
	for _, cp := range p.cps {
		cp.RunID = runID
		if err := tx.SaveCheckpoint(ctx, cp); err != nil {
			return err
		}
	}
	return nil
}

// checkpoint is where a walk resumes: its cursor and whether it is done.
func (p *resumePlan) checkpoint(key string) (cursor string, done bool) {
	cp := p.cps[key]
	return cp.Cursor, cp.Done
}
