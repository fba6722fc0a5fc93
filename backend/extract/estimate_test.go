package extract

import (
	"math"
	"slices"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestEstimateIsWhatTheRunCosts: against the fake on the virtual clock, the
// estimate of a fresh full run from HubSpot's totals is exactly the calls
// the run then makes and its MinimumCalls; each total is asked once per
// Estimator; and after the run the estimate from the last run is that
// run's calls.
func TestEstimateIsWhatTheRunCosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     fakehub.Config
		objects []string
		history []string
		rate    int
	}{
		// Every type HubSpot counts: two list pages of most types, one
		// archived page each, owners and both pipelines.
		{name: "EveryCRMType", cfg: fakehub.Config{Scale: 150}, objects: catalog.CRM(), rate: 100},
		// Several pages of two types, one of them with pipelines.
		{name: "ContactsAndDeals", cfg: fakehub.Config{Scale: 420}, objects: []string{"contacts", "deals"}, rate: 190},
		// No record at all: one empty page per list.
		{name: "Empty", cfg: fakehub.Config{Scale: 1}, objects: []string{"tickets", "calls"}, rate: 250},
		// Property history for two of three types: their lists read 50
		// a page.
		{name: "HistoryOfContactsAndDeals", cfg: fakehub.Config{Scale: 420}, objects: []string{"contacts", "companies", "deals"},
			history: []string{"contacts", "deals"}, rate: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			client := hubspot.New("demo-token", hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk))
			est := NewEstimator(client)
			db := testkit.OpenDB(t)
			tr := f.fake.Truth()

			fresh, err := est.Estimate(t.Context(), db, tt.objects, tt.history, tt.rate, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := est.Estimate(t.Context(), db, tt.objects, tt.history, tt.rate, ""); err != nil {
				t.Fatal(err)
			}
			for _, typ := range tt.objects {
				if n := f.fake.Stats().ByType["search "+typ]; n != 1 {
					t.Errorf("%s: HubSpot's total asked %d times by two estimates, want once", typ, n)
				}
			}
			if !fresh.Complete || fresh.RatePer10s != tt.rate || len(fresh.Types) != len(tt.objects) {
				t.Fatalf("fresh estimate %+v: want complete, at %d/10 s, one line per type", fresh, tt.rate)
			}
			for _, te := range fresh.Types {
				if want := int64(len(tr.IDs(te.Type, false))); te.Basis != BasisHubSpot || te.Records != want || te.Label != catalog.Label(te.Type) {
					t.Errorf("%s: %+v, want HubSpot's %d records", te.Type, te, want)
				}
			}
			// The planning search of each type whose first page is not
			// its last is exempt from the ten-second limit: the time is
			// the other calls' at the client's rate.
			var planning int64
			for _, typ := range tt.objects {
				if n := len(tr.IDs(typ, false)); n > 100 || (slices.Contains(tt.history, typ) && n > 50) {
					planning++
				}
			}
			if exempt := exemptOf(fresh); exempt != planning {
				t.Errorf("%d calls of the fresh estimate exempt, want the %d planning searches", exempt, planning)
			}
			if want := math.Ceil(float64(fresh.Calls-exemptOf(fresh)) / hubspot.SustainedRate(tt.rate)); fresh.Seconds != want {
				t.Errorf("%d calls estimated at %v s, want %v at the rate the client keeps", fresh.Calls, fresh.Seconds, want)
			}

			before := f.fake.Stats().Total
			res := f.run(t.Context(), db, Options{Client: client, Objects: tt.objects, History: tt.history})
			if res.Status != store.StatusSucceeded {
				t.Fatalf("run: %s %s", res.Status, res.Error)
			}
			made := int64(f.fake.Stats().Total - before)
			if fresh.Calls != made || res.APICalls != made || res.MinimumCalls != made {
				t.Errorf("estimated %d calls; the run made %d (fake), counted %d, minimum %d",
					fresh.Calls, made, res.APICalls, res.MinimumCalls)
			}

			after, err := est.Estimate(t.Context(), db, tt.objects, tt.history, tt.rate, "")
			if err != nil {
				t.Fatal(err)
			}
			if !after.Complete || after.Calls != res.APICalls {
				t.Errorf("estimate after the run: %d calls (complete %v), want the run's %d", after.Calls, after.Complete, res.APICalls)
			}
			for _, te := range after.Types {
				if s := streamResult(t, res, te.Type); te.Basis != BasisLastRun || te.Calls != s.APICalls || te.Exempt != s.ExemptCalls {
					t.Errorf("%s after the run: %+v, want the last run's %d calls, %d exempt", te.Type, te, s.APICalls, s.ExemptCalls)
				}
			}
			if exemptOf(after) != res.ExemptCalls {
				t.Errorf("%d calls exempt after the run, the run's were %d", exemptOf(after), res.ExemptCalls)
			}
		})
	}
}

// exemptOf is the calls of an estimate exempt from the ten-second limit.
func exemptOf(e Estimate) int64 {
	var n int64
	for _, te := range e.Types {
		n += te.Exempt
	}
	return n
}

