package extract

import (
	"context"

	"hubextract/backend/store"
)

// writer is the only goroutine that writes to SQLite during a run: fetching
// goroutines hand it one transaction's work at a time through a bounded
// channel, so SQLite never sees two writers (no SQLITE_BUSY) and a fetcher
// can fetch its next page while its last one is written.
type writer struct {
	db   *store.DB
	jobs chan writeJob
	done chan struct{}
	// every ends each transaction (the run's figures); failed hears of
	// each transaction that did not commit, before the job's caller does.
	every  func(ctx context.Context, tx *store.Tx) error
	failed func(error)
}

type writeJob struct {
	fn        func(ctx context.Context, tx *store.Tx) error
	committed func() // run by the writer after a successful commit; may be nil
	result    chan<- error
}

// newWriter starts the writer. Its transactions run on ctx, which should
// outlive a cancelled run: pages already fetched are still committed. every
// (may be nil) runs at the end of each transaction; failed (may be nil) is
// told of each transaction that did not commit.
func newWriter(ctx context.Context, db *store.DB, queue int, every func(ctx context.Context, tx *store.Tx) error, failed func(error)) *writer {
	w := &writer{db: db, jobs: make(chan writeJob, queue), done: make(chan struct{}), every: every, failed: failed}
	go func() {
		defer close(w.done)
		for j := range w.jobs {
			err := db.TransactionContext(ctx, func(tx *store.Tx) error {
				if err := j.fn(ctx, tx); err != nil {
					return err
				}
				if len(w.jobs) > 0 {
					// Busy: index the search once per many pages, idle
					// after every page (see searchLag).
					tx.DeferSearchIndex(searchLag)
				}
				if w.every == nil {
					return nil
				}
				return w.every(ctx, tx)
			})
			switch {
			case err == nil && j.committed != nil:
				j.committed()
			case err != nil && w.failed != nil:
				w.failed(err)
			}
			j.result <- err
		}
		// A page deferred its records' indexing and the ones after it did
		// not commit.
		if err := db.IndexPendingSearch(ctx); err != nil && w.failed != nil {
			w.failed(err)
		}
	}()
	return w
}

// searchLag is how many records a busy writer lets wait for the search
// index. Indexing each page apart cost an unthrottled run at 10,000 records
// per type 12% of its speed (FTS5 writes a segment per statement, then
// merges them); batches of 1,000 to 20,000 records measured the same. A
// search during such a run misses at most the last 20 pages; at HubSpot's
// rate the writer is idle between pages and indexes each at once.
const searchLag = 2000

// submit queues fn and returns the channel its outcome arrives on;
// committed (if not nil) runs once the transaction committed, before that.
func (w *writer) submit(fn func(ctx context.Context, tx *store.Tx) error, committed func()) <-chan error {
	res := make(chan error, 1)
	w.jobs <- writeJob{fn: fn, committed: committed, result: res}
	return res
}

// write runs fn in a transaction and waits for it.
func (w *writer) write(fn func(ctx context.Context, tx *store.Tx) error) error {
	return <-w.submit(fn, nil)
}

// close waits for every queued transaction; submit must not be called after.
func (w *writer) close() {
	close(w.jobs)
	<-w.done
}

// pending is the outcome of the page a walk handed to the writer, awaited
// before the walk hands over the next one: a walk fetches its next page
// while its last is saved, and never holds more than these two.
type pending <-chan error

// wait waits for the page (if any) and, once it is saved, reports s's
// progress.
func (p *pending) wait(s *stream) error {
	if *p == nil {
		return nil
	}
	err := <-*p
	*p = nil
	if err == nil {
		s.report(false)
	}
	return err
}
