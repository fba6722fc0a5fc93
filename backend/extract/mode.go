package extract

import (
	"context"
	"errors"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// Defaults of Options.FullEvery and Options.Overlap.
const (
	DefaultFullEvery = 7 * 24 * time.Hour
	DefaultOverlap   = 5 * time.Minute
)

// modeKey is the checkpoint that keeps a stream's mode for the runs that
// resume this one: a resumed stream carries on the way it started.
func modeKey(stream string) string { return stream + ":mode" }

// decideModes picks, per selected stream, a full or an incremental read: a
// resumed stream keeps its mode; otherwise a stream is read in full when
// asked to, when it has no watermark (never extracted), when its last full
// read is older than fullEvery, or when it is the forms list (a handful of
// calls, no way to ask for changes only).
func (e *engine) decideModes(ctx context.Context, full bool) error {
	wms, err := e.db.Watermarks(ctx)
	if err != nil {
		return err
	}
	e.watermarks, e.modes = wms, map[string]string{}
	for _, name := range e.selection {
		if cp, ok := e.plan.cps[modeKey(name)]; ok && (cp.Cursor == store.ModeFull || cp.Cursor == store.ModeIncremental) {
			e.modes[name] = cp.Cursor
			continue
		}
		wm, ok := wms[name]
		switch {
		case full, !ok, name == catalog.Forms,
			e.fullEvery > 0 && (wm.FullAt.IsZero() || e.since.Sub(wm.FullAt) >= e.fullEvery):
			e.modes[name] = store.ModeFull
		default:
			e.modes[name] = store.ModeIncremental
		}
	}
	return nil
}

// saveModes records the streams' modes as checkpoints of this run.
func (e *engine) saveModes(ctx context.Context, tx *store.Tx) error {
	for name, mode := range e.modes {
		if err := tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: e.runID, Stream: modeKey(name), Cursor: mode,
			Done: true, UpdatedAt: e.started}); err != nil {
			return err
		}
	}
	return nil
}

// runMode is the run's mode in the history: incremental when any stream
// reads only changes.
func (e *engine) runMode() string {
	for _, m := range e.modes {
		if m == store.ModeIncremental {
			return store.ModeIncremental
		}
	}
	return store.ModeFull
}

func (e *engine) incremental(stream string) bool { return e.modes[stream] == store.ModeIncremental }

// changesFrom is where an incremental read of stream starts: the previous
// watermark minus the overlap.
func (e *engine) changesFrom(stream string) time.Time {
	return e.watermarks[stream].Value.Add(-e.overlap)
}

// resumable decides whether the next run of this selection resumes this
// one: yes when it was interrupted, the key was refused before any stream
// began (refused), or a stream stopped for a reason that may pass (server
// or network trouble, rate limits, the daily allowance); no
// when it succeeded or its streams only failed for reasons that persist (a
// scope never granted, a refused token), so that later runs start afresh
// and every other stream still refreshes.
func (e *engine) resumable(status string, refused error) bool {
	switch {
	case status == store.StatusSucceeded:
		return false
	case status == store.StatusCancelled || refused != nil:
		return true
	}
	for _, s := range e.ordered() {
		s.mu.Lock()
		status, err := s.status, s.err
		s.mu.Unlock()
		if (status == store.StatusFailed || status == store.StatusCancelled) && (err == nil || transient(err)) {
			return true
		}
	}
	return false
}

// transient reports whether a later run could get past err.
func transient(err error) bool {
	var (
		auth  *hubspot.AuthError
		scope *hubspot.ScopeError
		nf    *hubspot.NotFoundError
		bad   *hubspot.ValidationError
	)
	return !errors.As(err, &auth) && !errors.As(err, &scope) && !errors.As(err, &nf) && !errors.As(err, &bad)
}
