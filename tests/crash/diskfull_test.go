package crash

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"hubextract/backend/cli"
	"hubextract/backend/testkit"
)

// diskFullMsg is what a run that ran out of space says (backend/store).
const diskFullMsg = "The disk is full: free some space and run Extract again; nothing already saved was lost."

// runCLI runs a hubextract command in this process; stderr (may be nil)
// also hears every line of the error output as it is written.
func runCLI(t *testing.T, stderr io.Writer, args ...string) (code int, stdoutText, stderrText string) {
	t.Helper()
	var out, errb bytes.Buffer
	var w io.Writer = &errb
	if stderr != nil {
		w = io.MultiWriter(&errb, stderr)
	}
	code = cli.Main(t.Context(), args, &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: w})
	return code, out.String(), errb.String()
}

// firstSaid notes the fake's call count when the error output first says
// the disk is full: the run has stopped by then, so what the fake answers
// afterwards can only be calls that were already in flight.
type firstSaid struct {
	t     *testing.T
	fx    *fixture
	once  sync.Once
	calls int64 // -1 until said
}

func (f *firstSaid) Write(p []byte) (int, error) {
	if strings.Contains(strings.ToLower(string(p)), "disk is full") {
		f.once.Do(func() { f.calls = f.fx.total(f.t) })
	}
	return len(p), nil
}