// TestEstimateFromTheLastRunOfEveryStream: after a run of every type,
// marketing streams included, the estimate is that run's calls.
func TestEstimateFromTheLastRunOfEveryStream(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 120, InlineAssociationLimit: 2})
	db := testkit.OpenDB(t)
	res := f.run(t.Context(), db, Options{})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("run: %s %s", res.Status, res.Error)
	}
	// Not connected: the history alone answers.
	est, err := NewEstimator(nil).Estimate(t.Context(), db, nil, nil, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if !est.Complete || est.Calls != res.APICalls || est.RatePer10s != hubspot.DefaultRatePer10s {
		t.Errorf("estimate %d calls at %d/10 s (complete %v), want the run's %d at the default",
			est.Calls, est.RatePer10s, est.Complete, res.APICalls)
	}
	// A selection without deals and tickets leaves their pipelines out.
	some, err := NewEstimator(nil).Estimate(t.Context(), db, []string{"contacts"}, nil, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	meta, contacts := streamResult(t, res, catalog.Metadata), streamResult(t, res, "contacts")
	if want := meta.APICalls - 2*pipelineCalls + contacts.APICalls; some.Calls != want {
		t.Errorf("contacts alone: %d calls, want %d (metadata without pipelines, and contacts)", some.Calls, want)
	}
}

// TestEstimateWithoutHubSpot: what an estimate knows without a connection,
// or when HubSpot refuses to count a type.
func TestEstimateWithoutHubSpot(t *testing.T) {
	t.Parallel()
	stored := func(t *testing.T) *store.DB {
		db := testkit.OpenDB(t)
		recs := make([]store.Record, 250)
		for i := range recs {
			recs[i] = record("contacts", hubspot.Object{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)),
				CreatedAt: t0, UpdatedAt: t0, Archived: i >= 230})
		}
		err := db.TransactionContext(t.Context(), func(tx *store.Tx) error { return tx.UpsertRecords(t.Context(), 0, recs) })
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	least := map[string]int64{}
	for _, typ := range catalog.CRM() {
		least[typ] = fullReadCalls(typ, 0, 0, nil, false)
	}
	for _, typ := range catalog.Marketing() {
		least[typ] = 1
	}
	least[catalog.Forms] = formsCalls(0, 0) // the active forms' list and the archived ones'
	tests := []struct {
		name     string
		db       func(t *testing.T) *store.DB // nil: no database yet
		deny     string                       // a type whose scope the connected account lacks
		objects  []string
		basis    map[string]string
		calls    map[string]int64
		complete bool
	}{
		{name: "no client, no database", objects: nil, calls: least,
			basis: map[string]string{"contacts": BasisUnknown, "forms": BasisUnknown, "email_events": BasisUnknown}},
		{name: "no client, records stored", db: stored, objects: []string{"contacts", "deals"},
			basis: map[string]string{"contacts": BasisStored, "deals": BasisUnknown},
			calls: map[string]int64{"contacts": fullReadCalls("contacts", 230, 20, nil, false), "deals": least["deals"]}},
		{name: "a type HubSpot will not count", deny: "deals", objects: []string{"contacts", "deals"},
			basis: map[string]string{"contacts": BasisHubSpot, "deals": BasisUnknown},
			calls: map[string]int64{"deals": least["deals"]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var db *store.DB
			if tt.db != nil {
				db = tt.db(t)
			}
			est := NewEstimator(nil)
			var f *fixture
			if tt.deny != "" {
				f = newFixture(t, fakehub.Config{Scale: 30})
				f.fake.DenyScope(tt.deny, "crm.objects."+tt.deny+".read")
				est = NewEstimator(hubspot.New("demo-token", hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk)))
			}
			var got Estimate
			for range 2 {
				var err error
				if got, err = est.Estimate(t.Context(), db, tt.objects, nil, 0, ""); err != nil {
					t.Fatal(err)
				}
			}
			if got.Complete != tt.complete {
				t.Errorf("complete = %v, want %v", got.Complete, tt.complete)
			}
			var sum int64
			for _, te := range got.Types {
				sum += te.Calls
				if b, ok := tt.basis[te.Type]; ok && te.Basis != b {
					t.Errorf("%s: basis %q, want %q", te.Type, te.Basis, b)
				}
				if c, ok := tt.calls[te.Type]; ok && te.Calls != c {
					t.Errorf("%s: %d calls, want %d", te.Type, te.Calls, c)
				}
				if (te.Basis == BasisUnknown) != (te.Records < 0) {
					t.Errorf("%s: %d records on basis %q", te.Type, te.Records, te.Basis)
				}
			}
			objs, _ := catalog.Normalize(tt.objects)
			if want := sum + metadataCalls(objs, 0, 0); got.Calls != want {
				t.Errorf("%d calls in all, want the types' %d and the metadata's least", got.Calls, want)
			}
			if f != nil {
				if n := f.fake.Stats().ByType["search "+tt.deny]; n != 1 {
					t.Errorf("the refused count of %s asked %d times by two estimates, want once", tt.deny, n)
				}
			}
			if slices.ContainsFunc(got.Types, func(te TypeEstimate) bool { return te.Label == "" }) {
				t.Error("a type without a label")
			}
		})
	}
}
