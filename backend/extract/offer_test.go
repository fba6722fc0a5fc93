package extract

import (
	"context"
	"slices"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestResumeOffer: the offer is the run the next run of its selection
// resumes, with what that run and the ones it resumed saved; none after a
// run that succeeded or failed for good.
func TestResumeOffer(t *testing.T) {
	t.Parallel()
	objects := []string{"contacts", "deals", "notes"}
	// cancelled runs a run of objects cancelled after k pages.
	cancelled := func(t *testing.T, f *fixture, db *store.DB, k int64) Result {
		ctx, count := cancelAfter(t, k)
		res := f.run(ctx, db, Options{Objects: objects, pageSaved: count})
		if res.Status != store.StatusCancelled {
			t.Fatalf("run %d: %s, want cancelled", res.ID, res.Status)
		}
		return res
	}
	// killed leaves the run as a process killed during it would: still
	// running, with what its committed pages recorded.
	killed := func(t *testing.T, db *store.DB, id int64) {
		for _, q := range []string{`UPDATE runs SET status = 'running', finished_at = NULL, error = '' WHERE id = ?`,
			`UPDATE run_streams SET status = 'running' WHERE run_id = ?`} {
			if _, err := db.SQL().Exec(q, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name string
		// history makes the runs and returns those the offer must cover,
		// newest first (none: no offer).
		history func(t *testing.T, f *fixture, db *store.DB) []int64
		crashed bool
	}{
		{name: "no run", history: func(*testing.T, *fixture, *store.DB) []int64 { return nil }},
		{name: "cancelled", history: func(t *testing.T, f *fixture, db *store.DB) []int64 {
			return []int64{cancelled(t, f, db, 9).ID}
		}},
		{name: "crashed", crashed: true, history: func(t *testing.T, f *fixture, db *store.DB) []int64 {
			id := cancelled(t, f, db, 9).ID
			killed(t, db, id)
			return []int64{id}
		}},
		{name: "crashed while resuming a cancelled run", crashed: true, history: func(t *testing.T, f *fixture, db *store.DB) []int64 {
			first := cancelled(t, f, db, 3).ID
			second := cancelled(t, f, db, 3).ID
			killed(t, db, second)
			return []int64{second, first}
		}},
		{name: "succeeded", history: func(t *testing.T, f *fixture, db *store.DB) []int64 {
			cancelled(t, f, db, 4)
			if res := f.run(t.Context(), db, Options{Objects: objects}); res.Status != store.StatusSucceeded {
				t.Fatalf("run: %s %s", res.Status, res.Error)
			}
			return nil
		}},
		{name: "failed for good", history: func(t *testing.T, f *fixture, db *store.DB) []int64 {
			// The scope lost after a page of deals: a failure that persists.
			denied := false
			res := f.run(t.Context(), db, Options{Objects: []string{"deals"}, pageSaved: func() {
				if n, _, err := db.CountRecords(t.Context(), "deals"); err == nil && n > 0 && !denied {
					denied = true
					f.fake.DenyScope("deals", "crm.objects.deals.read")
				}
			}})
			if res.Status != store.StatusPartial || res.Resumable {
				t.Fatalf("run: %s (resumable %v), want partial for good", res.Status, res.Resumable)
			}
			return nil
		}},
		{name: "type unavailable", history: func(t *testing.T, f *fixture, db *store.DB) []int64 {
			f.fake.DenyScope("deals", "crm.objects.deals.read")
			res := f.run(t.Context(), db, Options{Objects: []string{"deals"}})
			if res.Status != store.StatusSucceeded || res.Resumable {
				t.Fatalf("run: %s (resumable %v), want succeeded without deals", res.Status, res.Resumable)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakehub.Config{Scale: 160, InlineAssociationLimit: 2})
			db := testkit.OpenDB(t)
			covered := tt.history(t, f, db)
			offer, err := ResumeOffer(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			if len(covered) == 0 {
				if offer != nil {
					t.Fatalf("offer %+v, want none", offer)
				}
				return
			}
			if offer == nil {
				t.Fatalf("no offer, want run %d", covered[0])
			}
			latest, err := db.Run(t.Context(), covered[0])
			if err != nil {
				t.Fatal(err)
			}
			var records int64
			for _, id := range covered {
				r, err := db.Run(t.Context(), id)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range r.Streams {
					if s.Stream != catalog.Metadata {
						records += s.Records
					}
				}
			}
			started, err := time.Parse(time.RFC3339, offer.StartedAt)
			if offer.RunID != latest.ID || offer.Status != latest.Status || offer.Crashed != tt.crashed ||
				!slices.Equal(offer.Objects, objects) || offer.Records != records || records == 0 ||
				err != nil || !started.Equal(latest.StartedAt.Truncate(time.Second)) {
				t.Errorf("offer %+v, want run %d (%s, crashed %v) of %v with %d records, started %v",
					offer, latest.ID, latest.Status, tt.crashed, objects, records, latest.StartedAt)
			}

			// Taking the offer resumes exactly that run, to the end.
			res := f.run(context.WithoutCancel(t.Context()), db, Options{Objects: offer.Objects})
			if res.Status != store.StatusSucceeded || res.ResumedFrom != offer.RunID {
				t.Fatalf("the run after the offer: %s, resumed from %d, want run %d", res.Status, res.ResumedFrom, offer.RunID)
			}
			checkTruth(t, db, f.fake.Truth(), objects)
			if again, err := ResumeOffer(t.Context(), db); err != nil || again != nil {
				t.Errorf("offer after the resumed run succeeded: %+v, %v", again, err)
			}
		})
	}
}
