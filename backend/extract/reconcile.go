package extract

import (
	"context"
	"fmt"

	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// reconcile compares, for every type listed in full by this run, the
// active records stored with HubSpot's own total from the planning call. A
// difference larger than the records created, changed or archived since the
// run began (they may have moved either way while it ran) becomes a warning
// on the run: a missing record is never silent.
func (e *engine) reconcile(ctx context.Context) {
	for _, t := range e.crm {
		s := e.streams[t]
		s.mu.Lock()
		total, planErr, listed := s.total, s.planErr, s.listsDone && !s.listedBefore
		s.mu.Unlock()
		if !listed || s.result().Status != store.StatusSucceeded {
			continue
		}
		if total < 0 {
			msg := fmt.Sprintf("%s: HubSpot's total could not be read, so the stored count was not checked", t)
			if planErr != nil {
				msg += " (" + hubspot.UserMessage(planErr) + ")"
			}
			e.warn(msg)
			continue
		}
		active, _, err := e.db.CountRecords(ctx, t)
		if err != nil {
			e.warn(fmt.Sprintf("%s: the stored count could not be checked: %v", t, err))
			continue
		}
		if active == total {
			continue
		}
		changed, err := e.db.CountChangedSince(ctx, t, e.since)
		if err != nil {
			e.warn(fmt.Sprintf("%s: the stored count could not be checked: %v", t, err))
			continue
		}
		if diff := abs(active - total); diff > changed {
			e.warn(fmt.Sprintf("%s: HubSpot counts %d records but %d are stored: %d more than the %d that changed during the run",
				t, total, active, diff-changed, changed))
		}
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
