package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestWatermarksAndFullAt(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	inTx(t, db, func(tx *Tx) error {
		if err := tx.SetWatermark(ctx, "contacts", t0, 1); err != nil {
			return err
		}
		if err := tx.SetFullAt(ctx, "contacts", t0); err != nil {
			return err
		}
		return tx.SetWatermark(ctx, "deals", t0.Add(time.Hour), 2)
	})
	// A later incremental watermark keeps the last full extraction's time.
	inTx(t, db, func(tx *Tx) error { return tx.SetWatermark(ctx, "contacts", t0.Add(2*time.Hour), 3) })
	got, err := db.Watermarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Watermark{
		"contacts": {Stream: "contacts", Value: t0.Add(2 * time.Hour), FullAt: t0, RunID: 3},
		"deals":    {Stream: "deals", Value: t0.Add(time.Hour), RunID: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Watermarks\n got %+v\nwant %+v", got, want)
	}
	err = db.TransactionContext(ctx, func(tx *Tx) error { return tx.SetFullAt(ctx, "tickets", t0) })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("SetFullAt without a watermark: %v, want ErrNotFound", err)
	}
	if err := db.SetRunResumable(ctx, 42, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetRunResumable(42): %v, want ErrNotFound", err)
	}
}

func TestDropAndPruneAssociations(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	pair := func(ft, fid, tt, tid string) Association {
		return Association{FromType: ft, FromID: fid, ToType: tt, ToID: tid, Types: []AssocType{{Category: "HUBSPOT_DEFINED", TypeID: 1}}}
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.AddAssociations(ctx, []Association{
			pair("contacts", "1", "companies", "10"), pair("companies", "10", "contacts", "1"),
			pair("companies", "11", "contacts", "1"), // stale: contact 1 no longer lists company 11
			pair("companies", "11", "contacts", "2"),
			pair("deals", "5", "contacts", "2"), pair("contacts", "3", "companies", "11"),
		})
	})
	inTx(t, db, func(tx *Tx) error { return tx.PruneReverseAssociations(ctx, "contacts", "companies", []string{"1"}) })
	assoc, err := db.AssociatedIDs(ctx, "contacts", "1")
	if err != nil || !reflect.DeepEqual(assoc, map[string][]string{"companies": {"10"}}) {
		t.Errorf("contact 1 after prune: %v, %v", assoc, err)
	}
	if assoc, _ := db.AssociatedIDs(ctx, "companies", "11"); !reflect.DeepEqual(assoc, map[string][]string{"contacts": {"2", "3"}}) {
		t.Errorf("company 11 after prune: %v", assoc)
	}
	inTx(t, db, func(tx *Tx) error { return tx.DropAssociations(ctx, "contacts", []string{"2"}) })
	for id, want := range map[string]map[string][]string{
		"2": {}, "1": {"companies": {"10"}}, "3": {"companies": {"11"}},
	} {
		if got, _ := db.AssociatedIDs(ctx, "contacts", id); !reflect.DeepEqual(got, want) {
			t.Errorf("contact %s after drop: %v, want %v", id, got, want)
		}
	}
}

func TestArchivedVersions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{
			{Type: "deals", ID: "1", UpdatedAt: t0, Archived: true, ArchivedAt: t0},
			{Type: "deals", ID: "2", UpdatedAt: t0},
			{Type: "notes", ID: "3", UpdatedAt: t0, Archived: true},
		})
	})
	got, err := db.ArchivedVersions(ctx, "deals", []string{"1", "2", "3", "4"})
	if err != nil || !reflect.DeepEqual(got, map[string]time.Time{"1": t0}) {
		t.Errorf("ArchivedVersions = %v, %v", got, err)
	}
}
