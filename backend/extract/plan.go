package extract

import (
	"context"
	"slices"

	"hubextract/backend/hubspot"
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
	page, err := e.client.SearchObjects(tctx, s.name, hubspot.SearchRequest{Limit: 1, Properties: []string{"hs_object_id"}})
	if err != nil {
		if isFatal(err) { // a refused token: every other call would be refused too
			e.abort(err)
		}
		// Otherwise not fatal: the walk itself fails if HubSpot refuses
		// this type; else the total is only unknown, and the
		// reconciliation says so.
		s.mu.Lock()
		s.planErr = err
		s.mu.Unlock()
		return
	}
	e.addMinimum(1)
	s.mu.Lock()
	s.total = int64(page.Total)
	s.mu.Unlock()
	if t := e.walks[s.name]; t != nil && !e.incremental(s.name) {
		_, archived, _ := e.db.CountRecords(ctx, s.name)
		e.sched.reprioritize(t, float64(pagesFor(int64(page.Total))+pagesFor(archived)))
	}
	s.report(false)
}
