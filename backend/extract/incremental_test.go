package extract

import (
	"os"
	"slices"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// changedSince lists the active records of a type whose last modification
// is at or after from: what an incremental read from there must fetch.
func changedSince(tr *fakehub.Truth, typ string, from time.Time) []string {
	var out []string
	for _, id := range tr.IDs(typ, false) {
		if _, _, updated, _, _ := tr.Record(typ, id); !updated.Before(from) {
			out = append(out, id)
		}
	}
	return out
}

// incrementalCalls is the cost of an incremental run computed from the
// truth, for changes of fewer than 200 records per type (one search page):
// the custom objects' schemas, owners and pipelines; per type its properties (a list per level of
// sensitivity it has), the planning call, one
// search, a batch read per 100 changed records when the properties do not
// fit the search body, the archived list pages (with a batch read of the
// newly archived ones when the properties do not fit a URL), and per
// associated type the v4 reads of the changed records (per 1,000 ids, as
// many rounds as the longest association list needs pages, at least one);
// the forms lists (active, archived) and one page per form with
// submissions; the email events of the window in
// pages of 1,000.
func incrementalCalls(tr *fakehub.Truth, cfg fakehub.Config, types []string, from, until time.Time,
	newlyArchived map[string]int, batchMode bool) int {
	pages := func(n, size int) int { return max(1, (n+size-1)/size) }
	calls := 1 + pages(len(tr.Owners()), 500) + pages(len(tr.ArchivedOwners()), 500) // the schemas, the owners
	for _, typ := range types {
		switch typ {
		case catalog.Forms:
			calls += pages(len(tr.Forms()), 100) + pages(len(tr.ArchivedForms()), 100)
			continue
		case catalog.FormSubmissions:
			calls += len(submittedForms(tr))
			continue
		case catalog.EmailEvents:
			calls += pages(len(tr.EmailEventIDs(from, until.Add(-time.Millisecond))), 1000)
			continue
		}
		changed := changedSince(tr, typ, from)
		calls += 3 + sensitiveLists(typ) + pages(len(tr.IDs(typ, true)), 100)
		if slices.Contains(catalog.PipelineTypes(), typ) {
			calls++
		}
		if batchMode {
			if len(changed) > 0 {
				calls += pages(len(changed), 100)
			}
			if newlyArchived[typ] > 0 {
				calls++ // all on one page here
			}
		}
		if len(changed) == 0 {
			continue
		}
		for _, to := range catalog.Inline(typ) {
			calls += v4Calls(tr, cfg, typ, to, changed)
		}
	}
	return calls
}

// TestIncrementalFetchesOnlyChanges: after a full run, records are
// modified (one of them inside the overlap, as a change the search index
// showed late), created with associations and archived, and email events
// arrive; the next run is incremental, fetches exactly the changed records
// (and those of the overlap), their associations, the newly archived
// records and the new events, in exactly the calls that takes, and ends
// with the database equal to the fake's truth.
func TestIncrementalFetchesOnlyChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       fakehub.Config
		objects   []string
		batchMode bool
	}{
		{name: "PropertiesInSearch", cfg: fakehub.Config{Scale: 150, InlineAssociationLimit: 2, AssociationPageSize: 7},
			objects: catalog.All()},
		// 600 extra properties fit neither a URL nor a search body: the
		// search asks for the last-modified date, a batch read brings the
		// rest.
		{name: "PropertiesByBatchRead", cfg: fakehub.Config{Scale: 60, ExtraProperties: 600, InlineAssociationLimit: 3},
			objects: []string{"contacts", "notes"}, batchMode: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			db := testkit.OpenDB(t)
			first := f.run(t.Context(), db, Options{Objects: tt.objects})
			if first.Status != store.StatusSucceeded || first.Mode != store.ModeFull {
				t.Fatalf("first run: %s %s %s", first.Status, first.Mode, first.Error)
			}
			since1 := first.StartedAt
			f.clk.Advance(time.Hour)
			at := f.clk.Now()
			tr := f.fake.Truth()
			archived := map[string]int{}
			crm := slices.DeleteFunc(slices.Clone(tt.objects), func(s string) bool { return !catalog.IsCRM(s) })
			for k, typ := range crm {
				ids := tr.IDs(typ, false)
				n := len(ids)
				f.fake.Modify(typ, []string{ids[k], ids[n/3+k], ids[n-1-k]}, at.Add(time.Duration(k)*time.Second))
				f.fake.Modify(typ, []string{ids[n/4+k]}, since1.Add(-2*time.Minute)) // seen late by the index
				f.fake.AddRecords(typ, 2+k%2, at.Add(time.Minute))
				f.fake.Archive(typ, []string{ids[n/2+k]}, at.Add(2*time.Minute))
				archived[typ] = 1
			}
			f.fake.AddEmailEvents(2, since1.Add(-time.Millisecond)) // late, just before the first window's end
			f.fake.AddEmailEvents(3, since1)                        // at it: the second window's
			f.fake.AddEmailEvents(4, at)
			f.clk.Advance(time.Hour)
			f.fake.ResetStats()
			ev := &testkit.Events{}
			second := f.run(t.Context(), db, Options{Objects: tt.objects, Progress: ev})
			if second.Status != store.StatusSucceeded || second.Mode != store.ModeIncremental || second.ResumedFrom != 0 {
				t.Fatalf("second run: %s %s %s (resumed %d)", second.Status, second.Mode, second.Error, second.ResumedFrom)
			}
			tr = f.fake.Truth()
			checkTruth(t, db, tr, tt.objects)
			if len(second.Warnings) > 0 {
				t.Errorf("warnings: %q", second.Warnings)
			}

			from := since1.Add(-DefaultOverlap)
			want := incrementalCalls(tr, f.cfg, tt.objects, from, second.StartedAt, archived, tt.batchMode)
			if got := f.fake.Stats().Total; got != want || second.APICalls != int64(want) || second.MinimumCalls != int64(want) {
				t.Errorf("incremental run: fake received %d calls, run counted %d (minimum %d), want %d (%v)",
					got, second.APICalls, second.MinimumCalls, want, f.fake.Stats().ByType)
			}
			var perStream int64
			for _, s := range second.Streams {
				perStream += s.APICalls
			}
			if perStream != second.APICalls {
				t.Errorf("stream calls add up to %d, run made %d", perStream, second.APICalls)
			}
			final := finalEvents(ev)
			for _, typ := range crm {
				changed := changedSince(tr, typ, from)
				if len(changed) < 5 {
					t.Fatalf("%s: only %d changed records: the test changes at least 5", typ, len(changed))
				}
				s := streamResult(t, second, typ)
				want := int64(len(changed) + archived[typ])
				if s.Status != store.StatusSucceeded || s.Records != want || s.HubSpotTotal != int64(len(tr.IDs(typ, false))) {
					t.Errorf("%s: %+v, want %d records (%d changed, %d archived)", typ, s, want, len(changed), archived[typ])
				}
				if e := final[typ]; e.Records != want || e.Total != want {
					t.Errorf("%s: final progress %+v", typ, e)
				}
			}
			if !slices.Contains(tt.objects, catalog.EmailEvents) {
				return
			}
			newEvents := len(tr.EmailEventIDs(from, second.StartedAt.Add(-time.Millisecond)))
			if s := streamResult(t, second, catalog.EmailEvents); s.Records != int64(newEvents) || newEvents < 9 {
				t.Errorf("email_events: %+v, want the %d events of the window", s, newEvents)
			}
			if s := streamResult(t, second, catalog.FormSubmissions); s.Records != 0 || s.APICalls != int64(len(submittedForms(tr))) {
				t.Errorf("form_submissions: %+v, want one call per form and nothing new", s)
			}
			wms, err := db.Watermarks(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tt.objects {
				w := wms[name]
				fullAt := since1
				if name == catalog.Forms {
					fullAt = second.StartedAt // the forms list is always read whole
				}
				if !w.Value.Equal(second.StartedAt) || !w.FullAt.Equal(fullAt) {
					t.Errorf("%s watermark %+v, want %v (full %v)", name, w, second.StartedAt, fullAt)
				}
			}
		})
	}
}

