package extract

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestPlanSplit: the planner's decisions on typical accounts.
func TestPlanSplit(t *testing.T) {
	t.Parallel()
	rates := budgets{General: hubspot.SustainedRate(100), Search: hubspot.SustainedSearchRate(0), RTT: 300 * time.Millisecond, Other: 40}
	z := func(name string, n int64) sizing {
		return sizing{Type: name, Records: n, PageSize: 100, Splittable: true, Chunks: 1, Inline: 1}
	}
	lopsided := []sizing{z("contacts", 20_000), z("emails", 12_000), z("deals", 8_000), z("calls", 7_000), z("notes", 6_000), z("companies", 5_000)}
	tests := []struct {
		name    string
		sizes   []sizing
		economy Economy
		check   func(t *testing.T, p splitPlan)
	}{
		// A search page brings 200 records and an association read 1,000:
		// fewer calls than list pages of 100 for each of these types.
		{"the calls economy reads large types by search", lopsided, EconomyCalls, func(t *testing.T, p splitPlan) {
			for _, z := range lopsided {
				if p.Moved[z.Type] != z.Records || p.Ranges[z.Type] < 1 {
					t.Errorf("%s: moved %d of %d in %d ranges", z.Type, p.Moved[z.Type], z.Records, p.Ranges[z.Type])
				}
			}
			// 58,000 records: 580 list pages against 290 searches and 58
			// association reads, plus each range's partial page.
			if p.Calls > p.Minimum-200 {
				t.Errorf("%d calls, list pages alone %d", p.Calls, p.Minimum)
			}
		}},
		{"the calls economy keeps small types and dear ranges to the list", []sizing{z("deals", 1_500),
			{Type: "contacts", Records: 50_000, PageSize: 100, Splittable: true, Chunks: 2, Inline: 1}}, EconomyCalls,
			func(t *testing.T, p splitPlan) {
				if len(p.Moved) != 0 || p.Calls != p.Minimum {
					t.Errorf("moved %v, %d calls of %d", p.Moved, p.Calls, p.Minimum)
				}
			}},
		{"a lopsided account goes below the naive floor", lopsided, EconomyTime, func(t *testing.T, p splitPlan) {
			if p.Moved["contacts"] == 0 || p.Seconds > 0.8*p.NaiveSeconds {
				t.Errorf("moved %v: %.1f s against %.1f s", p.Moved, p.Seconds, p.NaiveSeconds)
			}
			// The largest list part left is the one that still fits.
			if left := 20_000 - p.Moved["contacts"]; float64(left/100)*0.3 > p.Seconds {
				t.Errorf("contacts keeps %d records for its list: %.1f s of pages, plan %.1f s", left, float64(left/100)*0.3, p.Seconds)
			}
			if p.Calls > p.Minimum*11/10 {
				t.Errorf("%d calls, minimum %d", p.Calls, p.Minimum)
			}
		}},
		{"small types stay whole", []sizing{z("contacts", 1_500), z("deals", 300)}, EconomyTime, func(t *testing.T, p splitPlan) {
			if len(p.Moved) != 0 {
				t.Errorf("moved %v", p.Moved)
			}
		}},
		{"history is not splittable", []sizing{{Type: "contacts", Records: 30_000, PageSize: 50, Chunks: 1, Inline: 1}}, EconomyTime,
			func(t *testing.T, p splitPlan) {
				if len(p.Moved) != 0 {
					t.Errorf("moved %v", p.Moved)
				}
			}},
		{"two searches a page still pay", []sizing{{Type: "contacts", Records: 50_000, PageSize: 100, Splittable: true, Chunks: 2, Inline: 1}},
			EconomyTime, func(t *testing.T, p splitPlan) {
				if p.Calls > p.Minimum*11/10 || p.Moved["contacts"] == 0 {
					t.Errorf("moved %v: %d calls, minimum %d", p.Moved, p.Calls, p.Minimum)
				}
			}},
		// Four searches a page and three association reads per 1,000
		// cost more than the 10% the time economy may add for the few
		// seconds they would save: the plan keeps to the list.
		{"dear ranges are not bought", []sizing{{Type: "contacts", Records: 50_000, PageSize: 100, Splittable: true, Chunks: 4, Inline: 3}},
			EconomyTime, func(t *testing.T, p splitPlan) {
				if p.Calls > p.Minimum*11/10 {
					t.Errorf("moved %v: %d calls, minimum %d", p.Moved, p.Calls, p.Minimum)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planSplit(tt.sizes, rates, tt.economy)
			t.Log(p.describe())
			tt.check(t, p)
		})
	}
}

// splitCfg is an account with one dominant type, overflowing inline
// associations (completed after the ranges), HubSpot's latency, and
// HubSpot's limits, on the virtual clock.
var splitCfg = fakehub.Config{Sizes: map[string]int{"contacts": 3_500, "companies": 300, "deals": 500}, InlineAssociationLimit: 3,
	Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond, RatePer10s: 100, SearchRatePerSec: 5}

var splitObjects = []string{"contacts", "companies", "deals"}

// TestSplitReadsWhatASequentialRunReads: with either economy the dominant
// type is cut into search ranges (the time economy cuts what saves time,
// the calls economy all of it); the data (every id, property and
// association pair) is exactly what the fake holds, the same for both, in
// the fewest calls each plan can make. (The
// virtual clock adds concurrent sleeps up, so the time gained is measured
// by `hubextract bench` and the demo, not here.)
func TestSplitReadsWhatASequentialRunReads(t *testing.T) {
	t.Parallel()
	run := func(economy Economy) (Result, string, *fakehub.Server) {
		f := newFixture(t, splitCfg)
		db := testkit.OpenDB(t)
		res := f.run(t.Context(), db, Options{Objects: splitObjects, Economy: economy})
		if res.Status != store.StatusSucceeded || len(res.Warnings) > 0 {
			t.Fatalf("%s: %s %s %q", economy, res.Status, res.Error, res.Warnings)
		}
		checkTruth(t, db, f.fake.Truth(), splitObjects)
		return res, pairsDump(t, db), f.fake
	}
	calls, want, _ := run(EconomyCalls)
	timed, got, fake := run(EconomyTime)
	if got != want {
		t.Error("the split run's records or pairs differ from the list walks'")
	}
	// contacts' searches of 200 and association reads of 1,000 are fewer
	// calls than its list pages: the calls economy reads it by search too.
	if calls.APICalls != calls.MinimumCalls || !strings.Contains(calls.Plan, "contacts:") {
		t.Errorf("calls economy: %d calls, minimum %d; %q", calls.APICalls, calls.MinimumCalls, calls.Plan)
	}
	if n := fake.Stats().ByType["search contacts"]; n < 10 || !strings.Contains(timed.Plan, "contacts:") {
		t.Errorf("time economy: %d contacts searches; plan %q", n, timed.Plan)
	}
	// Each economy spends the fewest calls its plan can make, the calls
	// economy's the fewer.
	if timed.APICalls != timed.MinimumCalls || calls.APICalls > timed.APICalls {
		t.Errorf("time economy: %d calls, minimum %d; calls economy %d", timed.APICalls, timed.MinimumCalls, calls.APICalls)
	}
	t.Logf("calls economy: %d calls; time economy: %d calls (minimum %d); %s", calls.APICalls, timed.APICalls, timed.MinimumCalls, timed.Plan)
}

// TestSplitRangesResume: a split run cancelled while its ranges read
// resumes each range (and the list walk) where it stopped, with the same
// ranges, and ends with exactly the data of an uninterrupted run.
func TestSplitRangesResume(t *testing.T) {
	t.Parallel()
	ref := newFixture(t, splitCfg)
	refDB := testkit.OpenDB(t)
	res := ref.run(t.Context(), refDB, Options{Objects: splitObjects})
	if res.Status != store.StatusSucceeded || !strings.Contains(res.Plan, "contacts:") {
		t.Fatalf("reference run: %s %s; plan %q", res.Status, res.Error, res.Plan)
	}
	want := pairsDump(t, refDB)
	// k pages saved after the split was: while the ranges read.
	for _, k := range []int64{2, 7} {
		t.Run(fmt.Sprint(k, " pages into the ranges"), func(t *testing.T) {
			f := newFixture(t, splitCfg)
			db := testkit.OpenDB(t)
			ctx, cancel := context.WithCancel(t.Context())
			var saved atomic.Int64
			first := f.run(ctx, db, Options{Objects: splitObjects, pageSaved: func() {
				var split int
				if err := db.SQL().QueryRow(`SELECT count(*) FROM checkpoints WHERE stream LIKE '%:range:%'`).Scan(&split); err != nil {
					t.Error(err)
				}
				if split > 0 && saved.Add(1) == k {
					cancel()
				}
			}})
			cancel()
			ranges := rangeCheckpoints(t, db, first.ID)
			if first.Status != store.StatusCancelled || len(ranges) == 0 {
				t.Fatalf("first run %s with ranges %v: want cancelled while ranges read", first.Status, ranges)
			}
			second := f.run(t.Context(), db, Options{Objects: splitObjects})
			if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
				t.Fatalf("second run %s (%s), resumed from %d", second.Status, second.Error, second.ResumedFrom)
			}
			after := rangeCheckpoints(t, db, second.ID)
			for key := range ranges {
				if !after[key] {
					t.Errorf("range %s of the first run is not done by the second (%v)", key, after)
				}
			}
			if len(after) != len(ranges) {
				t.Errorf("the second run has ranges %v, the first %v: want the same", after, ranges)
			}
			if got := pairsDump(t, db); got != want {
				t.Error("the resumed database differs from an uninterrupted run's")
			}
			checkTruth(t, db, f.fake.Truth(), splitObjects)
		})
	}
}

