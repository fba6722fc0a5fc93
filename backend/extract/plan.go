package extract

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// planner asks HubSpot how many records a type holds (a search with limit
// 1, sorted by id descending so that the same call gives the type's
// highest id: the planning call) for the types that need it, one search at
// a time beside the walks (search has its own, lower limit). A full walk
// from the start asks only once its first page showed a next one (a type
// that fits one page is counted by that page); an incremental or resumed
// walk is counted at the start, for the reconciliation. Totals feed the
// progress bars and ETAs, order the queued walks longest first, and are
// what the reconciliation compares the stored counts with. Once every full
// walk's size is known, the planner makes the run's split plan (split.go)
// and hands each type its part of it.
type planner struct {
	e    *engine
	wake chan struct{}

	mu       sync.Mutex
	queue    []*stream        // to count, in order
	awaiting map[*stream]bool // first pages whose size is still to come
	planned  map[*stream]bool // walks whose split the plan settles
}

func newPlanner(e *engine) *planner {
	return &planner{e: e, wake: make(chan struct{}, 1), awaiting: map[*stream]bool{}, planned: map[*stream]bool{}}
}

// await registers a full walk from the start: its first page will tell
// its size (sized), or its failure that none comes (sizeUnknown).
func (p *planner) await(s *stream) {
	p.mu.Lock()
	p.awaiting[s], p.planned[s] = true, true
	p.mu.Unlock()
}

// sized takes a first page: the type is counted when it has more, else
// its size is the page's.
func (p *planner) sized(ctx context.Context, s *stream, page hubspot.ObjectPage) {
	if page.Next == "" {
		s.mu.Lock()
		s.total = int64(len(page.Results))
		s.mu.Unlock()
		s.saveLine(ctx)
	} else {
		s.hold()
	}
	p.mu.Lock()
	delete(p.awaiting, s)
	if page.Next != "" {
		p.queue = append(p.queue, s)
	}
	p.mu.Unlock()
	p.poke()
}

// sizeUnknown: the walk ended before its first page said anything.
func (p *planner) sizeUnknown(s *stream) {
	p.mu.Lock()
	_, was := p.awaiting[s]
	delete(p.awaiting, s)
	p.mu.Unlock()
	if was {
		p.poke()
	}
}

func (p *planner) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// start counts, first, the walks that are not full reads from the start,
// longest first (by the estimate from the last runs), then those whose
// first page asks; once all are in, it plans the split. The channel closes
// when it is done.
func (p *planner) start(ctx context.Context) <-chan struct{} {
	e := p.e
	var todo []*stream
	for _, t := range e.crm {
		if s := e.streams[t]; !s.listedBefore && !p.planned[s] {
			todo = append(todo, s)
		}
	}
	slices.SortStableFunc(todo, func(a, b *stream) int {
		pa, pb := e.walkTask(a.name).priority, e.walkTask(b.name).priority
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
	p.queue = todo
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer p.settleAll(ctx)
		for {
			if s := p.next(); s != nil {
				if ctx.Err() == nil && s.failedErr() == nil {
					e.planTotal(ctx, s)
				}
				s.release(ctx)
				continue
			}
			p.mu.Lock()
			ready := len(p.awaiting) == 0 && len(p.queue) == 0
			p.mu.Unlock()
			if ready {
				if ctx.Err() == nil {
					e.decideSplit(ctx, p.plannedStreams())
				}
				return
			}
			select {
			case <-p.wake:
			case <-ctx.Done():
				return
			}
		}
	}()
	return done
}

func (p *planner) next() *stream {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 {
		return nil
	}
	s := p.queue[0]
	p.queue = p.queue[1:]
	return s
}

func (p *planner) plannedStreams() []*stream {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*stream
	for _, t := range p.e.crm {
		if s := p.e.streams[t]; p.planned[s] {
			out = append(out, s)
		}
	}
	return out
}

// settleAll ends the plan part of every walk it was to settle (the split,
// if any, is queued by then; a cancelled run settles nothing more).
func (p *planner) settleAll(ctx context.Context) {
	for _, s := range p.plannedStreams() {
		s.partDone(ctx, nil)
	}
	// The streams still queued for a count were held for it.
	p.mu.Lock()
	left := p.queue
	p.queue = nil
	p.mu.Unlock()
	for _, s := range left {
		s.release(ctx)
	}
}

func (e *engine) planTotal(ctx context.Context, s *stream) {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	total, highest, err := countTotal(tctx, e.client, s.name)
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
	s.total, s.maxID = total, highest
	s.mu.Unlock()
	if t := e.walkTask(s.name); t != nil && !e.incremental(s.name) {
		_, archived, _ := e.db.CountRecords(ctx, s.name)
		left := max(total-s.activeRead(), 0)
		e.sched.reprioritize(t, float64(listingOf(nil, e.history[s.name]).listCalls(left)+listingOf(nil, false).listCalls(archived)))
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

// countTotal asks HubSpot how many active records objectType holds, and
// its highest id (0 when it holds none): a search with limit 1, sorted by
// id descending, the planning call of a run and of an estimate.
func countTotal(ctx context.Context, c *hubspot.Client, objectType string) (total, highest int64, err error) {
	page, err := c.SearchObjects(ctx, objectType, hubspot.SearchRequest{Limit: 1, Properties: []string{idProperty},
		Sorts: []hubspot.Sort{{PropertyName: idProperty, Direction: "DESCENDING"}}})
	if err != nil {
		return 0, 0, fmt.Errorf("count %s: %w", objectType, err)
	}
	if len(page.Results) > 0 {
		highest, _ = strconv.ParseInt(page.Results[0].ID, 10, 64)
	}
	return int64(page.Total), highest, nil
}

// idProperty is the property every record's id is in, which search
// filters and sorts by.
const idProperty = "hs_object_id"
