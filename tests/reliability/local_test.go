package reliability

import (
	"bytes"
	"database/sql"
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

// sharedRef is one extraction of the portal through the binary, made once
// per test that needs a real database to damage or copy.
func sharedRef(t *testing.T) (url, path string) {
	t.Helper()
	url = testkit.Serve(t, fakehub.New(portal(testkit.NewClock(t0))))
	path = filepath.Join(dir(t), "reference.db")
	if code, stdout, stderr := runBin(t, extractArgs(url, path)...); code != 0 {
		t.Fatalf("the reference run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	return url, path
}

// sqliteFile makes a SQLite database at path with the statements: the
// files of other programs.
func sqliteFile(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestForeignOrDamagedFile: a file that is not this app's database, or
// whose pages are damaged, is refused by extract, export and runs with a
// message naming the file, and is never written: not a byte of it, nor its
// mode, nor its time, and no journal beside it holds anything.
func TestForeignOrDamagedFile(t *testing.T) {
	suite(t, false)
	url, ref := sharedRef(t)
	junk := make([]byte, 64<<10)
	rnd := rand.New(rand.NewPCG(7, 7))
	for i := range junk {
		junk[i] = byte(rnd.Uint32())
	}
	for _, tc := range []struct {
		name, what string
		make       func(t *testing.T, path string)
		say        string
	}{
		{name: "CSV", what: "a CSV file", say: "not a HubSpot Extractor database", make: func(t *testing.T, path string) {
			writeFile(t, path, []byte(strings.Repeat("id,email\n1,a@example.com\n", 50)))
		}},
		{name: "RandomBytes", what: "64 KB of random bytes", say: "not a HubSpot Extractor database", make: func(t *testing.T, path string) {
			writeFile(t, path, junk)
		}},
		{name: "OtherProgram", what: "another program's SQLite database", say: "not a HubSpot Extractor database", make: func(t *testing.T, path string) {
			sqliteFile(t, path, `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)`, `INSERT INTO users (name) VALUES ('ada')`)
		}},
		{name: "GolangMigrate", what: "a SQLite database migrated by golang-migrate (its own schema_migrations table, version 3)",
			say: "not a HubSpot Extractor database", make: func(t *testing.T, path string) {
				sqliteFile(t, path, `CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`,
					`INSERT INTO schema_migrations VALUES (3, 0)`, `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)`)
			}},
		{name: "Rails", what: "a Rails application's SQLite database (schema_migrations of text versions)",
			say: "not a HubSpot Extractor database", make: func(t *testing.T, path string) {
				sqliteFile(t, path, `CREATE TABLE schema_migrations (version varchar NOT NULL PRIMARY KEY)`,
					`INSERT INTO schema_migrations VALUES ('20240101120000')`,
					`CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar)`)
			}},
		{name: "Damaged", what: "this app's database with pages overwritten", say: "is damaged", make: func(t *testing.T, path string) {
			damagedCopy(t, ref, path)
		}},
	} {
		for _, cmd := range [][]string{extractArgs(url, "DB"), {"export", "--db", "DB", "--object", "contacts"}, {"runs", "--db", "DB"}} {
			t.Run(tc.name+"/"+cmd[0], func(t *testing.T) {
				f := &finding{Area: areaLocal, Case: fmt.Sprintf("%s given to %s", tc.what, cmd[0]), Inputs: 1, Files: 1}
				record(t, f)
				d := dir(t)
				path := filepath.Join(d, "x.db")
				tc.make(t, path)
				if err := os.Chmod(path, 0o640); err != nil { // a mode the app would tighten, were it to touch the file
					t.Fatal(err)
				}
				old := time.Now().Add(-time.Hour).Truncate(time.Second)
				if err := os.Chtimes(path, old, old); err != nil {
					t.Fatal(err)
				}
				data, _ := os.ReadFile(path)
				args := make([]string, len(cmd))
				for i, a := range cmd {
					args[i] = strings.ReplaceAll(a, "DB", path)
				}
				code, _, stderr := runBin(t, args...)
				last := lastLine(stderr)
				f.Outcome = strings.ReplaceAll(last, d, "…")
				if code != 1 || !strings.Contains(last, path) || !strings.Contains(last, tc.say) {
					t.Errorf("exit %d, %q; want 1 naming %s and saying %q", code, last, path, tc.say)
				}
				unchanged(t, path, data, 0o640, old)
				if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
					f.Lost = int64(len(data))
				}
			})
		}
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// unchanged checks that the file at path is as it was, and that nothing
// but an empty journal, or the shared-memory index any reader of a
// WAL-mode file makes (-shm), appeared beside it.
func unchanged(t *testing.T, path string, data []byte, mode os.FileMode, mtime time.Time) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, data) || st.Mode().Perm() != mode || !st.ModTime().Equal(mtime) {
		t.Errorf("the file changed: %d bytes %v %v -> %d bytes %v %v", len(data), mode, mtime, len(got), st.Mode().Perm(), st.ModTime())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		info, _ := e.Info()
		switch name := e.Name(); {
		case name == filepath.Base(path):
		case name == filepath.Base(path)+"-shm":
		case strings.HasPrefix(name, filepath.Base(path)+"-") && info.Size() == 0:
		default:
			t.Errorf("%s (%d bytes) appeared beside the file", name, info.Size())
		}
	}
}

// damagedCopy copies the database at src to dst and overwrites every third
// page of its second half with junk, leaving its header and schema whole.
func damagedCopy(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(data[16])<<8 | int(data[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := len(data) / pageSize
	for p := pages / 2; p < pages; p += 3 {
		copy(data[p*pageSize:(p+1)*pageSize], bytes.Repeat([]byte{0xa5}, pageSize))
	}
	writeFile(t, dst, data)
}

// TestDiskFull: the store answers SQLITE_FULL once the database reaches a
// third of the reference's size (testkit.FillDisk, through the store's own
// file system): the run stops with the plain disk-full message, what it
// committed is intact and is the reference's, and once space is freed the
// next run resumes it to the reference data. (tests/crash does the same on
// a real 6 MB tmpfs where the machine allows it.)
func TestDiskFull(t *testing.T) {
	suite(t, false)
	f := &finding{Area: areaLocal, Case: "a full disk: SQLITE_FULL from the store once the database reaches a third of its final size"}
	record(t, f)
	url, ref := sharedRef(t)
	want := snap(t, ref)
	var refPages int64
	if err := openRO(t, ref).QueryRow(`PRAGMA page_count`).Scan(&refPages); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir(t), "full.db")
	testkit.FillDisk(path, refPages/3)
	t.Cleanup(func() { testkit.FreeDisk(path) })
	code, stdout, stderr := runCLI(t, extractArgs(url, path)...)
	f.Runs++
	f.Faults++
	last := lastLine(stderr)
	if code != 1 || !strings.Contains(last, "The disk is full: free some space and run Extract again; nothing already saved was lost.") {
		t.Fatalf("exit %d, last line %q: want 1 and the disk-full message\nstdout:\n%s", code, last, stdout)
	}
	// Pairs compared without their side: a run cut short may hold a pair as
	// read from one type, with that side's labels, that the next run
	// completes from the other.
	kept := pairsOnly(snap(t, path))
	if _, extra, sample := diff(pairsOnly(want), kept); extra != 0 || kept.rows() == 0 {
		t.Errorf("%d rows kept, %d bytes the reference lacks:%s", kept.rows(), extra, sample)
	}
	var check string
	if err := openRO(t, path).QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check after the disk filled: %q %v", check, err)
	}
	testkit.FreeDisk(path)
	code, stdout, stderr = runCLI(t, extractArgs(url, path)...)
	f.Runs++
	if code != 0 || !strings.Contains(stdout, "(resumed run 1)") {
		t.Fatalf("the run with space again: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	after := snap(t, path)
	lostKept, _, _ := diff(kept, pairsOnly(after))
	lost, extra, sample := diff(want, after)
	f.Lost, f.Extra = lostKept+lost, extra
	if lostKept+lost+extra != 0 {
		t.Errorf("after the resumed run: %d bytes lost, %d extra:%s", lostKept+lost, extra, sample)
	}
	sound(t, path)
	f.Outcome = fmt.Sprintf("%s (exit 1; %d rows kept and intact; the next run resumed it to the reference data)", last, kept.rows())
}

// gate holds every call after the first `after` until it is opened: the
// run making them stays mid-way for as long as the test needs.
type gate struct {
	next  http.Handler
	after int64
	calls atomic.Int64
	held  chan struct{} // closed at the first held call
	open  chan struct{}
	once  sync.Once
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.calls.Add(1) > g.after {
		g.once.Do(func() { close(g.held) })
		select {
		case <-g.open:
		case <-r.Context().Done():
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

// TestSecondExtraction: a second extraction on a database another process
// is extracting into is refused at once, in plain words, with no call to
// HubSpot and nothing written; the first then finishes with the reference
// data.
func TestSecondExtraction(t *testing.T) {
	suite(t, false)
	f := &finding{Area: areaLocal, Case: "a second extraction (another process) on a database one is extracting into"}
	record(t, f)
	_, ref := sharedRef(t)
	want := snap(t, ref)
	g := &gate{next: fakehub.New(portal(testkit.NewClock(t0))), after: 30, held: make(chan struct{}), open: make(chan struct{})}
	url := testkit.Serve(t, g)
	path := filepath.Join(dir(t), "two.db")
	first := command(t.Context(), extractArgs(url, path)...)
	var out1, err1 strings.Builder
	first.Stdout, first.Stderr = &out1, &err1
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- first.Wait() }()
	select {
	case <-g.held:
	case err := <-done:
		t.Fatalf("the first run ended (%v) before it was held\n%s", err, err1.String())
	}
	otherCalls := &atomic.Int64{}
	otherFake := fakehub.New(portal(testkit.NewClock(t0)))
	other := testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherCalls.Add(1)
		otherFake.ServeHTTP(w, r)
	}))
	code, _, stderr := runBin(t, extractArgs(other, path)...)
	f.Runs += 2
	f.Inputs++
	last := lastLine(stderr)
	f.Outcome = last
	if code != 1 || !strings.Contains(last, "another extraction is already running on this database") ||
		!strings.Contains(last, "nothing was changed") || !strings.Contains(last, fmt.Sprintf("(process %d)", first.Process.Pid)) {
		t.Errorf("the second extraction: exit %d, %q; want 1, saying one is already running (naming its process) and nothing was changed", code, last)
	}
	if n := otherCalls.Load(); n != 0 {
		t.Errorf("the refused extraction made %d calls to HubSpot", n)
	}
	close(g.open)
	if err := <-done; err != nil {
		t.Fatalf("the first run: %v\n%s", err, err1.String())
	}
	lost, extra, sample := diff(want, snap(t, path))
	f.Lost, f.Extra = lost, extra
	if lost+extra != 0 {
		t.Errorf("the first run's data: %d bytes lost, %d extra:%s", lost, extra, sample)
	}
	sound(t, path)
	f.Outcome = strings.ReplaceAll(f.Outcome, fmt.Sprint(first.Process.Pid), "N") + " (the first run then finished with the reference data)"
}

// readOnly runs the binary with args inside a private user and mount
// namespace where folder is bind-mounted read-only: writes there fail with
// EROFS even for root, as on a read-only disk. It skips where the machine
// refuses such namespaces.
func readOnly(t *testing.T, folder string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare command (util-linux) to make a read-only mount; tests/crash covers read-only files as an unprivileged user")
	}
	script := `dir=$1; shift; mount --bind "$dir" "$dir" && mount -o remount,bind,ro "$dir" || exit 97; exec "$@"`
	full := append([]string{"--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", folder, bin}, args...)
	cmd := exec.CommandContext(t.Context(), unshare, full...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	if code = cmd.ProcessState.ExitCode(); code == 97 {
		t.Skipf("this machine refuses a read-only bind mount in a user namespace: %s", errb.String())
	}
	return code, out.String(), errb.String()
}

// TestReadOnlyPlace: on a read-only mount, an extraction into an existing
// database or a new one is refused naming the file and saying what to
// check, changing nothing; export and runs still read the database.
func TestReadOnlyPlace(t *testing.T) {
	suite(t, false)
	url, ref := sharedRef(t)
	folder := dir(t)
	path := filepath.Join(folder, "hubextract.db")
	data, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, data)
	st, _ := os.Stat(path)
	for _, tc := range []struct {
		name, what string
		args       []string
		code       int
		say        string
	}{
		{"ExtractExisting", "an extraction into a database on a read-only mount", extractArgs(url, path), 1, "read-only"},
		{"ExtractNew", "an extraction into a new database in a read-only folder", extractArgs(url, filepath.Join(folder, "new.db")), 1, "read-only"},
		{"Export", "an export from a database on a read-only mount", []string{"export", "--db", path, "--object", "contacts"}, 0, ""},
		{"Runs", "the run history of a database on a read-only mount", []string{"runs", "--db", path}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &finding{Area: areaLocal, Case: tc.what, Inputs: 1}
			record(t, f)
			code, stdout, stderr := readOnly(t, folder, tc.args...)
			f.Runs++
			last := lastLine(stderr)
			if code != tc.code || !strings.Contains(last, tc.say) || tc.code == 1 && !strings.Contains(last, folder) {
				t.Errorf("exit %d, %q; want %d saying %q and naming the file", code, last, tc.code, tc.say)
			}
			if tc.code == 0 {
				f.Outcome = fmt.Sprintf("read it: exit 0, %d bytes of output", len(stdout))
			} else {
				f.Outcome = strings.ReplaceAll(last, folder, "…")
			}
			unchanged(t, path, data, st.Mode().Perm(), st.ModTime())
		})
	}
}
