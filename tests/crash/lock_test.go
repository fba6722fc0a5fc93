package crash

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// relay passes calls on to the fake HubSpot and counts them; once paused,
// the calls after the first `after` wait until it is resumed: the run that
// makes them holds on, mid-way, for as long as a test needs.
type relay struct {
	url    string
	calls  atomic.Int64
	after  int64         // calls let through before the pause (0: no pause)
	held   chan struct{} // closed when the first call is held
	resume chan struct{} // close to let the held calls go
	once   sync.Once
}

func newRelay(t *testing.T, to string, after int64) *relay {
	t.Helper()
	target, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{after: after, held: make(chan struct{}), resume: make(chan struct{})}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if n := r.calls.Add(1); r.after > 0 && n > r.after {
			r.once.Do(func() { close(r.held) })
			select {
			case <-r.resume:
			case <-req.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// TestSecondExtractionRefused runs a second `hubextract extract` on a
// database while a first one is running on it (held mid-way on a call): the
// second exits 1 at once, saying plainly on its last line that another
// extraction (the first's process, from the command line) is running and
// that nothing was changed; it makes no call to HubSpot and writes no run.
// The first then finishes normally, with the database an uninterrupted run
// makes.
func TestSecondExtractionRefused(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "two.db")
	first := newRelay(t, fx.url, 40)
	p1 := start(t, extractArgs(first.url, db)...)
	select {
	case <-first.held:
	case <-p1.done:
		t.Fatalf("the first run ended (exit %d) before its 41st call\nstderr:\n%s", p1.cmd.ProcessState.ExitCode(), p1.stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("the first run made no 41st call within a minute")
	}

	second := newRelay(t, fx.url, 0)
	began := time.Now()
	p2 := start(t, extractArgs(second.url, db)...)
	code := p2.wait(t)
	took := time.Since(began)
	last := lastLine(p2.stderr.String())
	prefix := fmt.Sprintf("hubextract extract: another extraction is already running on this database, started by the command line (process %d) at ",
		p1.cmd.Process.Pid)
	suffix := "; nothing was changed: run this again once it has finished"
	if code != 1 || !strings.HasPrefix(last, prefix) || !strings.HasSuffix(last, suffix) {
		t.Fatalf("the second extraction: exit %d, last line %q; want 1 and %q…%q\nstdout:\n%s\nstderr:\n%s",
			code, last, prefix, suffix, p2.stdout.String(), p2.stderr.String())
	}
	if n := second.calls.Load(); n != 0 {
		t.Errorf("the refused extraction made %d calls to HubSpot, want none", n)
	}
	select {
	case <-p1.done:
		t.Fatalf("the first run ended (exit %d) while it was held", p1.cmd.ProcessState.ExitCode())
	default:
	}
	if status, _ := runStatus(t, db, 1); status != "running" {
		t.Errorf("the first run is %s after the refusal, want still running", status)
	}

	close(first.resume)
	if code := p1.wait(t); code != 0 || !strings.Contains(p1.stdout.String(), "Run 1 succeeded") {
		t.Fatalf("the first run: exit %d\nstdout:\n%s\nstderr:\n%s", code, p1.stdout.String(), p1.stderr.String())
	}
	sameData(t, db, fx.ref)
	sound(t, db)
	runs := runsJSON(t, db)
	if len(runs) != 1 || runs[0].Status != "succeeded" {
		t.Errorf("history: %+v, want the first run only, succeeded", runs)
	}
	var ref int
	for _, n := range fx.refCalls {
		ref += n
	}
	t.Logf("the second extraction: exit %d after %v, %d calls, stderr %q; the first: %d calls (%d for the reference run), exit 0",
		code, took.Round(time.Millisecond), second.calls.Load(), p2.stderr.String(), first.calls.Load(), ref)
}

// TestKilledRunInterruptedAndResumed kills a run with SIGKILL: its lock file
// still names it, but the OS released its lock, so the next run starts,
// closes the killed run as interrupted, with a plain message, and resumes it
// to the database an uninterrupted run makes.
func TestKilledRunInterruptedAndResumed(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "killed.db")
	p := start(t, extractArgs(fx.url, db)...)
	id := waitForPages(t, p, db, 0, fx.refPages/4)
	pid := p.cmd.Process.Pid
	p.kill(t)
	if b, err := os.ReadFile(db + ".lock"); err != nil || !strings.Contains(string(b), fmt.Sprintf(`"pid":%d`, pid)) {
		t.Fatalf("lock file after the kill: %q (%v), want it still naming process %d", b, err, pid)
	}
	if status, _ := runStatus(t, db, id); status != "running" {
		t.Fatalf("run %d is %s after the kill, want still running", id, status)
	}

	code, stdout, stderr := runExtract(t, fx.url, db)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("(resumed run %d)", id)) {
		t.Fatalf("the run after the kill: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	status, msg := runStatus(t, db, id)
	if status != "interrupted" || !strings.Contains(msg, abandonedMsg) || strings.ContainsAny(msg, "{}") {
		t.Errorf("killed run %d: %s %q, want interrupted, saying it %s", id, status, msg, abandonedMsg)
	}
	sameData(t, db, fx.ref)
	sound(t, db)
}
