package extract

import (
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestRunFiguresMoveWithEveryPage: every transaction saves the run's calls
// with it, so that a run killed after any commit keeps in the history the
// calls it made up to there: at each commit the run's line holds no more
// calls than HubSpot answered, and at least its streams' sum; fewer by at
// most what was in flight: per worker, the calls of two pages (one
// answered and waiting for the writer, the next sent), and the planner's
// one search waiting to be written.
func TestRunFiguresMoveWithEveryPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  fakehub.Config
		conc int
		fits bool // the property names fit a URL: a page is one call
	}{
		{name: "Overflowing associations", cfg: fakehub.Config{Scale: 150, InlineAssociationLimit: 2, AssociationPageSize: 7},
			conc: DefaultConcurrency, fits: true},
		{name: "One worker", cfg: fakehub.Config{Scale: 120}, conc: 1, fits: true},
		{name: "Properties beyond a URL", cfg: fakehub.Config{Scale: 130, ExtraProperties: 600}, conc: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			db := testkit.OpenDB(t)
			inFlight := 2*listing{fits: tt.fits}.pageCalls(pageSize)*int64(tt.conc) + 1
			var commits int
			var most int64 // the most calls a kill right after a commit would lose
			// pageSaved runs on the writer, right after each commit.
			saved := func() {
				commits++
				answered := int64(f.fake.Stats().Total)
				var calls, streams int64
				err := db.SQL().QueryRow(`SELECT api_calls, (SELECT coalesce(sum(api_calls), 0) FROM run_streams
					WHERE run_id = runs.id) FROM runs ORDER BY id DESC LIMIT 1`).Scan(&calls, &streams)
				switch {
				case err != nil:
					t.Error(err)
				case calls > answered || answered-calls > inFlight || streams > calls:
					t.Errorf("commit %d: the run records %d calls (its streams %d), HubSpot answered %d: want at most %d unrecorded",
						commits, calls, streams, answered, inFlight)
				}
				most = max(most, answered-calls)
			}
			res := f.run(t.Context(), db, Options{Concurrency: tt.conc, pageSaved: saved})
			if res.Status != store.StatusSucceeded || res.APICalls != int64(f.fake.Stats().Total) {
				t.Fatalf("run: %s %q, %d calls counted, HubSpot answered %d", res.Status, res.Error, res.APICalls, f.fake.Stats().Total)
			}
			if commits < 10 {
				t.Fatalf("only %d commits: too small a run to test", commits)
			}
			t.Logf("%d commits; a kill after any of them loses at most %d of the %d calls", commits, most, res.APICalls)
		})
	}
}
