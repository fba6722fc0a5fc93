package crash

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hubextract/backend/extract"
)

// bin is the hubextract binary under test, built by TestMain. A plain build
// (no Wails tags) runs every subcommand; only its window refuses to open.
var bin string

// The fake HubSpot every test extracts from: big enough that a run commits
// well over a hundred pages, with a little of HubSpot's latency so that a
// run lasts long enough to be interrupted on purpose.
const (
	fakeScale   = 1000
	fakeSeed    = 11
	fakeLatency = 30 // ms
	fakeToken   = "demo-token"
)

// concurrency is how many streams every extraction fetches at once: it
// bounds the calls a run can have made after its last committed page.
const concurrency = extract.DefaultConcurrency

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() || runtime.GOOS == "windows" {
		os.Exit(m.Run()) // the tests skip themselves
	}
	dir, err := os.MkdirTemp("", "hubextract-crash-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The commands read the app folder's settings and write its log, as the
	// app does: never the user's own.
	os.Setenv("HUBEXTRACT_CONFIG_DIR", filepath.Join(dir, "app"))
	os.Unsetenv("HUBEXTRACT_DB")
	code := 1
	if bin, err = build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "crash tests:", err)
	} else {
		code = m.Run()
	}
	stopShared()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build compiles the binary from the repository root into dir and checks
// that it dispatches subcommands.
func build(dir string) (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "hubextract")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, msg)
	}
	if msg, err := exec.Command(out, "version").CombinedOutput(); err != nil || !strings.HasPrefix(string(msg), "hubextract ") {
		return "", fmt.Errorf("the plain build does not run subcommands: %v\n%s", err, msg)
	}
	return out, nil
}

// skipShort skips the calling test under -short and where signals cannot
// be sent (Windows).
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts real processes: skipped under -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs Unix signals")
	}
}

// proc is a running hubextract process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer // read them only after done
	done           chan struct{}
}