// TestIncrementalResumesMidWalk cancels an incremental run after its first
// saved page of changes; the next run resumes at the saved cursor: every
// changed record is written exactly once over the two runs, none is
// skipped.
func TestIncrementalResumesMidWalk(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 80, InlineAssociationLimit: 2})
	db := testkit.OpenDB(t)
	objects := []string{"notes"}
	if res := f.run(t.Context(), db, Options{Objects: objects}); res.Status != store.StatusSucceeded {
		t.Fatalf("first run: %s %s", res.Status, res.Error)
	}
	f.clk.Advance(time.Hour)
	at := f.clk.Now()
	for k := range 70 { // 560 notes, 8 to an instant: three pages of changes
		f.fake.AddRecords("notes", 8, at.Add(time.Duration(k)*time.Millisecond))
	}
	f.clk.Advance(time.Hour)
	// One worker: the two pages of owners, then the first page of changes.
	ctx, saved := cancelAfter(t, 3)
	first := f.run(ctx, db, Options{Objects: objects, Concurrency: 1, pageSaved: saved})
	if first.Status != store.StatusCancelled || first.Mode != store.ModeIncremental {
		t.Fatalf("interrupted run: %s %s", first.Status, first.Mode)
	}
	second := f.run(t.Context(), db, Options{Objects: objects})
	if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID || second.Mode != store.ModeIncremental {
		t.Fatalf("resumed run: %s %s, resumed from %d", second.Status, second.Mode, second.ResumedFrom)
	}
	tr := f.fake.Truth()
	checkTruth(t, db, tr, objects)
	changed := len(changedSince(tr, "notes", first.StartedAt.Add(-time.Hour).Add(-DefaultOverlap)))
	a, b := streamResult(t, first, "notes"), streamResult(t, second, "notes")
	if a.Records+b.Records != int64(changed) || a.Records == 0 {
		t.Errorf("notes written %d + %d times, %d changed: each exactly once", a.Records, b.Records, changed)
	}
}

