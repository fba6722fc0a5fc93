package workspace

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"hubextract/backend/demo"
	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/schedule"
	"hubextract/backend/testkit"
)

// twoPortals serves two fake HubSpot accounts at one address, each
// answering its own key, as HubSpot does for two accounts.
func twoPortals(t *testing.T) string {
	t.Helper()
	a := fakehub.New(fakehub.Config{Seed: 3, Scale: 5, Token: "key-A"})
	b := fakehub.New(fakehub.Config{Seed: 4, Scale: 5, Token: "key-B"})
	return testkit.Serve(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("Authorization"), "key-B") {
			b.ServeHTTP(rw, r)
			return
		}
		a.ServeHTTP(rw, r)
	}))
}

// openScheduled is open with the scheduled refresh on clk, stepped by the
// test.
func openScheduled(t *testing.T, apiURL string, clk *testkit.Clock) *Workspace {
	t.Helper()
	w, _ := open(t, demo.Options{Scale: 5}, apiURL)
	paths := w.paths
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := Open(Config{Paths: paths, Sample: demo.Options{Scale: 5}, HubSpotURL: apiURL, ScheduleClock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func connect(t *testing.T, w *Workspace, key string) int64 {
	t.Helper()
	res, err := w.Connection.Test(key)
	if err != nil || !res.OK || res.Account == nil {
		t.Fatalf("connect %s: %+v, %v", key, res, err)
	}
	return res.Account.PortalID
}

func extractContacts(t *testing.T, w *Workspace) {
	t.Helper()
	if sum, err := w.Extract.Start(ExtractRequest{Objects: []string{"contacts"}}); err != nil || sum.Run.Status != "succeeded" {
		t.Fatalf("extract: %+v, %v", sum.Run, err)
	}
}

// Two accounts side by side: each its own database and history, switching
// shows only the current one's, and a key of one is refused for the
// other's database.
func TestAccountsSideBySide(t *testing.T) {
	w := openScheduled(t, twoPortals(t), testkit.NewClock(time.Now()))
	a := connect(t, w, "key-A")
	extractContacts(t, w)
	b := connect(t, w, "key-B")
	if a == b {
		t.Fatalf("both keys open account %d", a)
	}
	runs, err := w.Runs.List(10)
	if err != nil || len(runs) != 0 {
		t.Fatalf("account B's history before its first run = %+v, %v", runs, err)
	}
	extractContacts(t, w)
	extractContacts(t, w)
	list, err := w.Accounts.List()
	if err != nil || len(list.List) != 2 || !list.List[1].Current || list.List[0].Database == list.List[1].Database {
		t.Fatalf("accounts = %+v, %v", list, err)
	}
	for _, tc := range []struct {
		id   int64
		runs int
	}{{a, 1}, {b, 2}, {a, 1}} {
		st, err := w.Accounts.Switch(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		runs, err := w.Runs.List(10)
		if err != nil || len(runs) != tc.runs {
			t.Errorf("account %d: %d runs, want %d (%v)", tc.id, len(runs), tc.runs, err)
		}
		if want := list.List[map[int64]int{a: 0, b: 1}[tc.id]].Database; st.Database.Path != want {
			t.Errorf("account %d shows %s, want %s", tc.id, st.Database.Path, want)
		}
	}
	// A's key put in for B: refused before anything is written.
	if _, err := w.paths.AccountTokens(b).Save("key-A"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Accounts.Switch(b); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Extract.Start(ExtractRequest{Objects: []string{"contacts"}}); err == nil ||
		!strings.Contains(err.Error(), "this key opens HubSpot account") {
		t.Errorf("A's key on B's database: %v", err)
	}
	if runs, _ := w.Runs.List(10); len(runs) != 2 {
		t.Errorf("B's history after the refusal: %d runs, want 2", len(runs))
	}
	// Removing B forgets its key and keeps its file; A is current again.
	st, err := w.Accounts.Remove(b, false)
	if err != nil || st.Database.Path != list.List[0].Database {
		t.Errorf("after removing B: %+v, %v", st.Database, err)
	}
	if tok, _, _ := w.paths.AccountTokens(b).Load(); tok != "" {
		t.Errorf("B's key kept")
	}
}

// The scheduled refresh runs when due and is marked so in the history,
// waits while not due, and skips its slot (saying so) when another
// extraction holds the database.
func TestScheduledRefresh(t *testing.T) {
	clk := testkit.NewClock(time.Now())
	w := openScheduled(t, twoPortals(t), clk)
	a := connect(t, w, "key-A")
	if out, _ := w.refresh.Step(t.Context()); out != schedule.Idle {
		t.Fatalf("no schedule: %v", out)
	}
	if _, err := w.Accounts.SetSchedule(a, schedule.Spec{Kind: schedule.Hours, EveryHours: 2}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		advance time.Duration
		want    schedule.Outcome
		runs    int
	}{
		{0, schedule.Ran, 1}, // never ran: due at once
		{time.Hour, schedule.Idle, 1},
		{90 * time.Minute, schedule.Ran, 2},
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		if out, _ := w.refresh.Step(t.Context()); out != s.want {
			t.Errorf("step %d: %v, want %v", i, out, s.want)
		}
		runs, _ := w.Runs.List(10)
		if len(runs) != s.runs || runs[0].Trigger != "scheduled" {
			t.Errorf("step %d: runs %+v", i, runs)
		}
	}
	// Another process holds the database's lock.
	st, _ := w.Status()
	lock := flock.New(extract.LockPath(st.Database.Path))
	if ok, err := lock.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer lock.Unlock()
	clk.Advance(3 * time.Hour)
	if out, _ := w.refresh.Step(t.Context()); out != schedule.Ran {
		t.Errorf("locked slot: %v", out)
	}
	skipped, err := w.Runs.Skipped(10)
	if err != nil || len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "another extraction is already running") {
		t.Errorf("skipped = %+v, %v", skipped, err)
	}
	if runs, _ := w.Runs.List(10); len(runs) != 2 {
		t.Errorf("a skipped slot made a run: %d", len(runs))
	}
}
