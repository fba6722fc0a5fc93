package workspace

import (
	"context"
	"errors"
	"time"

	"hubextract/backend/clock"
	"hubextract/backend/extract"
	"hubextract/backend/schedule"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// EventRefreshFailed: a scheduled refresh failed (a RefreshFailure), for
// the window to say so.
const EventRefreshFailed = "refresh:failed"

// RefreshFailure is a scheduled refresh that failed, in words.
type RefreshFailure struct {
	Account string `json:"account"`
	Message string `json:"message"`
}

// startScheduler makes the scheduled refresh of the current account: on
// the real clock it runs until the workspace closes; on another (tests),
// it waits to be stepped.
func (w *Workspace) startScheduler(clk clock.Clock) {
	l := &schedule.Loop{Clock: clk, Spec: w.currentSchedule, Last: w.lastRunStart, Busy: w.Busy, Run: w.refreshNow,
		Failed: w.refreshFailed}
	w.refresh = l
	if clk == nil {
		l.Clock = clock.Real{}
		go l.RunLoop(w.base)
	}
}

// currentSchedule is the current account's schedule; off while the sample
// data is shown, or when there is no account.
func (w *Workspace) currentSchedule() schedule.Spec {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.account == nil || w.cfg.Source == settings.SourceSample {
		return schedule.Spec{}
	}
	return w.account.Schedule
}

// lastRunStart is when the current database's last run started (zero:
// none), whatever started it.
func (w *Workspace) lastRunStart(ctx context.Context) (time.Time, error) {
	var last time.Time
	err := w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		r, _, err := db.LatestRun(ctx)
		last = r.StartedAt
		return err
	})
	return last, err
}

// refreshNow runs the scheduled incremental extraction; a failed run (or
// one that could not start) is an error for the loop to announce. A slot
// skipped because another process extracts is not: it is in the history.
func (w *Workspace) refreshNow(context.Context) error {
	sum, err := w.Extract.Start(ExtractRequest{Scheduled: true})
	switch {
	case errors.As(err, new(*extract.BusyError)):
		return nil
	case err != nil:
		return err
	case sum.Run.Status == store.StatusFailed:
		return errors.New(sum.Run.Error)
	}
	return nil
}

func (w *Workspace) refreshFailed(err error) {
	w.mu.RLock()
	label := ""
	if w.account != nil {
		label = w.account.Label()
	}
	w.mu.RUnlock()
	w.logger.Warn("scheduled refresh failed", "account", label, "err", err)
	w.emit(EventRefreshFailed, RefreshFailure{Account: label, Message: "The scheduled refresh failed: " + err.Error()})
}

// scheduledOutcome records what a scheduled run was: its trigger, or the
// slot it skipped because another extraction holds the database.
func (w *Workspace) scheduledOutcome(ctx context.Context, db *store.DB, res extract.Result, err error) error {
	var busy *extract.BusyError
	switch {
	case errors.As(err, &busy):
		if rerr := db.RecordSkippedSlot(ctx, w.clock.Now(), store.TriggerScheduled, busy.UserMessage()); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	case err != nil || res.ID == 0:
		return err
	}
	return db.SetRunTrigger(ctx, res.ID, store.TriggerScheduled)
}

// SkippedSlot is a scheduled refresh that did not run, for the history.
type SkippedSlot struct {
	At     string `json:"at"` // RFC 3339
	Reason string `json:"reason"`
}

// Skipped lists the latest limit scheduled refreshes that skipped their
// slot because another extraction held the database, newest first.
func (s *RunsService) Skipped(limit int) ([]SkippedSlot, error) {
	return query(s.w, []SkippedSlot{}, nil, func(ctx context.Context, db *store.DB) ([]SkippedSlot, error) {
		slots, err := db.SkippedSlots(ctx, limit)
		if err != nil {
			return nil, err
		}
		out := make([]SkippedSlot, len(slots))
		for i, sl := range slots {
			out[i] = SkippedSlot{At: timeText(sl.At), Reason: sl.Reason}
		}
		return out, nil
	})
}