// TestSearchCapNeverTruncates: changes far beyond what one search can page
// through are all read: with the cap lowered to 500, 1,200 records modified
// in one window at distinct instants and 700 at one millisecond; with
// HubSpot's 10,000 (env-gated: HUBEXTRACT_LONG_TESTS=1), 25,000 and 12,000.
func TestSearchCapNeverTruncates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cap, spread int
		sameInstant int
		big         bool
	}{
		{name: "LoweredCap", cap: 500, spread: 1200, sameInstant: 700},
		{name: "HubSpotCap", cap: 0, spread: 25_000, sameInstant: 12_000, big: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.big && os.Getenv("HUBEXTRACT_LONG_TESTS") == "" {
				t.Skip("37,000 records (about 15 s, minutes under -race): set HUBEXTRACT_LONG_TESTS=1")
			}
			f := newFixture(t, fakehub.Config{Scale: 10, SearchResultCap: tt.cap, Forms: 1, EmailEvents: 1})
			db := testkit.OpenDB(t)
			// A watermark as a full run at t0 leaves it.
			err := db.TransactionContext(t.Context(), func(tx *store.Tx) error {
				if err := tx.SetWatermark(t.Context(), "notes", t0, 0); err != nil {
					return err
				}
				return tx.SetFullAt(t.Context(), "notes", t0)
			})
			if err != nil {
				t.Fatal(err)
			}
			at := t0.Add(time.Minute)
			var added []string
			for k := 0; k < tt.spread; k += 5 { // five to an instant
				added = append(added, f.fake.AddRecords("notes", 5, at.Add(time.Duration(k)*time.Millisecond))...)
			}
			added = append(added, f.fake.AddRecords("notes", tt.sameInstant, at.Add(time.Hour))...)
			f.clk.Advance(2 * time.Hour)
			res := f.run(t.Context(), db, Options{Objects: []string{"notes"}})
			if res.Status != store.StatusSucceeded || res.Mode != store.ModeIncremental {
				t.Fatalf("run: %s %s %s", res.Status, res.Mode, res.Error)
			}
			var stored []string
			err = db.EachRecord(t.Context(), "notes", func(r store.Record) error {
				if !r.Archived { // the archived pass stores the few archived notes too
					stored = append(stored, r.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			tr := f.fake.Truth()
			want := changedSince(tr, "notes", t0.Add(-DefaultOverlap))
			sameIDs(t, "notes", stored, want)
			if len(want) < len(added) {
				t.Fatalf("%d changed, %d added", len(want), len(added))
			}
			// Pages of 200, a few re-read at the page edges, one more to
			// enter the crowded instant, one to leave it.
			searches := f.fake.Stats().ByType["search notes"]
			floor := (len(want)+199)/200 + 1 // the planning call
			if searches < floor || float64(searches) > 1.06*float64(floor)+3 {
				t.Errorf("%d searches for %d records, the floor is %d", searches, len(want), floor)
			}
			t.Logf("%d records in %d searches (floor %d), %d calls in all", len(want), searches, floor, res.APICalls)
		})
	}
}

// TestFormSubmissionCounts: forms with 0, 1, 50, 51 and 500 submissions
// cost exactly 1, 1, 1, 2 and 10 calls after the two calls listing them
// (the active forms, the archived ones), attributed to the stream that
// needs them; a second run costs one call per form; a run cancelled midway
// resumes by form.
func TestFormSubmissionCounts(t *testing.T) {
	t.Parallel()
	cfg := fakehub.Config{Scale: 5, FormSubmissionCounts: []int{0, 1, 50, 51, 500}, EmailEvents: 1}
	tests := []struct {
		name    string
		objects []string
		forms   int64 // calls attributed to the forms stream
	}{
		{name: "FormsAndSubmissions", objects: []string{catalog.Forms, catalog.FormSubmissions}, forms: 2},
		{name: "SubmissionsOnly", objects: []string{catalog.FormSubmissions}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, cfg)
			db := testkit.OpenDB(t)
			res := f.run(t.Context(), db, Options{Objects: tt.objects})
			if res.Status != store.StatusSucceeded {
				t.Fatalf("run: %s %s", res.Status, res.Error)
			}
			checkTruth(t, db, f.fake.Truth(), tt.objects)
			// Three more calls: the custom objects' schemas, the owners,
			// active and archived.
			stats := f.fake.Stats().ByType
			if stats["forms"] != 2 || stats["form submissions"] != 15 || f.fake.Stats().Total != 20 || res.APICalls != 20 || res.MinimumCalls != 20 {
				t.Errorf("calls %v (run counted %d, minimum %d), want 2 forms lists and 1+1+1+2+10 submission pages",
					stats, res.APICalls, res.MinimumCalls)
			}
			subs := streamResult(t, res, catalog.FormSubmissions)
			if subs.Records != 602 || subs.APICalls != 17-tt.forms {
				t.Errorf("form_submissions: %+v", subs)
			}
			if tt.forms > 0 {
				if fs := streamResult(t, res, catalog.Forms); fs.Records != 5 || fs.APICalls != 2 {
					t.Errorf("forms: %+v", fs)
				}
			}
			f.clk.Advance(time.Hour)
			f.fake.ResetStats()
			again := f.run(t.Context(), db, Options{Objects: tt.objects})
			if again.Status != store.StatusSucceeded || again.Mode != store.ModeIncremental || f.fake.Stats().Total != 7+3 {
				t.Errorf("second run: %s %s, %d calls, want 7, the schemas and the owners", again.Status, again.Mode, f.fake.Stats().Total)
			}
		})
	}
	t.Run("ResumeByForm", func(t *testing.T) {
		f := newFixture(t, cfg)
		db := testkit.OpenDB(t)
		objects := []string{catalog.FormSubmissions}
		ctx, saved := cancelAfter(t, 6)
		first := f.run(ctx, db, Options{Objects: objects, Concurrency: 1, pageSaved: saved})
		second := f.run(t.Context(), db, Options{Objects: objects})
		if first.Status != store.StatusCancelled || second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
			t.Fatalf("runs: %s, %s resumed from %d", first.Status, second.Status, second.ResumedFrom)
		}
		checkTruth(t, db, f.fake.Truth(), objects)
		// The forms lists are not read again; finished forms are not read
		// again; an unfinished form is read again from its newest page.
		if stats := f.fake.Stats().ByType; stats["forms"] != 2 || stats["form submissions"] > 15+9 {
			t.Errorf("calls over both runs: %v", stats)
		}
	})
}

