package extract

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestExtractMatchesTruth: every selected stream ends with exactly the
// fake's records (active and archived, every property) and association
// pairs, in exactly the minimum number of calls.
func TestExtractMatchesTruth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       fakehub.Config
		objects   []string
		batchMode bool
	}{
		// A small inline page and v4 page: many records overflow, and the
		// hub companies need several v4 pages each.
		{name: "All", cfg: fakehub.Config{Scale: 150, InlineAssociationLimit: 2, AssociationPageSize: 7}},
		// Only companies: their overflowed contacts are completed from
		// the companies' side, nobody else supplies them.
		{name: "CompaniesOnly", cfg: fakehub.Config{Scale: 450, InlineAssociationLimit: 3, AssociationPageSize: 40},
			objects: []string{"companies"}},
		{name: "ContactsAndDeals", cfg: fakehub.Config{Scale: 120, InlineAssociationLimit: 1, AssociationPageSize: 2},
			objects: []string{"contacts", "deals"}},
		// 600 extra properties do not fit a URL: list ids and
		// associations, batch-read the properties.
		{name: "PropertiesBeyondURL", cfg: fakehub.Config{Scale: 130, ExtraProperties: 600},
			objects: []string{"contacts", "notes"}, batchMode: true},
		{name: "Empty", cfg: fakehub.Config{Scale: 1}, objects: []string{"tickets", "calls"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			db := testkit.OpenDB(t)
			ev := &testkit.Events{}
			res := f.run(t.Context(), db, Options{Objects: tt.objects, Progress: ev})
			if res.Status != store.StatusSucceeded {
				t.Fatalf("status %s: %s", res.Status, res.Error)
			}
			objects := tt.objects
			if objects == nil {
				objects = catalog.All()
			}
			tr := f.fake.Truth()
			checkTruth(t, db, tr, objects)

			want := minimumCalls(tr, f.cfg, objects, tt.batchMode)
			if got := f.fake.Stats().Total; got != want {
				t.Errorf("fake received %d calls, minimum is %d (%v)", got, want, f.fake.Stats().ByType)
			}
			if res.APICalls != int64(want) || res.MinimumCalls != int64(want) {
				t.Errorf("run counted %d calls and a minimum of %d, want %d", res.APICalls, res.MinimumCalls, want)
			}
			var perStream int64
			for _, s := range res.Streams {
				perStream += s.APICalls
			}
			if perStream != res.APICalls {
				t.Errorf("stream calls add up to %d, run made %d", perStream, res.APICalls)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings: %q", res.Warnings)
			}
			final := finalEvents(ev)
			for _, typ := range objects {
				s := streamResult(t, res, typ)
				stored, total := int64(len(tr.IDs(typ, false))+len(tr.IDs(typ, true))), int64(len(tr.IDs(typ, false)))
				switch typ {
				case catalog.Forms:
					stored, total = int64(len(tr.Forms())+len(tr.ArchivedForms())), -1
				case catalog.FormSubmissions:
					stored, total = 0, -1
					for _, id := range submittedForms(tr) {
						stored += int64(tr.Submissions(id))
					}
				case catalog.EmailEvents:
					stored, total = int64(len(tr.EmailEventIDs(time.UnixMilli(0), t0))), -1
				}
				if s.Status != store.StatusSucceeded || s.Records != stored || s.HubSpotTotal != total {
					t.Errorf("%s: %+v, want succeeded with %d records", typ, s, stored)
				}
				if e, ok := final[typ]; !ok || e.Phase != progress.PhaseDone || e.Records != stored || e.Total != stored {
					t.Errorf("%s: final progress event %+v", typ, e)
				}
			}
		})
	}
}

// TestFailingStreamLeavesOthersComplete: a stream that fails (here its
// property definitions, through every retry) fails alone; the run is
// partial and says why in plain words.
func TestFailingStreamLeavesOthersComplete(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 120, InlineAssociationLimit: 2})
	f.fake.FailNext(hubspot.DefaultMaxAttempts, fakehub.Fault500, "/crm/properties/2026-09/emails")
	db := testkit.OpenDB(t)
	res := f.run(t.Context(), db, Options{})
	if res.Status != store.StatusPartial {
		t.Fatalf("status %s, want partial", res.Status)
	}
	emails := streamResult(t, res, "emails")
	if emails.Status != store.StatusFailed || emails.Error == "" {
		t.Errorf("emails: %+v", emails)
	}
	if !strings.HasPrefix(res.Error, "emails: ") || !strings.HasSuffix(res.Error, emails.Error) {
		t.Errorf("run error %q", res.Error)
	}
	others := slices.DeleteFunc(slices.Clone(catalog.All()), func(s string) bool { return s == "emails" })
	checkTruth(t, db, f.fake.Truth(), others)
	for _, s := range res.Streams {
		if s.Stream != "emails" && s.Status != store.StatusSucceeded {
			t.Errorf("%s: %s %s", s.Stream, s.Status, s.Error)
		}
	}
}

