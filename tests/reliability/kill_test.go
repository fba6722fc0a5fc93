package reliability

import (
	"fmt"
	"math/rand/v2"
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
	"hubextract/backend/testkit"
)

// killSeed seeds the choice of the calls at which the runs are killed.
const killSeed = 20261130

// killer passes calls on to the fake HubSpot and, armed, SIGKILLs the
// extraction the moment its at-th call arrives: a crash at a point of the
// run chosen by the seed, whatever the machine's speed, with pages being
// fetched, written and committed around it.
type killer struct {
	next  http.Handler
	calls atomic.Int64
	mu    sync.Mutex
	at    int64 // 0: disarmed
	proc  *os.Process
	fired chan struct{}
}

func (k *killer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := k.calls.Add(1)
	k.mu.Lock()
	if k.at > 0 && n == k.at && k.proc != nil {
		close(k.fired) // before the kill: the process may be reaped before Kill returns
		_ = k.proc.Kill()
		k.at = 0
	}
	k.mu.Unlock()
	k.next.ServeHTTP(w, r)
}

// start starts cmd, whose at-th call will kill it; the channel it returns
// is closed when that call has come.
func (k *killer) start(t *testing.T, cmd *exec.Cmd, at int64) chan struct{} {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls.Store(0)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	k.at, k.proc, k.fired = at, cmd.Process, make(chan struct{})
	return k.fired
}

// TestKillAndResume runs the reference extraction, then kills runs with
// SIGKILL at calls chosen by a seed (20 in the full suite, 3 in the fast
// one), each on a database of its own, and resumes each: every final
// database must hold exactly the reference's data (ids, properties,
// association pairs, metadata, marketing rows), nothing twice, no run left
// open and no orphaned checkpoint.
func TestKillAndResume(t *testing.T) {
	suite(t, false)
	trials := 3
	if mode == "full" {
		trials = 20
	}
	f := &finding{Area: areaCrash, Seed: killSeed,
		Case: fmt.Sprintf("%d extractions killed with SIGKILL at a call chosen by the seed, each resumed by the next run", trials)}
	record(t, f)
	root := dir(t)
	fake := fakehub.New(fakehub.Config{Token: secretToken, Seed: 11, Scale: 300, Latency: 2 * time.Millisecond,
		InlineAssociationLimit: 3, Forms: 4, EmailEvents: 900})
	k := &killer{next: fake}
	url := testkit.Serve(t, k)

	ref := filepath.Join(root, "reference.db")
	if code, stdout, stderr := runBin(t, extractArgs(url, ref)...); code != 0 {
		t.Fatalf("the reference run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	f.Runs++
	refCalls := k.calls.Load()
	want := snap(t, ref)
	rnd := rand.New(rand.NewPCG(killSeed, 0))
	var points []string
	for i := range trials {
		at := 1 + rnd.Int64N(refCalls*9/10)
		db := filepath.Join(root, fmt.Sprintf("killed-%02d.db", i))
		cmd := command(t.Context(), extractArgs(url, db)...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		fired := k.start(t, cmd, at)
		_ = cmd.Wait()
		f.Runs++
		select {
		case <-fired:
		default:
			t.Fatalf("trial %d: the run ended (exit %d) before its call %d: it was not killed\n%s", i, cmd.ProcessState.ExitCode(), at, errb.String())
		}
		if code := cmd.ProcessState.ExitCode(); code != -1 {
			t.Fatalf("trial %d: exit %d after SIGKILL at call %d", i, code, at)
		}
		f.Kills++
		hadRun := fileHasRun(t, db)

		code, stdout, stderr := runBin(t, extractArgs(url, db)...)
		f.Runs++
		if code != 0 || (hadRun && !strings.Contains(stdout, "(resumed run 1)")) {
			t.Fatalf("trial %d: the run after the kill at call %d: exit %d, want 0 resuming run 1 (killed with its run recorded: %v)\nstdout:\n%s\nstderr:\n%s",
				i, at, code, hadRun, stdout, stderr)
		}
		lost, extra, sample := diff(want, snap(t, db))
		f.Lost += lost
		f.Extra += extra
		if lost != 0 || extra != 0 {
			t.Errorf("trial %d (killed at call %d of %d): %d bytes lost, %d extra:%s", i, at, refCalls, lost, extra, sample)
		}
		sound(t, db)
		if !t.Failed() {
			f.Resumed++
		}
		points = append(points, fmt.Sprint(at))
	}
	f.Outcome = fmt.Sprintf("%d of %d killed runs resumed to the reference data (%d rows; killed at calls %s of %d)",
		f.Resumed, f.Kills, want.rows(), strings.Join(points, ", "), refCalls)
	t.Log(f.Outcome)
}

// fileHasRun reports whether the killed run had recorded itself (the file
// exists and its runs table has a row): then the next run must resume it.
func fileHasRun(t *testing.T, path string) bool {
	t.Helper()
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return false
	}
	db := openRO(t, path)
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM runs`).Scan(&n); err != nil {
		return false // killed before its schema was made
	}
	return n > 0
}