// start runs the binary with args; a cleanup kills it if the test leaves
// it running.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.Env = append(os.Environ(), "HUBSPOT_TOKEN=")
	dieWithTest(p.cmd)
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start hubextract %s: %v", strings.Join(args, " "), err)
	}
	go func() {
		_ = p.cmd.Wait() // the exit code is read from ProcessState
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to end and returns its exit code (-1 when a
// signal ended it).
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(2 * time.Minute):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("hubextract %s did not end within 2 minutes\nstderr:\n%s", strings.Join(p.cmd.Args[1:], " "), p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

// kill ends the process with SIGKILL, as a crash or a power cut would, and
// checks that it was still running.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill: %v", err)
	}
	if code := p.wait(t); code != -1 {
		t.Fatalf("the process had already exited (%d) when it was killed: kill it earlier\nstdout:\n%s", code, p.stdout.String())
	}
}

// lastLine is the last non-empty line of s: the CLI's one-line reason.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// extractArgs runs an extraction from url into db with the client's own
// limits lifted (the fake enforces none), so runs take the fake's latency
// only.
func extractArgs(url, db string, more ...string) []string {
	args := []string{"extract", "--base-url", url, "--token", fakeToken, "--db", db, "--rate", "100000", "--search-rate", "1000",
		"--concurrency", fmt.Sprint(concurrency)}
	return append(args, more...)
}

// runExtract runs one extraction to its end.
func runExtract(t *testing.T, url, db string) (code int, stdout, stderr string) {
	t.Helper()
	p := start(t, extractArgs(url, db)...)
	code = p.wait(t)
	return code, p.stdout.String(), p.stderr.String()
}

// fixture is the fake HubSpot process shared by the tests, and the database
// one uninterrupted run made from it: the fake's data depends on when it
// started, so every comparison is against a reference made from the same
// process.
type fixture struct {
	url      string
	ref      string         // the reference database
	refPages int64          // pages the reference run committed
	refCalls map[string]int // calls the reference run made, by the fake's count per kind
	refSize  int64          // the reference database's size in SQLite pages
}

var (
	sharedOnce sync.Once
	sharedFx   *fixture
	sharedErr  error
	// sharedStop undoes what newFixture did, even when it failed halfway.
	sharedStop []func()
)

// shared starts the fake and makes the reference database on first use;
// TestMain stops the fake at the end (stopShared).
func shared(t *testing.T) *fixture {
	t.Helper()
	sharedOnce.Do(func() { sharedFx, sharedErr = newFixture() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedFx
}

func newFixture() (*fixture, error) {
	dir, err := os.MkdirTemp("", "hubextract-crash-ref-")
	if err != nil {
		return nil, err
	}
	sharedStop = append(sharedStop, func() { os.RemoveAll(dir) })
	fx := &fixture{ref: filepath.Join(dir, "reference.db")}
	fake := exec.Command(bin, "fakehub", "--scale", fmt.Sprint(fakeScale), "--sizes", "even", "--seed", fmt.Sprint(fakeSeed),
		"--latency", fmt.Sprint(fakeLatency), "--rate", "0", "--search-rate", "0", "--token", fakeToken)
	var fakeErr bytes.Buffer
	fake.Stderr = &fakeErr
	dieWithTest(fake)
	stdout, err := fake.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := fake.Start(); err != nil {
		return nil, fmt.Errorf("start the fake: %w", err)
	}
	sharedStop = append(sharedStop, func() {
		_ = fake.Process.Kill()
		_ = fake.Wait()
	})
	// The first line is the base URL; the rest is drained so that the
	// fake never blocks on a full pipe.
	r := bufio.NewReader(stdout)
	first, err := r.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("read the fake's address: %v\n%s", err, fakeErr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	fx.url = strings.TrimSpace(first)

	before, err := fx.fakeCalls()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, extractArgs(fx.url, fx.ref)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("the reference run failed: %v\n%s", err, out)
	}
	after, err := fx.fakeCalls()
	if err != nil {
		return nil, err
	}
	fx.refCalls = since(before, after)
	if fx.refPages, err = committedPages(fx.ref, 1); err != nil {
		return nil, err
	}
	db, err := openRO(fx.ref)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&fx.refSize); err != nil {
		return nil, err
	}
	return fx, nil
}

// fakeCalls is how many calls the fake has answered since it started, by
// kind ("list contacts", "search deals", "owners", ...).
func (fx *fixture) fakeCalls() (map[string]int, error) {
	resp, err := http.Get(fx.url + "/__stats")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var stats struct {
		ByType map[string]int `json:"by_type"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		return nil, fmt.Errorf("the fake's call counts: %w", err)
	}
	return stats.ByType, nil
}

func (fx *fixture) calls(t *testing.T) map[string]int {
	t.Helper()
	n, err := fx.fakeCalls()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// total is how many calls the fake has answered since it started.
func (fx *fixture) total(t *testing.T) int64 {
	t.Helper()
	var n int64
	for _, c := range fx.calls(t) {
		n += int64(c)
	}
	return n
}

// since is the calls of each kind made between two counts.
func since(before, after map[string]int) map[string]int {
	d := map[string]int{}
	for k, n := range after {
		if n > before[k] {
			d[k] = n - before[k]
		}
	}
	return d
}

// fewRefetches checks the API economy of interrupted runs: each
// interruption may cost, for every walk running at that moment, the two
// pages it had in flight (one being written, the next being fetched), and
// the one planning or metadata call a resumed run makes again; never a
// restart. A kind of call has one walk at a time, but for form submissions
// each form is its own task, up to the run's concurrency at once. It
// returns the calls made and the reference's.
func fewRefetches(t *testing.T, fx *fixture, before map[string]int, interruptions int) (made, ref int) {
	t.Helper()
	calls := since(before, fx.calls(t))
	for kind, n := range calls {
		made += n
		walks := 1
		if kind == "form submissions" {
			walks = extract.DefaultConcurrency
		}
		if extra, most := n-fx.refCalls[kind], 2*walks*interruptions; extra > most {
			t.Errorf("%d %q calls, %d more than an uninterrupted run: want at most %d after %d interruptions",
				n, kind, extra, most, interruptions)
		}
	}
	for _, n := range fx.refCalls {
		ref += n
	}
	return made, ref
}

// stopShared kills the fake process and removes the reference database.
func stopShared() {
	for _, stop := range slices.Backward(sharedStop) {
		stop()
	}
}

// dieWithTest makes a child process die with the test binary where the
// system allows it (see procattr_linux_test.go), so that even a test that
// times out leaves no process behind.
var dieWithTest = func(*exec.Cmd) {}
