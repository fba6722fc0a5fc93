package crash

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The message a run gets when the next run finds it left open by a process
// that died (backend/extract's start).
const abandonedMsg = "stopped unexpectedly"

// TestKillAndResume kills the extraction with SIGKILL four times — as soon
// as its run is recorded, then after a number of pages committed by each
// resumed run — and lets a fifth run finish: the database must be the one
// an uninterrupted run makes, every killed run closed as interrupted with a
// clear message, and the history sane.
func TestKillAndResume(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "killed.db")
	points := []int64{0, fx.refPages / 8, fx.refPages / 4, fx.refPages / 4}
	var killed []int64
	var last int64
	callsBefore := fx.calls(t)
	for _, pages := range points {
		p := start(t, extractArgs(fx.url, db)...)
		id := waitForPages(t, p, db, last, pages)
		p.kill(t)
		if status, _ := runStatus(t, db, id); status != "running" {
			t.Fatalf("run %d is %s after the kill: the run finished before it was killed", id, status)
		}
		savedAsCounted(t, db) // what the kill left is what the history counts
		killed = append(killed, id)
		last = id
	}

	code, stdout, stderr := runExtract(t, fx.url, db)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("(resumed run %d)", last)) {
		t.Fatalf("the run after the kills: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	calls, refCalls := fewRefetches(t, fx, callsBefore, len(points))
	sameData(t, db, fx.ref)
	sound(t, db)
	savedAsCounted(t, db)

	runs := runsJSON(t, db)
	if len(runs) != len(points)+1 {
		t.Fatalf("%d runs in the history, want %d", len(runs), len(points)+1)
	}
	if runs[0].Status != "succeeded" || runs[0].Error != "" {
		t.Errorf("last run: %s %q, want succeeded", runs[0].Status, runs[0].Error)
	}
	for _, r := range runs[1:] {
		if r.Status != "interrupted" || !strings.Contains(r.Error, abandonedMsg) {
			t.Errorf("killed run %d: %s %q, want interrupted, saying it %s", r.ID, r.Status, r.Error, abandonedMsg)
		}
	}
	t.Logf("killed runs %v after 0, %d, %d, %d pages; %d calls in all, %d for the uninterrupted run",
		killed, points[1], points[2], points[3], calls, refCalls)
}

// unrecordedAtKill bounds the calls a run killed at any instant made after
// its last commit, which therefore no history can show: every transaction
// saves the run's calls so far, so per worker a page answered and waiting
// for the writer and the next one sent (a page is one call here), and the
// planner's search waiting for its line to be written.
const unrecordedAtKill = 2*concurrency + 1

// TestKilledRunsKeepTheirCalls kills a run with SIGKILL, then the run that
// resumes it, and lets a third finish. The calls count against the
// account's daily HubSpot allowance, so the history must show them: each
// killed run keeps those it made up to its last committed page (at least
// the fake's count less what could have been in flight), none it did not
// make, and the run that finished shows exactly the fake's count.
func TestKilledRunsKeepTheirCalls(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "calls.db")
	var made []int64 // by the fake's count, per run, oldest first
	var last int64
	for _, pages := range []int64{fx.refPages / 6, fx.refPages / 4} {
		before := fx.total(t)
		p := start(t, extractArgs(fx.url, db)...)
		last = waitForPages(t, p, db, last, pages)
		p.kill(t)
		made = append(made, fx.total(t)-before)
	}
	before := fx.total(t)
	code, stdout, stderr := runExtract(t, fx.url, db)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("(resumed run %d)", last)) {
		t.Fatalf("the run after the kills: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	made = append(made, fx.total(t)-before)
	sameData(t, db, fx.ref)
	savedAsCounted(t, db)

	runs := runsJSON(t, db)
	if len(runs) != len(made) {
		t.Fatalf("%d runs in the history, want %d", len(runs), len(made))
	}
	slices.Reverse(runs) // oldest first, as made
	var recorded, server int64
	var lines []string
	for i, r := range runs {
		final := i == len(runs)-1
		var streams int64
		for _, s := range r.Streams {
			streams += s.APICalls
		}
		switch {
		case r.APICalls > made[i]:
			t.Errorf("run %d records %d calls, the fake answered %d", r.ID, r.APICalls, made[i])
		case final && r.APICalls != made[i]:
			t.Errorf("the finished run %d records %d calls, the fake answered %d", r.ID, r.APICalls, made[i])
		case made[i]-r.APICalls > unrecordedAtKill:
			t.Errorf("killed run %d records %d calls of the %d the fake answered: %d lost, want at most %d",
				r.ID, r.APICalls, made[i], made[i]-r.APICalls, unrecordedAtKill)
		}
		if streams > r.APICalls {
			t.Errorf("run %d: its streams record %d calls, the run %d", r.ID, streams, r.APICalls)
		}
		recorded += r.APICalls
		server += made[i]
		lines = append(lines, fmt.Sprintf("run %d %s: %d calls recorded (streams %d), %d answered", r.ID, r.Status, r.APICalls, streams, made[i]))
	}
	if recorded < server-int64(len(runs)-1)*unrecordedAtKill {
		t.Errorf("the history records %d calls, the fake answered %d: more lost than two kills can lose", recorded, server)
	}
	t.Logf("%s; in all %d recorded of %d answered (at most %d per kill may be lost)",
		strings.Join(lines, "; "), recorded, server, unrecordedAtKill)
}

// TestInterruptAndResume stops a run with Ctrl-C (SIGINT): it ends with exit
// 130, its run recorded cancelled with what it saved counted, and the next
// run resumes it to the reference database.
func TestInterruptAndResume(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "interrupted.db")
	callsBefore := fx.calls(t)
	p := start(t, extractArgs(fx.url, db)...)
	id := waitForPages(t, p, db, 0, fx.refPages/3)
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t)
	stdout, stderr := p.stdout.String(), p.stderr.String()
	if code != 130 || !strings.Contains(stdout, fmt.Sprintf("Run %d cancelled", id)) ||
		lastLine(stderr) != "hubextract extract: stopped; everything fetched is saved and the next run resumes where this one stopped" {
		t.Fatalf("after Ctrl-C: exit %d, want 130 and the stop explained\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if status, msg := runStatus(t, db, id); status != "cancelled" || !strings.Contains(msg, "stopped before it finished") {
		t.Errorf("run %d: %s %q, want cancelled, saying it stopped before it finished", id, status, msg)
	}
	savedAsCounted(t, db)

	code, stdout, stderr = runExtract(t, fx.url, db)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("(resumed run %d)", id)) {
		t.Fatalf("the run after Ctrl-C: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	fewRefetches(t, fx, callsBefore, 1)
	sameData(t, db, fx.ref)
	sound(t, db)
	savedAsCounted(t, db)
	runs := runsJSON(t, db)
	if len(runs) != 2 || runs[0].Status != "succeeded" || runs[1].Status != "cancelled" {
		t.Errorf("history: %+v, want the cancelled run and the one that finished it", runs)
	}
}

// TestBadToken: a refused token is one plain line on stderr and exit 1, and
// nothing but the failed run is written. (backend/cli's tests check the
// message in-process; this checks the database the real process leaves.)
func TestBadToken(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "badtoken.db")
	p := start(t, "extract", "--base-url", fx.url, "--token", "wrong-token", "--db", db)
	code := p.wait(t)
	last := lastLine(p.stderr.String())
	if code != 1 || !strings.HasPrefix(last, "hubextract extract: run 1 failed: ") ||
		!strings.Contains(last, "HubSpot did not accept the access token") || strings.ContainsAny(last, "{}") ||
		strings.Contains(last, "HTTP") || strings.Contains(last, "giving up") {
		t.Fatalf("exit %d, last line %q: want 1 and the refused token in plain words\nstderr:\n%s", code, last, p.stderr.String())
	}
	conn := mustOpenRO(t, db)
	defer conn.Close()
	for _, table := range dataTables {
		if n := queryInt(t, conn, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%d rows in %s after a refused token, want none", n, table)
		}
	}
	sound(t, db)
	runs := runsJSON(t, db)
	if len(runs) != 1 || runs[0].Status != "failed" || !strings.Contains(runs[0].Error, "access token") {
		t.Errorf("history: %+v, want one failed run naming the access token", runs)
	}
}