// TestDiskFull_PageLimit runs an extraction into a database that may grow
// to a third of the reference's size: the run stops at once with the
// disk-full message, what it committed stays and is counted stream by
// stream, and once the limit is lifted the next run resumes it to the
// reference database.
func TestDiskFull_PageLimit(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	db := filepath.Join(t.TempDir(), "full.db")
	testkit.FillDisk(db, fx.refSize/3)
	t.Cleanup(func() { testkit.FreeDisk(db) })

	before := fx.total(t)
	said := &firstSaid{t: t, fx: fx, calls: -1}
	code, stdout, stderr := runCLI(t, said, extractArgs(fx.url, db)...)
	ranOutOfSpace(t, db, code, stdout, stderr, true)
	calls := fx.total(t) - before
	if said.calls < 0 {
		t.Fatalf("the error output never said the disk is full:\n%s", stderr)
	}
	// Once the first write fails the run stops: only the calls already in
	// flight (one per worker and the planner's) may still reach the fake.
	if after := fx.total(t) - said.calls; after > concurrency+1 {
		t.Errorf("%d calls after the run said the disk is full, want at most %d", after, concurrency+1)
	}
	pages, err := committedPages(db, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the run that ran out of space made %d calls (%d after it said so) and committed %d pages",
		calls, fx.total(t)-said.calls, pages)

	testkit.FreeDisk(db) // space was freed
	code, stdout, stderr = runCLI(t, nil, extractArgs(fx.url, db)...)
	if code != 0 || !strings.Contains(stdout, "(resumed run 1)") {
		t.Fatalf("the run with space again: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	sameData(t, db, fx.ref)
	sound(t, db)
	savedAsCounted(t, db)
	if runs := runsJSON(t, db); len(runs) != 2 || runs[0].Status != "succeeded" {
		t.Errorf("history: %+v, want the run that ran out of space and the one that finished it", runs)
	}
}

// TestDiskFull_Tmpfs is the same on a real full disk: a 6 MB tmpfs mounted
// in a private user and mount namespace, where SQLite's writes fail with
// ENOSPC. The run that fills it stops at once: it keeps the calls it made
// up to its last committed page, all but what a kill could lose. A run on
// the still-full disk, which may not even be able to record itself, still
// says the disk is full; then the tmpfs grows and the next run resumes to
// the reference database. Machines that refuse unprivileged namespaces
// skip it; TestDiskFull_PageLimit covers the path.
func TestDiskFull_Tmpfs(t *testing.T) {
	skipShort(t)
	unshare := tmpfsAllowed(t)
	fx := shared(t)
	dir := t.TempDir()
	mnt, out := filepath.Join(dir, "disk"), filepath.Join(dir, "out")
	for _, d := range []string{mnt, filepath.Join(out, "full"), filepath.Join(out, "final")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// Each step's output and exit code go to files in out; the database is
	// copied out after the disk-full run and at the end, since the tmpfs
	// vanishes with the namespace. After the first run the script says so
	// and waits, so that the test can read the fake's count.
	const script = `set -u
bin=$1 url=$2 mnt=$3 out=$4 conc=$5
mount -t tmpfs -o size=6m tmpfs "$mnt" || exit 97
run() {
	"$bin" extract --base-url "$url" --token demo-token --db "$mnt/x.db" --rate 100000 --search-rate 1000 \
		--concurrency "$conc" >"$out/$1.stdout" 2>"$out/$1.stderr"
	echo $? >"$out/$1.code"
}
run full
cp "$mnt"/x.db* "$out/full/"
echo full
read -r _ || exit 96
run still
mount -o remount,size=1g tmpfs "$mnt" || exit 98
run freed
cp "$mnt"/x.db* "$out/final/"
`
	cmd := exec.Command(unshare, "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", bin, fx.url, mnt, out,
		fmt.Sprint(concurrency))
	dieWithTest(cmd)
	var scriptErr bytes.Buffer
	cmd.Stderr = &scriptErr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	said, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	before := fx.total(t)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewReader(said)
	if _, err := lines.ReadString('\n'); err != nil {
		_ = cmd.Wait()
		t.Fatalf("the script in the namespace ended before its first run did: %v\n%s", err, scriptErr.String())
	}
	fullCalls := fx.total(t) - before
	if _, err := io.WriteString(stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	_ = stdin.Close()
	_, _ = io.Copy(io.Discard, lines)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the script in the namespace: %v\n%s", err, scriptErr.String())
	}
	step := func(name string) (code int, stdout, stderr string) {
		read := func(ext string) string {
			b, err := os.ReadFile(filepath.Join(out, name+"."+ext))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		if _, err := fmt.Sscan(read("code"), &code); err != nil {
			t.Fatal(err)
		}
		return code, read("stdout"), read("stderr")
	}

	code, stdout, stderr := step("full")
	full := filepath.Join(out, "full", "x.db")
	ranOutOfSpace(t, full, code, stdout, stderr, false)
	// Its figures are those of its last committed page when it could not
	// record its end: what it made after that is what it made after the
	// disk filled, at most what a kill could lose.
	conn := mustOpenRO(t, full)
	recorded := queryInt(t, conn, `SELECT api_calls FROM runs WHERE id = 1`)
	conn.Close()
	if fullCalls-recorded > unrecordedAtKill {
		t.Errorf("the run that filled the disk records %d calls of the %d the fake answered: %d after its last page, want at most %d",
			recorded, fullCalls, fullCalls-recorded, unrecordedAtKill)
	}
	t.Logf("the run that filled the disk: %d calls answered, %d recorded", fullCalls, recorded)

	code, stdout, stderr = step("still")
	last := lastLine(stderr)
	if code != 1 || !strings.Contains(strings.ToLower(last), "disk is full") {
		t.Errorf("a run on the still-full disk: exit %d, last line %q: want 1, saying the disk is full\nstdout:\n%s", code, last, stdout)
	}
	t.Logf("on the still-full disk: %q", last)

	code, stdout, stderr = step("freed")
	if code != 0 || !strings.Contains(stdout, "(resumed run ") {
		t.Fatalf("the run with space again: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	final := filepath.Join(out, "final", "x.db")
	sameData(t, final, fx.ref)
	sound(t, final)
	savedAsCounted(t, final)
	runsJSON(t, final)
}

// tmpfsAllowed returns the unshare command when this machine lets the
// test mount a tmpfs in a private user and mount namespace, and skips the
// test otherwise.
func tmpfsAllowed(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("a size-limited tmpfs needs Linux; TestDiskFull_PageLimit covers the full disk")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare command (util-linux) to mount a private tmpfs; TestDiskFull_PageLimit covers the full disk")
	}
	probe := exec.Command(unshare, "--user", "--map-root-user", "--mount", "sh", "-c",
		`mount -t tmpfs -o size=1m tmpfs "$1" && mount -o remount,size=2m tmpfs "$1"`, "sh", t.TempDir())
	if msg, err := probe.CombinedOutput(); err != nil {
		t.Skipf("this machine refuses a tmpfs in an unprivileged user and mount namespace (%v: %s); "+
			"TestDiskFull_PageLimit covers the full disk", err, strings.TrimSpace(string(msg)))
	}
	return unshare
}

// ranOutOfSpace checks an extraction that ran out of space: exit 1 with the
// disk-full message as the last line, the run recorded as failed (or
// partial, when streams finished before the disk filled) with every failed
// stream saying the disk is full and none blaming HubSpot, and what was
// committed kept, counted and sound. exact asks for the plain-words message
// on the last line; otherwise (a real disk, where even recording the run
// can fail) it must at least say the disk is full.
func ranOutOfSpace(t *testing.T, db string, code int, stdout, stderr string, exact bool) {
	t.Helper()
	last := lastLine(stderr)
	if code != 1 || !strings.Contains(strings.ToLower(last), "disk is full") || (exact && !strings.Contains(last, diskFullMsg)) {
		t.Fatalf("exit %d, last line %q: want 1 and %q\nstdout:\n%s\nstderr:\n%s", code, last, diskFullMsg, stdout, stderr)
	}
	status, msg := runStatus(t, db, 1)
	switch status {
	case "running":
		// Recording the end of the run failed too; the next run closes it.
	case "failed", "partial":
		if !strings.Contains(msg, diskFullMsg) || strings.Contains(msg, "HubSpot") {
			t.Errorf("run 1 %s: %q, want %q", status, msg, diskFullMsg)
		}
	default:
		t.Errorf("run 1 is %s after running out of space: want failed", status)
	}
	conn := mustOpenRO(t, db)
	defer conn.Close()
	rows, err := conn.Query(`SELECT stream, error FROM run_streams WHERE run_id = 1 AND status = 'failed'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	failed := 0
	for rows.Next() {
		var stream, msg string
		if err := rows.Scan(&stream, &msg); err != nil {
			t.Fatal(err)
		}
		failed++
		if msg != diskFullMsg {
			t.Errorf("stream %s failed with %q, want %q", stream, msg, diskFullMsg)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if failed == 0 && status != "running" {
		t.Error("no stream failed for want of space")
	}
	t.Logf("run 1 %s with %d streams failed for want of space; %q", status, failed, last)
	streamsAsCounted(t, db, 1)
	if savedAsCounted(t, db) == 0 {
		t.Error("nothing was saved before the disk filled: give the database more room")
	}
	var check string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check after running out of space: %q %v", check, err)
	}
}
