package store

import (
	"context"
	"fmt"
	"testing"
)

// TestExecCached: statements run through the cache in one transaction after
// another, past the cache's bound and on a pool of one connection, and a
// rolled back transaction's writes through a cached statement are undone
// with it.
func TestExecCached(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, err := db.SQL().Exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	const statements = maxCached + 8
	for round := range 3 {
		inTx(t, db, func(tx *Tx) error {
			for i := range statements {
				// A distinct text each: the cache fills, the rest run directly.
				q := fmt.Sprintf(`INSERT INTO t (k, v) VALUES (?, ?) /* %d */`, i)
				if _, err := tx.execCached(ctx, q, round*statements+i, "x"); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		if _, err := tx.execCached(ctx, `INSERT INTO t (k, v) VALUES (?, ?) /* 0 */`, -1, "undone"); err != nil {
			return err
		}
		return fmt.Errorf("roll back")
	}); err == nil {
		t.Fatal("the transaction did not fail")
	}
	if n := countRows(t, db, "t"); n != 3*statements {
		t.Errorf("%d rows, want %d", n, 3*statements)
	}
	if n := len(db.stmts.m); n != maxCached {
		t.Errorf("%d statements cached, want the bound %d", n, maxCached)
	}

	// With the pool down to the transaction's one connection, a statement
	// not cached yet runs directly rather than wait for another.
	db.stmts.close()
	db.SQL().SetMaxOpenConns(1)
	inTx(t, db, func(tx *Tx) error {
		_, err := tx.execCached(ctx, `INSERT INTO t (k, v) VALUES (?, ?)`, -2, "one connection")
		return err
	})
	if n := countRows(t, db, "t"); n != 3*statements+1 {
		t.Errorf("%d rows, want %d", n, 3*statements+1)
	}
	if n := len(db.stmts.m); n != 0 {
		t.Errorf("%d statements cached on a pool of one connection", n)
	}
}
