package extract

import (
	"context"
	"sync/atomic"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestReverseIndexAfterFirstRun: a first extraction fills the associations
// without their index by the other record and builds it as it ends, even
// when cancelled; a later run keeps it up all along. Either way the data is
// HubSpot's.
func TestReverseIndexAfterFirstRun(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		before      bool // a first run already stored the associations
		cancelAfter int64
		wantDuring  bool
	}{
		{name: "first run"},
		{name: "first run, cancelled", cancelAfter: 5},
		{name: "second run", before: true, wantDuring: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fakehub.Config{Scale: 200})
			db := testkit.OpenDB(t)
			if tt.before {
				f.run(t.Context(), db, Options{})
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var pages, without, with atomic.Int64
			res := f.run(ctx, db, Options{Full: true, pageSaved: func() {
				if hasReverseIndex(t, db) {
					with.Add(1)
				} else {
					without.Add(1)
				}
				if pages.Add(1) == tt.cancelAfter {
					cancel()
				}
			}})
			if tt.cancelAfter > 0 && res.Status != store.StatusCancelled {
				t.Errorf("status %s, want cancelled", res.Status)
			}
			if tt.cancelAfter == 0 && res.Status != store.StatusSucceeded {
				t.Errorf("status %s: %s", res.Status, res.Error)
			}
			if got := without.Load() == 0; got != tt.wantDuring || with.Load()+without.Load() == 0 {
				t.Errorf("pages saved with the index %d, without %d; want it kept all along: %v",
					with.Load(), without.Load(), tt.wantDuring)
			}
			if !hasReverseIndex(t, db) {
				t.Error("no associations_to once the run ended")
			}
			if tt.cancelAfter == 0 {
				checkTruth(t, db, f.fake.Truth(), catalog.All())
			}
		})
	}
}

func hasReverseIndex(t *testing.T, db *store.DB) bool {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'associations_to'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}