// TestEmailEventWindows: a run cancelled between pages resumes below the
// saved edge (without the stale offset and without a gap: the events of
// the edge millisecond are read again and stored once), and events just
// before, at and after each later run's window edge are stored exactly once
// by the run whose window holds them, or by the next, through the overlap,
// when they arrive late.
func TestEmailEventWindows(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 5, Forms: 1, EmailEvents: 2600})
	f.fake.AddEmailEvents(700, t0.Add(-time.Millisecond)) // a crowded last millisecond
	db := testkit.OpenDB(t)
	objects := []string{catalog.EmailEvents}
	// One worker: the two pages of owners, then the first page of events.
	ctx, saved := cancelAfter(t, 3)
	first := f.run(ctx, db, Options{Objects: objects, Concurrency: 1, pageSaved: saved})
	if first.Status != store.StatusCancelled {
		t.Fatalf("first run: %s", first.Status)
	}
	cps, err := db.Checkpoints(t.Context(), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	var left eventWindow
	for _, cp := range cps {
		if cp.Stream == catalog.EmailEvents {
			if left, err = parseEventWindow(cp.Cursor); err != nil {
				t.Fatal(err)
			}
		}
	}
	tr := f.fake.Truth()
	remaining := len(tr.EmailEventIDs(time.UnixMilli(0), time.UnixMilli(left.hi-1)))
	if left.lo != 0 || remaining >= 3300-900 || remaining == 0 {
		t.Fatalf("window left %v holds %d events", left, remaining)
	}
	second := f.run(t.Context(), db, Options{Objects: objects})
	if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
		t.Fatalf("second run: %s, resumed from %d", second.Status, second.ResumedFrom)
	}
	checkTruth(t, db, tr, objects)
	// The run's own count: the fake's would also count a request the
	// cancelled run sent that its server read only after that run ended.
	if calls := streamResult(t, second, catalog.EmailEvents).APICalls; calls != int64(remaining+999)/1000 {
		t.Errorf("resumed run: %d calls for the %d events left", calls, remaining)
	}

	// The watermark is the first run's start: arrivals late for its
	// window (inside the overlap) and at its end.
	f.clk.Advance(time.Hour)
	f.fake.AddEmailEvents(2, first.StartedAt.Add(-time.Millisecond))
	f.fake.AddEmailEvents(3, first.StartedAt)
	third := f.run(t.Context(), db, Options{Objects: objects})
	f.fake.AddEmailEvents(4, third.StartedAt.Add(-time.Millisecond)) // late for the third run's window
	f.fake.AddEmailEvents(5, third.StartedAt)
	f.clk.Advance(time.Hour)
	fourth := f.run(t.Context(), db, Options{Objects: objects})
	for i, r := range []Result{third, fourth} {
		if r.Status != store.StatusSucceeded || r.Mode != store.ModeIncremental {
			t.Fatalf("run %d: %s %s", i+3, r.Status, r.Mode)
		}
	}
	tr = f.fake.Truth()
	checkTruth(t, db, tr, objects)
	if got, want := streamResult(t, fourth, catalog.EmailEvents).Records,
		int64(len(tr.EmailEventIDs(third.StartedAt.Add(-DefaultOverlap), fourth.StartedAt.Add(-time.Millisecond)))); got != want || got < 9 {
		t.Errorf("fourth run wrote %d events, its window holds %d", got, want)
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM email_events`).Scan(&n); err != nil || n != 3300+14 {
		t.Errorf("%d events stored (%v), want %d", n, err, 3300+14)
	}
}

// TestArchivedSinceLastRunMarked: records archived since the last run are
// stored as archived, and their associations are gone from both sides.
func TestArchivedSinceLastRunMarked(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 90, InlineAssociationLimit: 3})
	db := testkit.OpenDB(t)
	objects := []string{"contacts", "companies", "deals"}
	f.run(t.Context(), db, Options{Objects: objects})
	f.clk.Advance(time.Hour)
	gone := map[string][]string{}
	for _, typ := range objects {
		ids := f.fake.Truth().IDs(typ, false)
		gone[typ] = []string{ids[3], ids[30]}
		f.fake.Archive(typ, gone[typ], f.clk.Now())
	}
	res := f.run(t.Context(), db, Options{Objects: objects})
	if res.Status != store.StatusSucceeded || res.Mode != store.ModeIncremental {
		t.Fatalf("run: %s %s %s", res.Status, res.Mode, res.Error)
	}
	checkTruth(t, db, f.fake.Truth(), objects)
	for typ, ids := range gone {
		for _, id := range ids {
			var archived bool
			if err := db.SQL().QueryRow(`SELECT archived FROM records WHERE object_type = ? AND id = ?`, typ, id).Scan(&archived); err != nil || !archived {
				t.Errorf("%s %s archived=%v (%v)", typ, id, archived, err)
			}
			if assoc, err := db.AssociatedIDs(t.Context(), typ, id); err != nil || len(assoc) > 0 {
				t.Errorf("%s %s still has associations %v (%v)", typ, id, assoc, err)
			}
		}
	}
}

// TestFullRuns: --full reads everything again; a stream whose last full
// read is older than FullEvery is read in full again; otherwise runs are
// incremental.
func TestFullRuns(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 60})
	db := testkit.OpenDB(t)
	objects := []string{"contacts", "companies", "notes", catalog.EmailEvents}
	prev := f.run(t.Context(), db, Options{Objects: objects})
	full := minimumCalls(f.fake.Truth(), f.cfg, objects, false)
	steps := []struct {
		name    string
		advance time.Duration
		opts    Options
		mode    string
	}{
		{"Incremental", time.Hour, Options{}, store.ModeIncremental},
		{"Forced", time.Hour, Options{Full: true}, store.ModeFull},
		{"StillFresh", 50 * time.Minute, Options{FullEvery: time.Hour}, store.ModeIncremental},
		{"Periodic", 20 * time.Minute, Options{FullEvery: time.Hour}, store.ModeFull},
		{"NeverPeriodic", 30 * 24 * time.Hour, Options{FullEvery: -1}, store.ModeIncremental},
	}
	for _, st := range steps {
		f.clk.Advance(st.advance)
		f.fake.ResetStats()
		st.opts.Objects = objects
		res := f.run(t.Context(), db, st.opts)
		if res.Status != store.StatusSucceeded || res.Mode != st.mode {
			t.Fatalf("%s: %s %s %s", st.name, res.Status, res.Mode, res.Error)
		}
		tr := f.fake.Truth()
		want := full
		if st.mode == store.ModeIncremental {
			want = incrementalCalls(tr, f.cfg, objects, prev.StartedAt.Add(-DefaultOverlap), res.StartedAt, nil, false)
		}
		if calls := f.fake.Stats().Total; calls != want {
			t.Errorf("%s: %s run made %d calls, want %d", st.name, st.mode, calls, want)
		}
		checkTruth(t, db, tr, objects)
		prev = res
	}
}

// TestResumeRule: a run partial for a reason that persists (a scope lost
// after the type's first pages) is not resumed, so the next run refreshes
// every other stream incrementally; a type refused from its first call
// (unavailable) leaves the run succeeded and not resumable either; one that
// stopped for a reason that may pass (a server failing through every retry)
// is resumed; --full starts afresh.
func TestResumeRule(t *testing.T) {
	t.Parallel()
	t.Run("PermanentFailureNotResumed", func(t *testing.T) {
		f := newFixture(t, fakehub.Config{Scale: 250})
		db := testkit.OpenDB(t)
		objects := []string{"contacts", "emails", catalog.EmailEvents}
		denied := false
		first := f.run(t.Context(), db, Options{Objects: objects, pageSaved: func() {
			if n, _, err := db.CountRecords(t.Context(), "emails"); err == nil && n > 0 && !denied {
				denied = true
				f.fake.DenyScope("emails", "sales-email-read")
			}
		}})
		if first.Status != store.StatusPartial || first.Resumable {
			t.Fatalf("first run: %s, resumable %v", first.Status, first.Resumable)
		}
		if s := streamResult(t, first, "emails"); s.Status != store.StatusFailed {
			t.Fatalf("emails, refused after a page: %+v", s)
		}
		if resumes(t, db, objects) != 0 {
			t.Error("a run that failed only for a missing scope is resumable")
		}
		f.clk.Advance(time.Hour)
		f.fake.Modify("contacts", f.fake.Truth().IDs("contacts", false)[:3], f.clk.Now())
		second := f.run(t.Context(), db, Options{Objects: objects})
		if second.Status != store.StatusSucceeded || second.ResumedFrom != 0 || second.Mode != store.ModeIncremental {
			t.Fatalf("second run: %s %s, resumed from %d", second.Status, second.Mode, second.ResumedFrom)
		}
		// The key now lacks the scope from the start: emails are unavailable.
		if s := streamResult(t, second, "emails"); s.Status != store.StatusUnavailable {
			t.Errorf("emails, refused from the first call: %+v", s)
		}
		if s := streamResult(t, second, "contacts"); s.Status != store.StatusSucceeded || s.Records < 3 {
			t.Errorf("contacts did not refresh: %+v", s)
		}
		checkTruth(t, db, f.fake.Truth(), []string{"contacts", catalog.EmailEvents})
	})
	t.Run("UnavailableNotResumed", func(t *testing.T) {
		f := newFixture(t, fakehub.Config{Scale: 40})
		f.fake.DenyScope("emails", "sales-email-read")
		db := testkit.OpenDB(t)
		objects := []string{"contacts", "emails", catalog.EmailEvents}
		first := f.run(t.Context(), db, Options{Objects: objects})
		if first.Status != store.StatusSucceeded || first.Resumable {
			t.Fatalf("first run: %s, resumable %v", first.Status, first.Resumable)
		}
		if s := streamResult(t, first, "emails"); s.Status != store.StatusUnavailable || s.Scope != "sales-email-read" {
			t.Fatalf("emails: %+v", s)
		}
		f.clk.Advance(time.Hour)
		second := f.run(t.Context(), db, Options{Objects: objects})
		if second.ResumedFrom != 0 || second.Mode != store.ModeIncremental {
			t.Fatalf("second run: %s %s, resumed from %d", second.Status, second.Mode, second.ResumedFrom)
		}
	})
	t.Run("TransientFailureResumed", func(t *testing.T) {
		f := newFixture(t, fakehub.Config{Scale: 250})
		db := testkit.OpenDB(t)
		objects := []string{"deals", "notes"}
		f.fake.FailNext(hubspot.DefaultMaxAttempts, fakehub.Fault503, "/crm/properties/2026-09/deals")
		first := f.run(t.Context(), db, Options{Objects: objects, Concurrency: 1})
		if first.Status != store.StatusPartial || !first.Resumable {
			t.Fatalf("first run: %s, resumable %v (%s)", first.Status, first.Resumable, first.Error)
		}
		second := f.run(t.Context(), db, Options{Objects: objects})
		if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
			t.Fatalf("second run: %s, resumed from %d", second.Status, second.ResumedFrom)
		}
		if s := streamResult(t, second, "notes"); s.Status != statusSkipped {
			t.Errorf("notes, finished by the first run: %+v", s)
		}
		checkTruth(t, db, f.fake.Truth(), objects)
	})
	t.Run("FullStartsAfresh", func(t *testing.T) {
		f := newFixture(t, fakehub.Config{Scale: 250})
		db := testkit.OpenDB(t)
		objects := []string{"notes"}
		ctx, saved := cancelAfter(t, 1)
		first := f.run(ctx, db, Options{Objects: objects, pageSaved: saved})
		if first.Status != store.StatusCancelled || !first.Resumable {
			t.Fatalf("first run: %s, resumable %v", first.Status, first.Resumable)
		}
		f.fake.ResetStats()
		second := f.run(t.Context(), db, Options{Objects: objects, Full: true})
		if second.Status != store.StatusSucceeded || second.ResumedFrom != 0 || second.Mode != store.ModeFull {
			t.Fatalf("second run: %s %s, resumed from %d", second.Status, second.Mode, second.ResumedFrom)
		}
		if got, want := f.fake.Stats().Total, minimumCalls(f.fake.Truth(), f.cfg, objects, false); got != want {
			t.Errorf("fresh full run: %d calls, want %d", got, want)
		}
	})
}
