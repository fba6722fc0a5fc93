package store

import (
	"context"
	"sync"
)

// The WAL is checkpointed (its pages copied into the database file) by a
// goroutine of its own, every checkpointEvery commits, beside the writes
// rather than in the middle of one: SQLite's automatic checkpoint runs in
// the connection that commits, and took 6% of an unthrottled extraction's
// one writer. A passive checkpoint waits for no one and stops no one. The
// automatic one (dsnParams) is left as it was: it steps in, with little
// left to copy, only if this one falls behind.
type checkpointer struct {
	commits int           // since Open; counted under the write lock
	due     chan struct{} // a checkpoint is due; never closed
	closed  chan struct{} // Close was called
	done    chan struct{} // the goroutine has ended
	stopped sync.Once
	// after, when set (by tests, before the first commit), hears of each
	// checkpoint: the WAL's frames, and how many of them are in the file.
	after func(frames, copied int, err error)
}

// checkpointEvery commits, the WAL is checkpointed: at 20 (an unthrottled
// run's pages, a few MB of WAL) the writer ran 4-8% faster than with
// SQLite's own checkpoint; at 5 and 50 the same.
const checkpointEvery = 20

// startCheckpoints starts db's checkpointer; Close stops it.
func (db *DB) startCheckpoints() {
	c := &checkpointer{due: make(chan struct{}, 1), closed: make(chan struct{}), done: make(chan struct{})}
	db.ckpt = c
	go func() {
		defer close(c.done)
		for {
			select {
			case <-c.closed:
				return
			case <-c.due:
			}
			// A checkpoint that fails leaves the WAL longer, nothing lost;
			// the commit-time one is still there.
			var busy, frames, copied int
			err := db.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
			if c.after != nil {
				c.after(frames, copied, err)
			}
		}
	}()
}

// committed counts a commit, and asks for a checkpoint when one is due.
// Called under the write lock.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	c.commits++
	if c.commits%checkpointEvery != 0 {
		return
	}
	select {
	case c.due <- struct{}{}:
	default: // one is already asked for
	}
}

// stop ends the checkpointer and waits for it.
func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	c.stopped.Do(func() { close(c.closed) })
	<-c.done
}