// rangeCheckpoints are a run's range checkpoints, by key, with whether
// each is done.
func rangeCheckpoints(t *testing.T, db *store.DB, runID int64) map[string]bool {
	t.Helper()
	cps, err := db.Checkpoints(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, cp := range cps {
		if strings.Contains(cp.Stream, ":range:") {
			out[cp.Stream] = cp.Done
		}
	}
	return out
}

// pairsDump renders every record and association pair (not the pairs'
// types: a list names them, the association read gives their ids).
func pairsDump(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.SQL().Query(`SELECT object_type, id, properties, archived FROM records ORDER BY object_type, length(id), id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, id, props string
		var archived bool
		if err := rows.Scan(&typ, &id, &props, &archived); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "R %s %s %t %s\n", typ, id, archived, props)
	}
	rows.Close()
	rows, err = db.SQL().Query(`SELECT from_type, from_id, to_type, to_id FROM associations ORDER BY 1, 2, 3, 4`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ft, fid, tt, tid string
		if err := rows.Scan(&ft, &fid, &tt, &tid); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "A %s %s %s %s\n", ft, fid, tt, tid)
	}
	rows.Close()
	return b.String()
}

// TestOnePageTypesAreNotCounted: a type whose first page is its last is
// not counted (the page is its count): five activity types of about fifty
// records each cost no search at all, every property, archived record and
// owner still read, in exactly the minimum calls.
func TestOnePageTypesAreNotCounted(t *testing.T) {
	t.Parallel()
	objects := []string{"calls", "emails", "meetings", "notes", "tasks"}
	f := newFixture(t, fakehub.Config{Scale: 52})
	db := testkit.OpenDB(t)
	res := f.run(t.Context(), db, Options{Objects: objects})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("run %s: %s", res.Status, res.Error)
	}
	checkTruth(t, db, f.fake.Truth(), objects)
	st := f.fake.Stats()
	for kind, n := range st.ByType {
		if strings.HasPrefix(kind, "search ") {
			t.Errorf("%d calls of %s", n, kind)
		}
	}
	if want := minimumCalls(f.fake.Truth(), f.cfg, objects, false); st.Total != want || res.MinimumCalls != int64(want) {
		t.Errorf("%d calls (minimum %d), want %d: %v", st.Total, res.MinimumCalls, want, st.ByType)
	}
	for _, typ := range objects {
		if line := streamResult(t, res, typ); line.HubSpotTotal != int64(len(f.fake.Truth().IDs(typ, false))) {
			t.Errorf("%s: total %d, want the page's %d", typ, line.HubSpotTotal, len(f.fake.Truth().IDs(typ, false)))
		}
	}
	t.Logf("%d calls: %v", st.Total, st.ByType)
}

// TestNearTheDailyLimitTheFewerCallsWin: where a search page takes two
// searches (the property names fill more than one search body), the time
// economy's ranges cost more calls than the list pages; with HubSpot's
// headers saying the day's allowance is nearly spent, the run keeps to the
// list pages and says why; with room left, it splits.
func TestNearTheDailyLimitTheFewerCallsWin(t *testing.T) {
	t.Parallel()
	cfg := splitCfg
	cfg.ExtraProperties = 150
	for _, tc := range []struct {
		name  string
		daily int
		split bool
	}{
		{"room left", 0, true},
		{"nearly spent", 90, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			c.DailyLimit = tc.daily
			f := newFixture(t, c)
			db := testkit.OpenDB(t)
			res := f.run(t.Context(), db, Options{Objects: splitObjects})
			if res.Status != store.StatusSucceeded {
				t.Fatalf("run %s: %s", res.Status, res.Error)
			}
			checkTruth(t, db, f.fake.Truth(), splitObjects)
			if split := strings.Contains(res.Plan, "contacts:"); split != tc.split {
				t.Errorf("plan %q: want split %t", res.Plan, tc.split)
			}
			warned := slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "more calls today") })
			if warned == tc.split {
				t.Errorf("warnings %q", res.Warnings)
			}
			if !tc.split && res.APICalls != res.MinimumCalls {
				t.Errorf("%d calls, minimum %d", res.APICalls, res.MinimumCalls)
			}
			t.Logf("%d calls (minimum %d): %s", res.APICalls, res.MinimumCalls, res.Plan)
		})
	}
}

// TestSplitReadsEachRecordOnce: with HubSpot answering at once and no
// limit to wait on, ranges end while other types are still being cut and
// steal from them; every record is still read exactly once (each stream's
// count is what it stored), the same in both economies.
func TestSplitReadsEachRecordOnce(t *testing.T) {
	t.Parallel()
	objects := catalog.CRM()
	read := map[Economy]int64{}
	for _, economy := range []Economy{EconomyCalls, EconomyTime} {
		f := newFixture(t, fakehub.Config{Scale: 100, Sizes: map[string]int{"contacts": 4_000, "companies": 2_500, "emails": 3_000, "notes": 2_500}})
		db := testkit.OpenDB(t)
		client := hubspot.New("demo-token", hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk),
			hubspot.WithRateLimit(1_000_000), hubspot.WithSearchRate(1_000_000))
		res := f.run(t.Context(), db, Options{Objects: objects, Economy: economy, Client: client})
		if res.Status != store.StatusSucceeded {
			t.Fatalf("%s: %s %s", economy, res.Status, res.Error)
		}
		for _, s := range res.Streams {
			if s.Stream == metadataStream {
				continue
			}
			active, archived, err := db.CountRecords(t.Context(), s.Stream)
			if err != nil {
				t.Fatal(err)
			}
			if s.Records != active+archived {
				t.Errorf("%s %s: %d records read, %d stored", economy, s.Stream, s.Records, active+archived)
			}
			read[economy] += s.Records
		}
		checkTruth(t, db, f.fake.Truth(), objects)
		t.Logf("%s: %d records in %d calls; %s", economy, read[economy], res.APICalls, res.Plan)
	}
	if read[EconomyTime] != read[EconomyCalls] {
		t.Errorf("the time economy read %d records, the calls economy %d", read[EconomyTime], read[EconomyCalls])
	}
}

// TestRangeAssociationReadFails: a range reads its batch's associated
// types at once; when one of them fails through every retry, the type
// fails with that error (not the cancellation of the reads beside it) and
// the other types complete.
func TestRangeAssociationReadFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t, splitCfg)
	// Every attempt, of every range: the rule is not used up by whichever
	// range asks first.
	f.fake.FailNext(1_000, fakehub.Fault500, "/crm/associations/2026-09/contacts/companies/batch/read")
	db := testkit.OpenDB(t)
	res := f.run(t.Context(), db, Options{Objects: splitObjects, Economy: EconomyCalls})
	if res.Status != store.StatusPartial || !strings.Contains(res.Plan, "contacts:") {
		t.Fatalf("status %s, plan %q: want partial, contacts read by ranges", res.Status, res.Plan)
	}
	contacts := streamResult(t, res, "contacts")
	if contacts.Status != store.StatusFailed || !strings.Contains(contacts.Error, "servers had a problem") ||
		strings.Contains(contacts.Error, "cancel") {
		t.Errorf("contacts: %s %q; want failed with HubSpot's 500", contacts.Status, contacts.Error)
	}
	checkTruth(t, db, f.fake.Truth(), []string{"companies", "deals"})
}

func TestCause(t *testing.T) {
	t.Parallel()
	boom, other := errors.New("boom"), errors.New("other")
	cancelled := fmt.Errorf("read: %w", context.Canceled)
	tests := []struct {
		name string
		errs []error
		want error
	}{
		{"AllSucceeded", []error{nil, nil}, nil},
		{"OneFailed", []error{nil, boom, nil}, boom},
		{"AfterTheCancelledOnes", []error{cancelled, nil, boom, cancelled}, boom},
		{"TheFirstOfTwo", []error{other, boom}, other},
		{"OnlyCancelled", []error{nil, cancelled, cancelled}, cancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cause(tt.errs); got != tt.want {
				t.Errorf("cause = %v, want %v", got, tt.want)
			}
		})
	}
}
