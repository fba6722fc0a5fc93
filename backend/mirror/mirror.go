// Package mirror owns the PostgreSQL mirror of the store (the team
// database): its schema of typed tables, the connection and its plain-worded
// failures, and Sync, which sends what changed since the last sync. It reads
// the SQLite store (the change sequence of migration 0012, which its first
// sync turns on) and never writes HubSpot data there; it touches no HTTP,
// HubSpot API or Wails.
//
// A sync applies the changes in batches, each in one PostgreSQL transaction
// together with the sequence number it reaches (kept in the mirror itself,
// table _hubextract_sync): killed or cut off anywhere, the mirror holds the
// last batch committed, and the next sync goes on from there. Writes are
// upserts and deletes by key, so a batch sent twice changes nothing.
package mirror

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/store"
)

// DefaultSchema is the PostgreSQL schema a mirror is written to unless the
// user names another.
const DefaultSchema = "hubspot"

// defaultBatch is how many changes go in one transaction: big enough that
// a transaction's fixed cost is small beside its rows, small enough that a
// cut-off sync loses little and memory stays modest.
const defaultBatch = 20000

// Options says where and how to sync.
type Options struct {
	URL    string // postgres://user:password@host:port/database
	Schema string // DefaultSchema when ""
	// Batch is the number of changes per transaction (defaultBatch when 0).
	Batch int
	// Progress, when set, is called after each committed batch with the
	// changes applied so far and the changes this sync had to apply.
	Progress func(done, total int64)
}

// Summary is what a sync did.
type Summary struct {
	Changes int64   `json:"changes"` // changes applied
	Rows    int64   `json:"rows"`    // rows written or deleted in PostgreSQL
	Seconds float64 `json:"seconds"`
	// Unreadable counts property values that could not be read as their
	// property's type (a number that is not one) and were left NULL.
	Unreadable int64  `json:"unreadable"`
	Schema     string `json:"schema"`
	Target     string `json:"target"` // user@host:port/database, no password
}

// Sync sends to the mirror at opts.URL everything db changed since that
// mirror's last sync (everything, the first time), in batches of one
// transaction each, then the run history. On error what was committed
// stays, and the next sync goes on from it; the error is an *Error with a
// plain message when its cause is one the user can act on.
func Sync(ctx context.Context, db *store.DB, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Schema == "" {
		opts.Schema = DefaultSchema
	}
	if opts.Batch <= 0 {
		opts.Batch = defaultBatch
	}
	sum := Summary{Schema: opts.Schema}
	conn, target, err := connect(ctx, opts.URL)
	if err != nil {
		return sum, err
	}
	sum.Target = target
	defer conn.Close(context.WithoutCancel(ctx))
	source, err := db.ChangeSource(ctx)
	if err != nil {
		return sum, err
	}
	m := &mirror{conn: conn, db: db, schema: opts.Schema, sum: &sum}
	fail := func(err error) (Summary, error) {
		sum.Seconds = time.Since(start).Seconds()
		return sum, m.explain(ctx, err)
	}
	if err := m.prepare(ctx, source); err != nil {
		return fail(err)
	}
	// The store logs changes only from a mirror's first sync on.
	if err := db.KeepChangeLog(ctx); err != nil {
		return fail(err)
	}
	mark, err := m.mark(ctx, source)
	if err != nil {
		return fail(err)
	}
	total, err := db.CountChanges(ctx, mark)
	if err != nil {
		return fail(err)
	}
	if opts.Progress != nil {
		opts.Progress(0, total)
	}
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	for b := range readAhead(readCtx, db, mark, opts.Batch) {
		if b.err != nil {
			return fail(b.err)
		}
		changes := b.changes
		last := changes[len(changes)-1].Seq
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if err := m.apply(ctx, tx, changes); err != nil {
				return err
			}
			return m.setMark(ctx, tx, source, last)
		})
		if err != nil {
			m.forget() // what the rolled-back transaction added to the schema is gone
			return fail(fmt.Errorf("sync changes %d to %d: %w", mark+1, last, err))
		}
		mark = last
		sum.Changes += int64(len(changes))
		if opts.Progress != nil {
			opts.Progress(sum.Changes, max(total, sum.Changes))
		}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return m.sendRuns(ctx, tx) }); err != nil {
		return fail(fmt.Errorf("sync runs: %w", err))
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// Test connects to the mirror at url and checks that a sync could write its
// schema there, changing nothing: it returns where it connected
// (user@host:port/database) or an *Error saying what is wrong.
func Test(ctx context.Context, url, schema string) (string, error) {
	if schema == "" {
		schema = DefaultSchema
	}
	conn, target, err := connect(ctx, url)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	m := &mirror{conn: conn, schema: schema}
	if err := m.checkRights(ctx); err != nil {
		return target, m.explain(ctx, err)
	}
	return target, nil
}

// errOtherSource: the schema mirrors another database than this one.
var errOtherSource = errors.New("mirrors another database")

// batch is one read of changes, or the error that ended the reading.
type batch struct {
	changes []store.Change
	err     error
}

// readAhead reads the changes after seq in batches of n on a goroutine of
// its own, one batch ahead of the one being written: SQLite's reading and
// PostgreSQL's writing overlap. The channel closes after the last batch,
// an error, or when ctx ends.
func readAhead(ctx context.Context, db *store.DB, after int64, n int) <-chan batch {
	out := make(chan batch, 1)
	go func() {
		defer close(out)
		for {
			changes, err := db.Changes(ctx, after, n)
			if err == nil && len(changes) == 0 {
				return
			}
			select {
			case out <- batch{changes, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			after = changes[len(changes)-1].Seq
		}
	}()
	return out
}
