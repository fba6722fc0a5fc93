package extract

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

func TestBusyErrorSaysWhoAndWhen(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 11, 30, 14, 5, 3, 0, time.UTC)
	at := since.Local().Format("15:04:05 MST on 2 Jan 2006")
	tail := "; nothing was changed: run this again once it has finished"
	for _, tt := range []struct {
		name   string
		holder Holder
		want   string
	}{
		{"the command line", Holder{Owner: OwnerCommandLine, PID: 4242, Since: since},
			"another extraction is already running on this database, started by the command line (process 4242) at " + at + tail},
		{"the app", Holder{Owner: OwnerApp, PID: 7, Since: since},
			"another extraction is already running on this database, started by the app (process 7) at " + at + tail},
		{"a scheduled job", Holder{Owner: OwnerScheduled, PID: 99, Since: since},
			"another extraction is already running on this database, started by a scheduled job (process 99) at " + at + tail},
		{"unknown holder", Holder{}, "another extraction is already running on this database" + tail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := error(&BusyError{Path: "/x/hubextract.db", Holder: tt.holder})
			var um interface{ UserMessage() string }
			if !errors.As(err, &um) || um.UserMessage() != tt.want || err.Error() != tt.want {
				t.Errorf("message %q, want %q", err.Error(), tt.want)
			}
		})
	}
}

// countingFake serves the fixture's fake HubSpot and counts the calls it
// answers.
func countingFake(t *testing.T, f *fixture) (url string, calls *atomic.Int64) {
	calls = new(atomic.Int64)
	url = testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		f.fake.ServeHTTP(w, r)
	}))
	return url, calls
}

// TestRunRefusedWhileLocked: while another extraction holds the database's
// lock, Run returns a *BusyError naming it, makes no call and changes
// nothing (the other's run stays running); once the lock is released, the
// next Run closes that run as interrupted and resumes it.
func TestRunRefusedWhileLocked(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		holder Holder
		// blank: the holder has not written the lock file yet.
		blank bool
		want  string
	}{
		{name: "the app", holder: Holder{Owner: OwnerApp, PID: 31337, Since: t0}, want: "started by the app (process 31337)"},
		{name: "the command line", holder: Holder{Owner: OwnerCommandLine, PID: 1, Since: t0}, want: "started by the command line (process 1)"},
		{name: "a scheduled job", holder: Holder{Owner: OwnerScheduled, PID: 2, Since: t0}, want: "started by a scheduled job (process 2)"},
		{name: "not said yet", blank: true, want: "another extraction is already running on this database; nothing was changed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			f := newFixture(t, fakehub.Config{Scale: 5})
			url, calls := countingFake(t, f)
			db := testkit.OpenDB(t)
			objects := []string{"contacts"}
			// The other extraction: its lock, and its run going on.
			other, err := lockDatabase(db.Path(), tt.holder)
			if err != nil {
				t.Fatal(err)
			}
			if tt.blank {
				if err := os.Truncate(LockPath(db.Path()), 0); err != nil {
					t.Fatal(err)
				}
			}
			going, err := db.CreateRun(ctx, store.ModeFull, objects, t0)
			if err != nil {
				t.Fatal(err)
			}
			client := hubspot.New("demo-token", hubspot.WithBaseURL(url), hubspot.WithClock(f.clk))

			_, err = Run(ctx, db, Options{Client: client, Objects: objects, Owner: OwnerApp})
			var busy *BusyError
			if !errors.As(err, &busy) || !strings.Contains(err.Error(), tt.want) || busy.Path != db.Path() {
				t.Fatalf("Run while locked: %v, want a *BusyError saying %q", err, tt.want)
			}
			if n := calls.Load(); n != 0 {
				t.Errorf("the refused run made %d calls, want none", n)
			}
			runs, err := db.Runs(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 1 || runs[0].ID != going || runs[0].Status != store.StatusRunning {
				t.Fatalf("history after the refusal: %+v, want only run %d, still running", runs, going)
			}

			if err := other.release(); err != nil {
				t.Fatal(err)
			}
			res, err := Run(ctx, db, Options{Client: client, Objects: objects})
			if err != nil || res.Status != store.StatusSucceeded || res.ResumedFrom != going {
				t.Fatalf("run after the release: %+v (resumed %d), %v; want succeeded, resuming run %d", res.Run, res.ResumedFrom, err, going)
			}
			r, err := db.Run(ctx, going)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != store.StatusInterrupted || r.Error != abandonedMsg {
				t.Errorf("the run left open: %s %q, want interrupted, %q", r.Status, r.Error, abandonedMsg)
			}
		})
	}
}

