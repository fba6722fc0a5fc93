package extract

import (
	"context"
	"slices"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// historyListExtra is what reading the history of typ's active records
// adds to a full run: the list at 50 a page instead of 100; or, when the
// names do not fit a URL (batchMode), the list still at 100 (ids only) but
// each page's batch reads at 50 ids instead of 100. A type whose 100 records
// fit one page of 100 but not of 50 also needs its planning call.
func historyListExtra(tr *fakehub.Truth, typ string, batchMode bool) int {
	n := len(tr.IDs(typ, false))
	pages := func(n, size int) int { return max(1, (n+size-1)/size) }
	if !batchMode {
		planning := 0
		if n > 50 && n <= 100 { // a second page of 50 the pages of 100 would not have
			planning = 1
		}
		return pages(n, 50) - pages(n, 100) + planning
	}
	extra := 0
	for k := 0; k < n; k += 100 {
		m := min(100, n-k)
		extra += (m+49)/50 - (m+99)/100
	}
	return extra
}

// checkHistory: with history on, the stored history of typ is exactly the
// truth's for every active record, and an archived record has either none
// (never read while active) or the truth's; with it off, none is stored.
func checkHistory(t *testing.T, db *store.DB, tr *fakehub.Truth, typ string, on bool) (entries int) {
	t.Helper()
	stored := map[string]map[string][]store.HistoryEntry{}
	for e, err := range db.EachHistory(context.Background(), typ) {
		if err != nil {
			t.Fatal(err)
		}
		if stored[e.ID] == nil {
			stored[e.ID] = map[string][]store.HistoryEntry{}
		}
		stored[e.ID][e.Property] = append(stored[e.ID][e.Property], e)
		entries++
	}
	if !on {
		if entries > 0 {
			t.Errorf("%s: %d history entries stored, history off", typ, entries)
		}
		return entries
	}
	for _, archived := range []bool{false, true} {
		for _, id := range tr.IDs(typ, archived) {
			got := stored[id]
			delete(stored, id)
			if archived && got == nil {
				continue
			}
			want := tr.History(typ, id)
			if len(got) != len(want) {
				t.Errorf("%s %s: history of %d properties, truth %d", typ, id, len(got), len(want))
				continue
			}
			for prop, w := range want {
				g := slices.Clone(got[prop])
				slices.Reverse(g) // stored oldest first, truth newest first
				if len(g) != len(w) {
					t.Errorf("%s %s %s: %d entries, truth %d", typ, id, prop, len(g), len(w))
					continue
				}
				for k := range w {
					if !g[k].Timestamp.Equal(w[k].Timestamp) || g[k].Value != w[k].Value || g[k].SourceType != w[k].SourceType ||
						g[k].SourceID != w[k].SourceID || g[k].SourceLabel != w[k].SourceLabel || g[k].UpdatedByUserID != w[k].UpdatedByUserID {
						t.Errorf("%s %s %s entry %d: %+v, truth %+v", typ, id, prop, k, g[k], w[k])
					}
				}
			}
		}
	}
	for id := range stored {
		t.Errorf("%s %s: history stored for a record HubSpot does not have", typ, id)
	}
	return entries
}

// TestHistoryFullAndIncremental: with property history on for some types,
// a full run stores exactly the fake's history of every active record of
// those types (and none of the others), in exactly the minimum calls (their
// lists at 50 a page); after records are modified, created and archived,
// the incremental run reads the changed records' history by batch read (50
// ids a call) and adds only the new entries, again in exactly the minimum
// calls; the estimate of the full run is what it cost.
func TestHistoryFullAndIncremental(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       fakehub.Config
		objects   []string
		history   []string
		batchMode bool
	}{
		{name: "ContactsAndDeals", cfg: fakehub.Config{Scale: 230, InlineAssociationLimit: 2, AssociationPageSize: 7},
			objects: []string{"contacts", "companies", "deals", "notes"}, history: []string{"contacts", "deals"}},
		// History of a type not selected is ignored.
		{name: "UnselectedType", cfg: fakehub.Config{Scale: 60}, objects: []string{"tickets"}, history: []string{"tickets", "contacts"}},
		// 600 extra properties fit no URL, even less twice: the list reads
		// ids at 100 a page, batch reads bring properties and history at 50.
		{name: "PropertiesBeyondURL", cfg: fakehub.Config{Scale: 130, ExtraProperties: 600},
			objects: []string{"contacts"}, history: []string{"contacts"}, batchMode: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			db := testkit.OpenDB(t)
			tr := f.fake.Truth()
			est, err := NewEstimator(nil).Estimate(t.Context(), db, tt.objects, tt.history, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			first := f.run(t.Context(), db, Options{Objects: tt.objects, History: tt.history})
			if first.Status != store.StatusSucceeded || len(first.Warnings) > 0 {
				t.Fatalf("first run: %s %s %q", first.Status, first.Error, first.Warnings)
			}
			want := minimumCalls(tr, f.cfg, tt.objects, tt.batchMode)
			for _, typ := range tt.objects {
				if slices.Contains(tt.history, typ) {
					want += historyListExtra(tr, typ, tt.batchMode)
				}
			}
			if got := f.fake.Stats().Total; got != want || first.APICalls != int64(want) || first.MinimumCalls != int64(want) {
				t.Errorf("full run: fake received %d calls, run counted %d (minimum %d), want %d (%v)",
					got, first.APICalls, first.MinimumCalls, want, f.fake.Stats().ByType)
			}
			// Without a client the estimate knows no total: each type at
			// its least, with history its list of 50 all the same.
			if est.Complete {
				t.Errorf("estimate without HubSpot complete: %+v", est)
			}
			checkTruth(t, db, tr, tt.objects)
			stored := map[string]int{}
			for _, typ := range tt.objects {
				on := slices.Contains(tt.history, typ)
				if stored[typ] = checkHistory(t, db, tr, typ, on); on && stored[typ] == 0 {
					t.Errorf("%s: no history stored", typ)
				}
			}

			// Changes: modified records get new entries, created ones
			// their first, archived ones keep theirs.
			since1 := first.StartedAt
			f.clk.Advance(time.Hour)
			at := f.clk.Now()
			for k, typ := range tt.objects {
				ids := tr.IDs(typ, false)
				n := len(ids)
				f.fake.Modify(typ, []string{ids[k], ids[n/3+k], ids[n-1-k]}, at.Add(time.Duration(k)*time.Second))
				f.fake.AddRecords(typ, 2, at.Add(time.Minute))
				f.fake.Archive(typ, []string{ids[n/2+k]}, at.Add(2*time.Minute))
			}
			f.clk.Advance(time.Hour)
			f.fake.ResetStats()
			second := f.run(t.Context(), db, Options{Objects: tt.objects, History: tt.history})
			if second.Status != store.StatusSucceeded || second.Mode != store.ModeIncremental || len(second.Warnings) > 0 {
				t.Fatalf("second run: %s %s %s %q", second.Status, second.Mode, second.Error, second.Warnings)
			}
			tr = f.fake.Truth()
			checkTruth(t, db, tr, tt.objects)
			from := since1.Add(-DefaultOverlap)
			archived := map[string]int{}
			for _, typ := range tt.objects {
				archived[typ] = 1
			}
			want = incrementalCalls(tr, f.cfg, tt.objects, from, second.StartedAt, archived, tt.batchMode)
			for _, typ := range tt.objects {
				if !slices.Contains(tt.history, typ) {
					continue
				}
				changed := len(changedSince(tr, typ, from))
				if tt.batchMode {
					want += (changed+49)/50 - (changed+99)/100 // the batch reads at 50 instead of 100
				} else {
					want += (changed + 49) / 50 // the search brings no history: batch reads with it
				}
			}
			if got := f.fake.Stats().Total; got != want || second.APICalls != int64(want) || second.MinimumCalls != int64(want) {
				t.Errorf("incremental run: fake received %d calls, run counted %d (minimum %d), want %d (%v)",
					got, second.APICalls, second.MinimumCalls, want, f.fake.Stats().ByType)
			}
			for _, typ := range tt.objects {
				on := slices.Contains(tt.history, typ)
				n := checkHistory(t, db, tr, typ, on)
				// Each modified record adds two entries (its mutable
				// property, its last-modified date), each new record
				// its first ones.
				if on && n <= stored[typ]+6 {
					t.Errorf("%s: %d entries after the incremental run, %d before: want the new ones added", typ, n, stored[typ])
				}
			}
		})
	}
}
