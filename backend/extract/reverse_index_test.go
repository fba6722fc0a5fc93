package extract

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestReverseIndexAfterFirstRun: a first extraction that fetches faster
// than the writer keeps the index of associations by their other record up
// fills the associations without it and builds it as it ends, even when
// cancelled; at HubSpot's budgets, or once pairs are stored, the index is
// kept up all along. Either way the data is HubSpot's.
func TestReverseIndexAfterFirstRun(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		per10s      int  // the client's budget; 0: HubSpot's default
		before      bool // a first run already stored the associations
		cancelAfter int64
		wantDuring  bool
	}{
		{name: "first run, no limit", per10s: 1_000_000_000},
		{name: "first run, no limit, cancelled", per10s: 1_000_000_000, cancelAfter: 5},
		{name: "first run at HubSpot's budget", wantDuring: true},
		{name: "second run, no limit", per10s: 1_000_000_000, before: true, wantDuring: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, fakehub.Config{Scale: 200})
			db := testkit.OpenDB(t)
			opts := []hubspot.Option{hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk)}
			if tt.per10s > 0 {
				opts = append(opts, hubspot.WithRateLimit(tt.per10s), hubspot.WithSearchRate(1e9))
			}
			client := hubspot.New("demo-token", opts...)
			if tt.before {
				f.run(t.Context(), db, Options{Client: client})
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var pages, without, with atomic.Int64
			res := f.run(ctx, db, Options{Client: client, Full: true, pageSaved: func() {
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

// TestReverseIndexOnAFullDisk: an extraction that must first build the
// index a crashed first extraction left missing, and has no room to, stops
// before any call with the disk-full error and records no run; once there
// is room, the next one builds it and extracts.
func TestReverseIndexOnAFullDisk(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 200})
	path := filepath.Join(t.TempDir(), "x.db")
	open := func() *store.DB {
		t.Helper()
		db, err := store.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	f.run(t.Context(), db, Options{})
	// The crash before the build; VACUUM leaves no free page to build into.
	if _, err := db.SQL().Exec(`DROP INDEX associations_to`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`VACUUM`); err != nil {
		t.Fatal(err)
	}
	var pages int64
	if err := db.SQL().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	db.Close()

	testkit.FillDisk(path, pages)
	t.Cleanup(func() { testkit.FreeDisk(path) })
	db = open()
	before := f.fake.Stats().Total
	_, err := Run(t.Context(), db, Options{Client: hubspot.New("demo-token", hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk))})
	if !errors.Is(err, store.ErrDiskFull) {
		t.Errorf("Run on the full disk: %v, want the disk-full error", err)
	}
	if calls := f.fake.Stats().Total - before; calls != 0 {
		t.Errorf("Run on the full disk made %d calls, want none", calls)
	}
	var runs int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM runs`).Scan(&runs); err != nil || runs != 1 {
		t.Errorf("%d runs recorded (%v), want the first one alone", runs, err)
	}
	db.Close()

	testkit.FreeDisk(path)
	db = open()
	defer db.Close()
	if res := f.run(t.Context(), db, Options{}); res.Status != store.StatusSucceeded {
		t.Fatalf("run with room again: %s %s", res.Status, res.Error)
	}
	if !hasReverseIndex(t, db) {
		t.Error("no associations_to after the run with room again")
	}
	checkTruth(t, db, f.fake.Truth(), catalog.All())
}

// TestOutpacesWriter: no HubSpot budget fetches faster than the writer
// keeps the index up; a run with no limit does.
func TestOutpacesWriter(t *testing.T) {
	for _, tt := range []struct {
		per10s int
		want   bool
	}{{100, false}, {190, false}, {250, false}, {1_000_000_000, true}} {
		if got := outpacesWriter(tt.per10s); got != tt.want {
			t.Errorf("outpacesWriter(%d) = %v, want %v", tt.per10s, got, tt.want)
		}
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

// TestReverseIndexWarning: a failed end-of-run build is told in the error's
// own sentence where it has one, else in its chain, and says what it costs.
func TestReverseIndexWarning(t *testing.T) {
	diskFull := &store.Error{Kind: store.ErrDiskFull, Err: errors.New("database or disk is full (13)")}
	for _, tt := range []struct {
		name      string
		err       error
		want, not string
	}{
		{"disk full", fmt.Errorf("index the associations by their other record: %w", diskFull),
			"(The disk is full: free some space and run Extract again; nothing already saved was lost)", "(13)"},
		{"no sentence of its own", errors.New("index the associations by their other record: interrupted (9)"),
			"(index the associations by their other record: interrupted (9))", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := reverseIndexWarning(tt.err)
			if !strings.Contains(got, tt.want) || !strings.HasPrefix(got, "Everything fetched is saved") ||
				!strings.HasSuffix(got, "slow to list the records linked to it.") {
				t.Errorf("warning %q, want it to say %q, that the data is saved and what is slow", got, tt.want)
			}
			if tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("warning %q shows %q", got, tt.not)
			}
		})
	}
}