// TestLockHeldForTheWholeRun: from the first committed page to the end of
// the run the lock is held and names the run's owner and process; after
// the run it is free again and its file names nobody.
func TestLockHeldForTheWholeRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 20})
	db := testkit.OpenDB(t)
	var once sync.Once
	var during error
	res := f.run(t.Context(), db, Options{Objects: []string{"contacts", "deals"}, Owner: OwnerScheduled, Concurrency: 2,
		pageSaved: func() {
			once.Do(func() {
				l, err := lockDatabase(db.Path(), Holder{Owner: OwnerApp})
				if err == nil {
					l.release()
				}
				during = err
			})
		}})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("run %s: %s", res.Status, res.Error)
	}
	var busy *BusyError
	if !errors.As(during, &busy) || busy.Holder.Owner != OwnerScheduled || busy.Holder.PID != os.Getpid() ||
		!busy.Holder.Since.Equal(t0) {
		t.Errorf("locking during the run: %v (holder %+v), want busy, held by this process as a scheduled job since %v",
			during, busy, t0)
	}
	l, err := lockDatabase(db.Path(), Holder{Owner: OwnerApp})
	if err != nil {
		t.Fatalf("the lock after the run: %v", err)
	}
	defer l.release()
	if b, err := os.ReadFile(LockPath(db.Path())); err != nil || !strings.Contains(string(b), `"owner":"the app"`) {
		t.Errorf("lock file %q (%v), want the new holder", b, err)
	}
}

// TestStaleLockFile: a lock file a dead process left behind (its holder
// written, no lock held: the OS released it) stands in no one's way.
func TestStaleLockFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 5})
	db := testkit.OpenDB(t)
	stale, _ := json.Marshal(Holder{Owner: OwnerCommandLine, PID: 999999, Since: t0.Add(-time.Hour)})
	if err := os.WriteFile(LockPath(db.Path()), stale, 0o600); err != nil {
		t.Fatal(err)
	}
	res := f.run(t.Context(), db, Options{Objects: []string{"contacts"}})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("run over a stale lock file: %s %s", res.Status, res.Error)
	}
	if fi, err := os.Stat(LockPath(db.Path())); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 0 {
		t.Errorf("lock file after the run: %v, %v; want it kept, 0600 and empty", fi, err)
	}
}

// TestLockThroughASymlink: the database reached through a symbolic link is
// the same database, with the same lock.
func TestLockThroughASymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real.db")
	link := filepath.Join(dir, "link.db")
	if err := os.WriteFile(real, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for _, tt := range []struct{ name, first, second string }{
		{"the link, then the file", link, real},
		{"the file, then the link", real, link},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := lockDatabase(tt.first, Holder{Owner: OwnerApp, PID: 5})
			if err != nil {
				t.Fatal(err)
			}
			defer l.release()
			var busy *BusyError
			if _, err := lockDatabase(tt.second, Holder{}); !errors.As(err, &busy) || busy.Holder.Owner != OwnerApp {
				t.Errorf("second lock through %s: %v, want busy, held by the app", tt.second, err)
			}
		})
	}
}

// TestRunning: an extraction runs while the lock file names a holder whose
// process is alive; an emptied file (the run ended) or a killed process's
// (SIGKILL leaves the file) says none.
func TestRunning(t *testing.T) {
	t.Parallel()
	dead := exec.Command(os.Args[0], "-test.run=^$")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	me := Holder{Owner: OwnerCommandLine, PID: os.Getpid(), Since: t0}
	for _, tt := range []struct {
		name    string
		content string // of the lock file; "-": no file
		want    bool
	}{
		{"no lock file", "-", false},
		{"emptied", "", false},
		{"a live holder", mustJSON(t, me), true},
		{"a killed holder", mustJSON(t, Holder{Owner: OwnerApp, PID: dead.Process.Pid, Since: t0}), false},
		{"garbage", "{not json", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "hubextract.db")
			if tt.content != "-" {
				if err := os.WriteFile(LockPath(db), []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			h, ok := Running(db)
			if ok != tt.want || (ok && h != me) {
				t.Errorf("Running = %+v, %v; want %v", h, ok, tt.want)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSeen: a run left "running" shows as interrupted as soon as its lock
// names no live holder, and stays running while an extraction holds it.
func TestSeen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		locked bool
		want   string
	}{
		{"LockFree", false, store.StatusInterrupted},
		{"LockHeld", true, store.StatusRunning},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			db := testkit.OpenDB(t)
			id, err := db.CreateRun(ctx, store.ModeFull, []string{"contacts"}, t0)
			if err != nil {
				t.Fatal(err)
			}
			if tt.locked {
				held, err := lockDatabase(db.Path(), Holder{Owner: OwnerCommandLine, PID: os.Getpid(), Since: t0})
				if err != nil {
					t.Fatal(err)
				}
				defer held.release()
			}
			run, err := db.Run(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			seen := Seen(run, db.Path())
			if seen.Status != tt.want || (tt.want == store.StatusInterrupted) != (seen.Error != "") {
				t.Errorf("seen as %s (%q), want %s", seen.Status, seen.Error, tt.want)
			}
			if stored, _ := db.Run(ctx, id); stored.Status != store.StatusRunning {
				t.Errorf("Seen wrote the run: %s", stored.Status)
			}
		})
	}
}
