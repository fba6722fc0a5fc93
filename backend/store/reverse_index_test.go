package store

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// usesReverseIndex says whether a lookup of pairs by their other record
// reads associations_to.
func usesReverseIndex(t *testing.T, db *DB) bool {
	t.Helper()
	plan := queryPlan(t, db, `SELECT from_id FROM associations WHERE to_type = 'contacts' AND to_id = '1'`)
	return len(plan) > 0 && strings.Contains(plan[0], "associations_to")
}

// TestDeferReverseIndex: the index is dropped only while no pair is stored;
// meanwhile a record's pairs stored from the other side are still found
// (by reading every pair), an archived record's pairs from the other side
// wait, and BuildReverseIndex makes the index again and drops them.
func TestDeferReverseIndex(t *testing.T) {
	ctx := context.Background()
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
			// Contact 1 has a call; contact 3 is then read as archived.
			inTx(t, db, func(tx *Tx) error {
				if err := tx.AddAssociations(ctx, []Association{assoc("calls", "7", "contacts", "1", unlabeled),
					assoc("calls", "7", "contacts", "3", unlabeled), assoc("contacts", "3", "calls", "7", unlabeled)}); err != nil {
					return err
				}
				if err := tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "3", Archived: true}}); err != nil {
					return err
				}
				return tx.DropAssociations(ctx, "contacts", []string{"3"})
			})
			got, err := db.AssociatedIDs(ctx, "contacts", "1")
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string][]string{"calls": {"7"}}; !reflect.DeepEqual(got, want) {
				t.Errorf("contact 1's associations %v, want %v", got, want)
			}
			archived := func() map[string][]string {
				t.Helper()
				got, err := db.AssociatedIDs(ctx, "contacts", "3")
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			// Its own pairs go at once; the call's towards it wait while
			// the index is deferred.
			want := map[string][]string{}
			if tt.wantDefer {
				want["calls"] = []string{"7"}
			}
			if got := archived(); !reflect.DeepEqual(got, want) {
				t.Errorf("archived contact 3's associations before the build %v, want %v", got, want)
			}
			if err := db.BuildReverseIndex(ctx); err != nil {
				t.Fatal(err)
			}
			if !usesReverseIndex(t, db) {
				t.Error("once built, a lookup by the other record does not use associations_to")
			}
			if got := archived(); len(got) != 0 {
				t.Errorf("archived contact 3's associations after the build %v, want none", got)
			}
		})
	}
}

// TestDeferReverseIndexCatchesUp: a first extraction that stopped before it
// built the index (a crash: a new handle) leaves it to the next one, which
// builds it and drops the pairs towards archived records.
func TestDeferReverseIndexCatchesUp(t *testing.T) {
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
		if err := tx.AddAssociations(ctx, []Association{assoc("calls", "7", "contacts", "1", unlabeled),
			assoc("calls", "7", "contacts", "3", unlabeled)}); err != nil {
			return err
		}
		if err := tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "3", Archived: true}}); err != nil {
			return err
		}
		return tx.DropAssociations(ctx, "contacts", []string{"3"})
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if usesReverseIndex(t, db) {
		t.Fatal("associations_to back before the next extraction")
	}
	deferred, err := db.DeferReverseIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if deferred || !usesReverseIndex(t, db) {
		t.Errorf("deferred %v, index used %v; want it built, not deferred, with pairs stored", deferred, usesReverseIndex(t, db))
	}
	for id, want := range map[string]map[string][]string{"1": {"calls": {"7"}}, "3": {}} {
		got, err := db.AssociatedIDs(ctx, "contacts", id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("contact %s's associations %v, want %v", id, got, want)
		}
	}
}

// TestDropArchivedPairsInOnePass: without the index, the pairs towards
// archived records are found in one pass over the pairs, the archived
// records listed once, not read again for each pair.
func TestDropArchivedPairsInOnePass(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, err := db.DeferReverseIndex(ctx); err != nil {
		t.Fatal(err)
	}
	plans := queryPlan(t, db, dropArchivedPairs)
	// The list is built once; a "CORRELATED" subquery would run per pair.
	if len(plans) == 0 || plans[0] != "SCAN associations" || !slices.Contains(plans, "LIST SUBQUERY 1") ||
		strings.Contains(strings.Join(plans, " "), "CORRELATED") {
		t.Errorf("plan %q, want one scan of associations and the archived records listed once", plans)
	}
}
