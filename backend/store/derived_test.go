package store

import (
	"context"
	"strings"
	"testing"
)

// TestStopMaintaining: once a structure is no longer maintained, later
// writes leave it as it was while the records themselves are stored; the
// other structure goes on; an unknown one is refused.
func TestStopMaintaining(t *testing.T) {
	ctx := context.Background()
	found := func(t *testing.T, db *DB, word string) int {
		t.Helper()
		recs, _, err := db.RecordsPage(ctx, RecordQuery{Type: "contacts", Search: word})
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	for _, tc := range []struct {
		name        string
		stop        []Derived
		wantFound   int   // records found by the later record's word
		wantChanges int64 // change rows the later record and pair add
	}{
		{name: "Nothing", wantFound: 1, wantChanges: 2},
		{name: "SearchIndex", stop: []Derived{SearchIndex}, wantFound: 0, wantChanges: 2},
		{name: "ChangeLog", stop: []Derived{ChangeLog}, wantFound: 1, wantChanges: 0},
		{name: "Both", stop: []Derived{SearchIndex, ChangeLog}, wantFound: 0, wantChanges: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			inTx(t, db, func(tx *Tx) error {
				return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "1", Properties: map[string]*string{"firstname": str("Anna")}}})
			})
			if err := db.StopMaintaining(ctx, tc.stop...); err != nil {
				t.Fatal(err)
			}
			before, err := db.CountChanges(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			inTx(t, db, func(tx *Tx) error {
				if err := tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "2", Properties: map[string]*string{"firstname": str("Zoë")}}}); err != nil {
					return err
				}
				return tx.AddAssociations(ctx, []Association{assoc("contacts", "2", "companies", "9", unlabeled)})
			})
			after, err := db.CountChanges(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := after - before; got != tc.wantChanges {
				t.Errorf("the later writes added %d changes, want %d", got, tc.wantChanges)
			}
			if got := found(t, db, "zoë"); got != tc.wantFound {
				t.Errorf("search for the later record found %d, want %d", got, tc.wantFound)
			}
			// What was indexed before stays found.
			if got := found(t, db, "anna"); got != 1 {
				t.Errorf("search for the earlier record found %d, want 1", got)
			}
			if active, _, err := db.CountRecords(ctx, "contacts"); err != nil || active != 2 {
				t.Errorf("stored %d contacts (%v), want 2", active, err)
			}
		})
	}
	db := openTest(t)
	if err := db.StopMaintaining(ctx, "spelling index"); err == nil || !strings.Contains(err.Error(), "no such structure") {
		t.Errorf("unknown structure: %v", err)
	}
}
