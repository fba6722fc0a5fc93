package bench

import (
	"context"
	"sync"

	"golang.org/x/time/rate"

	"hubextract/backend/clock"
	"hubextract/backend/hubspot"
)

// pacer spaces a reference client's calls exactly as the product's client
// spaces its own: a token bucket of burst 1 at hubspot.SustainedRate, on the
// run's clock. A nil pacer lets every call through (the unthrottled runs).
type pacer struct {
	clk clock.Clock
	lim *rate.Limiter
}

func newPacer(clk clock.Clock, per10s int) *pacer {
	if per10s <= 0 {
		return nil
	}
	return &pacer{clk: clk, lim: rate.NewLimiter(rate.Limit(hubspot.SustainedRate(per10s)), 1)}
}

// wait blocks until the next call may go.
func (p *pacer) wait(ctx context.Context) error {
	if p == nil {
		return ctx.Err()
	}
	now := p.clk.Now()
	r := p.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d <= 0 {
		return ctx.Err()
	}
	if err := p.clk.Sleep(ctx, d); err != nil {
		r.CancelAt(p.clk.Now())
		return err
	}
	return nil
}

// task is one call of a reference client and what it learns; it may queue
// more (the next page, the follow-up calls of a page).
type task func(ctx context.Context, q *queue) error

// queue is a pool of workers over a stack of tasks. Last in, first out: the
// follow-up calls of a page run before the next page is listed, so the
// queue holds about a page's worth of tasks per type, whatever the scale.
type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	tasks []task
	busy  int
	err   error
}

// push queues a task.
func (q *queue) push(t task) {
	q.mu.Lock()
	q.tasks = append(q.tasks, t)
	q.mu.Unlock()
	q.cond.Signal()
}

// runQueue runs the first tasks and everything they queue on workers
// goroutines, until none is left or one fails (its error is returned).
func runQueue(ctx context.Context, workers int, first []task) error {
	q := &queue{tasks: first}
	q.cond = sync.NewCond(&q.mu)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { q.work(ctx) })
	}
	wg.Wait()
	return q.err
}

func (q *queue) work(ctx context.Context) {
	for {
		q.mu.Lock()
		for len(q.tasks) == 0 && q.busy > 0 && q.err == nil {
			q.cond.Wait()
		}
		if len(q.tasks) == 0 || q.err != nil {
			q.mu.Unlock()
			q.cond.Broadcast()
			return
		}
		t := q.tasks[len(q.tasks)-1]
		q.tasks = q.tasks[:len(q.tasks)-1]
		q.busy++
		q.mu.Unlock()

		err := t(ctx, q)

		q.mu.Lock()
		q.busy--
		if err != nil && q.err == nil {
			q.err = err
		}
		q.mu.Unlock()
		q.cond.Broadcast()
	}
}
