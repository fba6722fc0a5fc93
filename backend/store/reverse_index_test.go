package store

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// usesReverseIndex says whether a lookup of pairs by their other record
// reads associations_to.
func usesReverseIndex(t *testing.T, db *DB) bool {
	t.Helper()
	var id, parent, unused int
	var plan string
	if err := db.SQL().QueryRow(`EXPLAIN QUERY PLAN
		SELECT from_id FROM associations WHERE to_type = 'contacts' AND to_id = '1'`).Scan(&id, &parent, &unused, &plan); err != nil {
		t.Fatal(err)
	}
	return strings.Contains(plan, "associations_to")
}

// TestDeferReverseIndex: the index is dropped only while no pair is stored;
// meanwhile a record's pairs stored from the other side are still found
// (by reading every pair), and BuildReverseIndex makes it again.
func TestDeferReverseIndex(t *testing.T) {
	ctx := context.Background()
	call := assoc("calls", "7", "contacts", "1", unlabeled)
	for _, tt := range []struct {
		name      string
		stored    []Association
		wantDefer bool
	}{
		{name: "no pair stored: a first extraction", wantDefer: true},
		{name: "pairs stored: kept up as they change", stored: []Association{assoc("calls", "8", "contacts", "2", unlabeled)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t)
			if len(tt.stored) > 0 {
				inTx(t, db, func(tx *Tx) error { return tx.AddAssociations(ctx, tt.stored) })
			}
			deferred, err := db.DeferReverseIndex(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if deferred != tt.wantDefer {
				t.Errorf("deferred %v, want %v", deferred, tt.wantDefer)
			}
			if usesReverseIndex(t, db) == tt.wantDefer {
				t.Errorf("lookup by the other record uses associations_to: %v, want %v", !tt.wantDefer, !tt.wantDefer)
			}
			inTx(t, db, func(tx *Tx) error { return tx.AddAssociations(ctx, []Association{call}) })
			got, err := db.AssociatedIDs(ctx, "contacts", "1")
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string][]string{"calls": {"7"}}; !reflect.DeepEqual(got, want) {
				t.Errorf("contact 1's associations %v, want %v", got, want)
			}
			if err := db.BuildReverseIndex(ctx); err != nil {
				t.Fatal(err)
			}
			if !usesReverseIndex(t, db) {
				t.Error("once built, a lookup by the other record does not use associations_to")
			}
		})
	}
}

// TestOpenBuildsDeferredReverseIndex: a process that deferred the index and
// stopped before building it (a crash) leaves it to the next Open.
func TestOpenBuildsDeferredReverseIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hubextract.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeferReverseIndex(ctx); err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.AddAssociations(ctx, []Association{assoc("calls", "7", "contacts", "1", unlabeled)})
	})
	if usesReverseIndex(t, db) {
		t.Fatal("associations_to still used once deferred")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !usesReverseIndex(t, db) {
		t.Error("after Open, a lookup by the other record does not use associations_to")
	}
}
