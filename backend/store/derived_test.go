package store

import (
	"context"
	"testing"
)

// TestStopSearchIndex: once the search index is stopped, a later record is
// stored but not found, while what was indexed before still is; the change
// log, once kept, goes on.
func TestStopSearchIndex(t *testing.T) {
	ctx := context.Background()
	found := func(t *testing.T, db *DB, word string) int {
		t.Helper()
		recs, _, err := db.RecordsPage(ctx, RecordQuery{Type: "contacts", Search: word})
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	db := openTest(t)
	if err := db.KeepChangeLog(ctx); err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "1", Properties: map[string]*string{"firstname": str("Anna")}}})
	})
	if err := db.StopSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := db.CountChanges(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "2", Properties: map[string]*string{"firstname": str("Zoë")}}})
	})
	if got := found(t, db, "zoë"); got != 0 {
		t.Errorf("search for the later record found %d, want 0", got)
	}
	if got := found(t, db, "anna"); got != 1 {
		t.Errorf("search for the earlier record found %d, want 1", got)
	}
	if active, _, err := db.CountRecords(ctx, "contacts"); err != nil || active != 2 {
		t.Errorf("stored %d contacts (%v), want 2", active, err)
	}
	if after, err := db.CountChanges(ctx, 0); err != nil || after != before+1 {
		t.Errorf("changes %d -> %d (%v), want the later record logged", before, after, err)
	}
	if err := db.StopSearchIndex(ctx); err == nil {
		t.Error("stopping it twice: no error, want one saying its triggers are gone")
	}
}
