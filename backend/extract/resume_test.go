package extract

import (
	"context"
	"sync/atomic"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestResumeAtEveryPageBoundary cancels a small run after its k-th saved
// page (or association completion round), for every k, lets the next run
// resume it, and checks that the database ends exactly as after an
// uninterrupted run. The types cover a pair read from both sides
// (contacts, companies), one-sided relations (deals, notes), pipelines and
// several rounds of association completion.
func TestResumeAtEveryPageBoundary(t *testing.T) {
	t.Parallel()
	cfg := fakehub.Config{Scale: 150, InlineAssociationLimit: 2, AssociationPageSize: 4}
	objects := []string{"contacts", "companies", "deals", "notes"}
	ref := newFixture(t, cfg)
	refDB := testkit.OpenDB(t)
	var pages atomic.Int64
	res := ref.run(t.Context(), refDB, Options{Objects: objects, pageSaved: func() { pages.Add(1) }})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("reference run: %s %s", res.Status, res.Error)
	}
	want := dump(t, refDB)
	if pages.Load() < 15 {
		t.Fatalf("only %d pages: the run is too small to test much", pages.Load())
	}
	for k := int64(1); k < pages.Load(); k++ {
		f := newFixture(t, cfg)
		db := testkit.OpenDB(t)
		ctx, cancel := context.WithCancel(t.Context())
		var saved atomic.Int64
		first := f.run(ctx, db, Options{Objects: objects, pageSaved: func() {
			if saved.Add(1) == k {
				cancel()
			}
		}})
		cancel()
		if first.Status != store.StatusCancelled {
			t.Fatalf("k=%d: first run %s, want cancelled", k, first.Status)
		}
		second := f.run(t.Context(), db, Options{Objects: objects})
		if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
			t.Fatalf("k=%d: second run %s (%s), resumed from %d", k, second.Status, second.Error, second.ResumedFrom)
		}
		if got := dump(t, db); got != want {
			t.Fatalf("k=%d: the resumed database differs from an uninterrupted run's", k)
		}
		var left int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM checkpoints WHERE run_id = ? AND done = 0`, second.ID).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Fatalf("k=%d: %d checkpoints of the resumed run are not done", k, left)
		}
	}
}
