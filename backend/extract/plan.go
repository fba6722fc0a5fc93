package extract

import (
	"context"
	"fmt"
	"slices"

	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// startPlanner asks HubSpot, once per type still to list, how many records
// it holds: a search with limit 1 (the only planning call). Totals feed the
// progress bars and ETAs of full reads, order the queued full walks longest
// first, and are what the reconciliation compares the stored counts with
// (after an incremental read too: the stored count must still match). It runs beside the
// workers, one search at a time (search has its own, lower limit), so no
// walk waits for it. The channel closes when it is done.
func (e *engine) startPlanner(ctx context.Context) <-chan struct{} {
	var todo []*stream
	for _, t := range e.crm {
		if s := e.streams[t]; !s.listedBefore {
			todo = append(todo, s)
		}
	}
	// Queued walks first (in priority order): their order can still change.
	slices.SortStableFunc(todo, func(a, b *stream) int {
		pa, pb := e.walks[a.name].priority, e.walks[b.name].priority
		switch {
		case pa > pb:
			return -1
		case pa < pb:
			return 1
		}
		return 0
	})
	// A stream ends only after its planning call, which its result counts.
	for _, s := range todo {
		s.hold()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, s := range todo {
			if ctx.Err() == nil && s.failedErr() == nil {
				e.planTotal(ctx, s)
			}
			s.release(ctx)
		}
	}()
	return done
}

func (e *engine) planTotal(ctx context.Context, s *stream) {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	total, err := countTotal(tctx, e.client, s.name)
	if err != nil {
		if isFatal(err) { // a refused token: every other call would be refused too
			e.abort(err)
			return
		}
		// Otherwise not fatal: the walk itself fails if HubSpot refuses
		// this type; else the total is only unknown, and the
		// reconciliation says so.
		s.mu.Lock()
		s.planErr = err
		s.mu.Unlock()
		s.saveLine(ctx)
		return
	}
	e.addMinimum(planningCalls)
	s.mu.Lock()
	s.total = total
	s.mu.Unlock()
	if t := e.walks[s.name]; t != nil && !e.incremental(s.name) {
		_, archived, _ := e.db.CountRecords(ctx, s.name)
		e.sched.reprioritize(t, float64(listingOf(nil, e.history[s.name]).listCalls(total)+listingOf(nil, false).listCalls(archived)))
	}
	s.saveLine(ctx)
	s.report(false)
}

// saveLine writes the stream's line in the run history as it stands, and
// with it the run's figures: the planner commits nothing else, so without
// it a run killed after a row of planning calls would lose them all.
func (s *stream) saveLine(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	err := <-s.e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		return tx.SaveStreamResult(ctx, s.e.runID, s.result())
	}, nil)
	s.fail(ctx, err)
}

// countTotal asks HubSpot how many active records objectType holds: a
// search with limit 1, the planning call of a run and of an estimate.
func countTotal(ctx context.Context, c *hubspot.Client, objectType string) (int64, error) {
	page, err := c.SearchObjects(ctx, objectType, hubspot.SearchRequest{Limit: 1, Properties: []string{"hs_object_id"}})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", objectType, err)
	}
	return int64(page.Total), nil
}
