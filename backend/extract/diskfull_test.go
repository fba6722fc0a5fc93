package extract

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/progress"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// callsAtFailure notes the fake's call count when the run first says the
// disk is full.
type callsAtFailure struct {
	testkit.Events
	fake  *fakehub.Server
	once  sync.Once
	calls int
}

func (c *callsAtFailure) Report(e progress.Event) {
	if e.Kind == progress.KindLog && strings.Contains(e.Message, "disk is full") {
		c.once.Do(func() { c.calls = c.fake.Stats().Total })
	}
	c.Events.Report(e)
}

// TestDiskFullStopsTheRun: a database that cannot grow past a third of
// what the run needs stops the whole run at the first write that fails,
// with the disk-full message alone; every stream counts exactly what it
// committed; once there is room the next run resumes it to the truth.
func TestDiskFullStopsTheRun(t *testing.T) {
	t.Parallel()
	cfg := fakehub.Config{Scale: 150, InlineAssociationLimit: 2, AssociationPageSize: 7}
	ref := newFixture(t, cfg)
	refDB := testkit.OpenDB(t)
	if res := ref.run(t.Context(), refDB, Options{}); res.Status != store.StatusSucceeded {
		t.Fatalf("reference run: %s %s", res.Status, res.Error)
	}
	var refPages int64
	if err := refDB.SQL().QueryRow(`PRAGMA page_count`).Scan(&refPages); err != nil {
		t.Fatal(err)
	}

	f := newFixture(t, cfg)
	path := filepath.Join(t.TempDir(), "full.db")
	testkit.FillDisk(path, refPages/3)
	t.Cleanup(func() { testkit.FreeDisk(path) })
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	rep := &callsAtFailure{fake: f.fake}
	first := f.run(t.Context(), db, Options{Progress: rep})
	diskFull := (&store.Error{Kind: store.ErrDiskFull}).UserMessage()
	if first.Status != store.StatusFailed && first.Status != store.StatusPartial || first.Error != diskFull || !first.Resumable {
		t.Fatalf("run %d: %s %q (resumable %v), want failed with %q alone", first.ID, first.Status, first.Error, first.Resumable, diskFull)
	}
	if rep.calls == 0 {
		t.Fatal("no log line said the disk is full")
	}
	// In flight when the write failed: a call per worker (as many as
	// automatic gives at the client's default rate) and the planner's.
	after := f.fake.Stats().Total - rep.calls
	if most := AutoConcurrency(0) + 1; after > most {
		t.Errorf("%d calls after the disk filled, want at most %d", after, most)
	}
	failed := 0
	for _, s := range first.Streams {
		if s.Status == store.StatusFailed {
			failed++
			if s.Error != diskFull {
				t.Errorf("%s failed with %q, want %q", s.Stream, s.Error, diskFull)
			}
		}
	}
	stored := storedCounts(t, db)
	for stream, n := range stored {
		if counted := recordsOf(first, stream); n != counted {
			t.Errorf("%s: %d stored, the run counts %d", stream, n, counted)
		}
	}
	t.Logf("run %d %s after %d calls (%d after the disk filled), %d streams failed, %d records saved",
		first.ID, first.Status, first.APICalls, after, failed, sum(stored))
	if sum(stored) == 0 {
		t.Fatal("nothing saved before the disk filled: give the database more room")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	testkit.FreeDisk(path) // room again
	db, err = store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	second := f.run(t.Context(), db, Options{})
	if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
		t.Fatalf("the run with room again: %s %q, resumed from %d, want run %d", second.Status, second.Error, second.ResumedFrom, first.ID)
	}
	checkTruth(t, db, f.fake.Truth(), catalog.All())
	// A resumed run reads again the submissions of an unfinished form and
	// the events of the edge millisecond: only records add up across runs.
	stored = storedCounts(t, db)
	for _, typ := range catalog.CRM() {
		if counted := recordsOf(second, typ) + recordsOf(first, typ); stored[typ] != counted {
			t.Errorf("%s: %d stored, the two runs count %d", typ, stored[typ], counted)
		}
	}
}

// recordsOf is what res counts for stream, 0 when it has no line for it.
func recordsOf(res Result, stream string) int64 {
	for _, s := range res.Streams {
		if s.Stream == stream {
			return s.Records
		}
	}
	return 0
}

// storedCounts is what the database holds per stream but the metadata.
func storedCounts(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, typ := range catalog.CRM() {
		active, archived, err := db.CountRecords(t.Context(), typ)
		if err != nil {
			t.Fatal(err)
		}
		out[typ] = active + archived
	}
	for stream, table := range map[string]string{catalog.Forms: "forms", catalog.FormSubmissions: "form_submissions",
		catalog.EmailEvents: "email_events"} {
		var n int64
		if err := db.SQL().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[stream] = n
	}
	return out
}

func sum(counts map[string]int64) int64 {
	var n int64
	for _, c := range counts {
		n += c
	}
	return n
}
