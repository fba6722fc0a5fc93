package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestSearchIndexedInBatches: a transaction that defers the search index
// leaves its records unfound until enough are pending; a later one that
// writes records, or IndexPendingSearch, indexes them; a process that
// stopped before that has them indexed by the next Open. Each record ends in the index exactly once,
// with its latest text.
func TestSearchIndexedInBatches(t *testing.T) {
	ctx := context.Background()
	note := func(id, body string) Record {
		return Record{Type: "notes", ID: id, Properties: map[string]*string{"body": str(body)}}
	}
	upsert := func(db *DB, upTo int, recs ...Record) {
		t.Helper()
		inTx(t, db, func(tx *Tx) error {
			tx.DeferSearchIndex(upTo)
			return tx.UpsertRecords(ctx, 1, recs)
		})
	}
	path := filepath.Join(t.TempDir(), "hubextract.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()

	upsert(db, 3, note("1", "apple"), note("2", "apple"))
	checkSearch(t, db, "notes", "apple", nil)
	upsert(db, 3, note("3", "apple"))
	checkSearch(t, db, "notes", "apple", []string{"3", "2", "1"})

	// Rewritten while pending, and then again once indexed.
	upsert(db, 3, note("4", "banana"))
	upsert(db, 3, note("4", "cherry"), note("1", "damson"))
	checkSearch(t, db, "notes", "cherry", nil)
	inTx(t, db, func(*Tx) error { return nil })
	checkSearch(t, db, "notes", "cherry", nil) // a transaction that wrote no records indexes nothing
	if err := db.IndexPendingSearch(ctx); err != nil {
		t.Fatal(err)
	}
	checkSearch(t, db, "notes", "banana", nil)
	checkSearch(t, db, "notes", "cherry", []string{"4"})
	checkSearch(t, db, "notes", "damson", []string{"1"})
	checkSearch(t, db, "notes", "apple", []string{"3", "2"})

	// A transaction that fails leaves nothing pending.
	boom := errors.New("boom")
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		tx.DeferSearchIndex(3)
		if err := tx.UpsertRecords(ctx, 1, []Record{note("5", "elder")}); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("failed transaction: %v, want %v", err, boom)
	}
	if pending := countRows(t, db, "search_pending"); pending != 0 {
		t.Errorf("a rolled back transaction left %d records pending", pending)
	}

	// Deferred, then the process stops: the next Open indexes them.
	upsert(db, 3, note("5", "fig"))
	checkSearch(t, db, "notes", "fig", nil)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	checkSearch(t, db, "notes", "fig", []string{"5"})
	if pending := countRows(t, db, "search_pending"); pending != 0 {
		t.Errorf("%d records still pending after Open", pending)
	}
	if _, err := db.SQL().Exec(`INSERT INTO records_fts (records_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Errorf("search index: %v", err)
	}
	var indexed int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM records_fts WHERE records_fts MATCH 'apple OR cherry OR damson OR fig'`).Scan(&indexed); err != nil {
		t.Fatal(err)
	}
	if indexed != 5 {
		t.Errorf("%d index entries for the 5 records, want one each", indexed)
	}
}

func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