// TestTwoRunsNoDuplicates: a second full run rewrites the same rows (and
// skips the archived records it already holds).
func TestTwoRunsNoDuplicates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 140, InlineAssociationLimit: 2, AssociationPageSize: 5})
	db := testkit.OpenDB(t)
	first := f.run(t.Context(), db, Options{})
	before := dump(t, db)
	f.fake.ResetStats()
	second := f.run(t.Context(), db, Options{Full: true})
	if first.Status != store.StatusSucceeded || second.Status != store.StatusSucceeded || second.ResumedFrom != 0 {
		t.Fatalf("runs: %s, %s (resumed from %d)", first.Status, second.Status, second.ResumedFrom)
	}
	tr := f.fake.Truth()
	checkTruth(t, db, tr, catalog.All())
	if after := dump(t, db); after != before {
		t.Error("the second run changed the database")
	}
	if got, want := f.fake.Stats().Total, minimumCalls(tr, f.cfg, catalog.All(), false); got != want {
		t.Errorf("second run: %d calls, want %d", got, want)
	}
	var rows, distinct int
	if err := db.SQL().QueryRow(`SELECT count(*), count(DISTINCT object_type || ':' || id) FROM records`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != distinct {
		t.Errorf("%d rows for %d records", rows, distinct)
	}
}

// TestRetriesUnderFaults: with one call in eight failing (429s, 5xx, resets,
// cut and non-JSON bodies, slow answers), retries still bring everything.
func TestRetriesUnderFaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 150, InlineAssociationLimit: 2, AssociationPageSize: 7,
		Faults: fakehub.Faults{Rate: 0.125}})
	db := testkit.OpenDB(t)
	res := f.run(t.Context(), db, Options{})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("status %s: %s", res.Status, res.Error)
	}
	checkTruth(t, db, f.fake.Truth(), catalog.All())
	if res.Retries == 0 || res.APICalls != int64(f.fake.Stats().Total) {
		t.Errorf("run counted %d calls with %d retries; the fake received %d", res.APICalls, res.Retries, f.fake.Stats().Total)
	}
	var retries int64
	for _, s := range res.Streams {
		retries += s.Retries
	}
	if retries != res.Retries {
		t.Errorf("stream retries add up to %d, run had %d", retries, res.Retries)
	}
}

// TestReconcileWarns: a record stored earlier that HubSpot no longer has
// makes the stored count differ from HubSpot's total: a warning, not
// silence.
func TestReconcileWarns(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 50})
	db := testkit.OpenDB(t)
	stale := "x"
	err := db.TransactionContext(t.Context(), func(tx *store.Tx) error {
		return tx.UpsertRecords(t.Context(), 0, []store.Record{{Type: "deals", ID: "999999999999",
			Properties: map[string]*string{"dealname": &stale}, CreatedAt: t0.AddDate(-1, 0, 0), UpdatedAt: t0.AddDate(-1, 0, 0)}})
	})
	if err != nil {
		t.Fatal(err)
	}
	res := f.run(t.Context(), db, Options{Objects: []string{"deals", "tickets"}})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("status %s: %s", res.Status, res.Error)
	}
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "deals: HubSpot counts") {
		t.Errorf("warnings %q, want one about deals", res.Warnings)
	}
}

// TestChangesDuringRunAreTolerated: records created while the run lists
// are not a reconciliation warning.
func TestChangesDuringRunAreTolerated(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 250})
	db := testkit.OpenDB(t)
	var once sync.Once
	opts := Options{Objects: []string{"notes"}, Concurrency: 1}
	opts.pageSaved = func() {
		once.Do(func() { f.fake.AddRecords("notes", 5, f.clk.Now()) })
	}
	res := f.run(t.Context(), db, opts)
	if res.Status != store.StatusSucceeded || len(res.Warnings) > 0 {
		t.Fatalf("status %s, warnings %q", res.Status, res.Warnings)
	}
	checkTruth(t, db, f.fake.Truth(), []string{"notes"})
}

func TestCancelledRunResumes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 200, InlineAssociationLimit: 2})
	db := testkit.OpenDB(t)
	ctx, cancel := context.WithCancel(t.Context())
	var pages atomic.Int64
	opts := Options{pageSaved: func() {
		if pages.Add(1) == 12 {
			cancel()
		}
	}}
	first := f.run(ctx, db, opts)
	if first.Status != store.StatusCancelled || first.Error == "" {
		t.Fatalf("first run: %s %q", first.Status, first.Error)
	}
	if id := resumes(t, db, nil); id != first.ID {
		t.Errorf("a run of all types would resume run %d, want run %d", id, first.ID)
	}
	if resumes(t, db, []string{"contacts"}) != 0 {
		t.Error("a run of another selection would resume the cancelled one")
	}
	second := f.run(t.Context(), db, Options{})
	if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
		t.Fatalf("second run: %s, resumed from %d", second.Status, second.ResumedFrom)
	}
	checkTruth(t, db, f.fake.Truth(), catalog.All())
	if resumes(t, db, nil) != 0 {
		t.Error("a succeeded run is resumable")
	}
}

// TestBadTokenStopsAtOnce: a refused token fails the run after the calls
// already in flight, not after one call per stream.
func TestBadTokenStopsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 50, Token: "the-real-token"})
	db := testkit.OpenDB(t)
	res := f.run(t.Context(), db, Options{Concurrency: 2})
	if res.Status != store.StatusFailed || !strings.Contains(res.Error, "access token") {
		t.Fatalf("status %s: %q", res.Status, res.Error)
	}
	if calls := f.fake.Stats().Total; calls > 3 {
		t.Errorf("%d calls after the token was refused", calls)
	}
	for _, s := range res.Streams {
		if s.Status != store.StatusFailed {
			t.Errorf("%s: %s", s.Stream, s.Status)
		}
	}
}
