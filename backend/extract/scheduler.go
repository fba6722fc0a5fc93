package extract

import (
	"container/heap"
	"context"
	"sync"
)

// task is one sequential piece of work (a cursor walk, a metadata read, a
// round of association completion). It holds a worker while it runs, so the
// number of workers bounds the requests in flight; tasks may schedule
// follow-up tasks.
type task struct {
	name string
	// priority orders the queue, highest first: metadata, then the
	// longest walks first (estimated calls left), so the run does not end
	// on one long walk with the limiter idle.
	priority float64
	run      func(ctx context.Context)
	seq      int // FIFO among equal priorities
}

// scheduler runs tasks on a fixed pool of workers until none is queued or
// running. A cancelled context stops workers from starting queued tasks;
// tasks themselves watch the context.
type scheduler struct {
	mu      sync.Mutex
	cond    *sync.Cond
	queue   taskQueue
	running int // tasks running, and holds (see hold)
	seq     int
	ctx     context.Context // the run's, once run started
	wg      sync.WaitGroup
}

func newScheduler() *scheduler {
	s := &scheduler{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// add queues a task. It may be called from within a running task.
func (s *scheduler) add(t *task) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	t.seq = s.seq
	heap.Push(&s.queue, t)
	s.cond.Signal()
}

// reprioritize changes the priority of a task still queued.
func (s *scheduler) reprioritize(t *task, priority float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.priority = priority
	heap.Init(&s.queue)
}

// hold keeps the workers up (or, before run, the pool to come), waiting for tasks, until unhold: for work
// that may queue tasks from outside a task.
func (s *scheduler) hold() {
	s.mu.Lock()
	s.running++
	s.mu.Unlock()
}

func (s *scheduler) unhold() {
	s.mu.Lock()
	s.running--
	s.cond.Broadcast()
	s.mu.Unlock()
}

// run starts workers and returns once every task is finished (or, after
// ctx ends, every running task returned: queued ones are dropped).
func (s *scheduler) run(ctx context.Context, workers int) {
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.cond.Broadcast()
	})
	defer stop()
	s.mu.Lock()
	s.ctx = ctx
	s.start(max(workers, 1))
	s.mu.Unlock()
	s.wg.Wait()
}

// grow adds n workers to a running pool (more requests in flight), while
// a hold or a task keeps it up.
func (s *scheduler) grow(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil && s.running > 0 {
		s.start(n)
	}
}

// start starts n workers (s.mu held).
func (s *scheduler) start(n int) {
	ctx := s.ctx
	for range n {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for {
				t := s.next(ctx)
				if t == nil {
					return
				}
				t.run(ctx)
				s.mu.Lock()
				s.running--
				s.cond.Broadcast()
				s.mu.Unlock()
			}
		}()
	}
}

// next waits for a task; nil when all work is done or ctx ended.
func (s *scheduler) next(ctx context.Context) *task {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if s.queue.Len() > 0 {
			s.running++
			return heap.Pop(&s.queue).(*task)
		}
		if s.running == 0 {
			return nil
		}
		s.cond.Wait()
	}
}

type taskQueue []*task

func (q taskQueue) Len() int { return len(q) }
func (q taskQueue) Less(i, j int) bool {
	if q[i].priority != q[j].priority {
		return q[i].priority > q[j].priority
	}
	return q[i].seq < q[j].seq
}
func (q taskQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *taskQueue) Push(x any)   { *q = append(*q, x.(*task)) }
func (q *taskQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return t
}
