package export

import (
	"context"
	"runtime"
	"sync"

	"hubextract/backend/store"
)

// chunk is a run of CSV rows encoded by a worker: rows rows in buf. pairs
// is the worker's scratch for the run's association pairs, handed back with
// buf for the next run to reuse.
type chunk struct {
	buf   []byte
	rows  int64
	pairs *store.PairScratch
}

// exportWorkers is how many ranges of records are read and encoded at once:
// one per core the process may use (reading SQLite and encoding are both
// CPU-bound; the writer's share is small), at most 4.
func exportWorkers() int {
	return min(max(runtime.GOMAXPROCS(0), 1), 4)
}

// inOrder runs work(i) for every i below n on workers goroutines and hands
// the chunks to use in the order of i, on the calling goroutine. Each
// worker takes every workers-th i and keeps at most one finished chunk
// waiting, so memory stays at a few chunks whatever n is; the chunks use
// is done with go back to the workers (work's reuse) for their buffers. The first error (from work or use)
// stops everything; the workers are gone when inOrder returns.
func inOrder(ctx context.Context, n, workers int, work func(ctx context.Context, i int, reuse chunk) (chunk, error),
	use func(chunk) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	type result struct {
		chunk
		err error
	}
	done := make([]chan result, workers)
	free := make(chan chunk, 2*workers)
	for w := range workers {
		done[w] = make(chan result, 1)
		wg.Go(func() {
			for i := w; i < n; i += workers {
				var reuse chunk
				select {
				case reuse = <-free:
				default:
				}
				c, err := work(ctx, i, reuse)
				select {
				case done[w] <- result{c, err}:
				case <-ctx.Done():
					return
				}
				if err != nil {
					return
				}
			}
		})
	}
	for i := range n {
		var r result
		select {
		case r = <-done[i%workers]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			if err := ctx.Err(); err != nil {
				return err // the cancel, rather than what it made a query say
			}
			return r.err
		}
		if err := use(r.chunk); err != nil {
			return err
		}
		select {
		case free <- r.chunk:
		default:
		}
	}
	return nil
}
