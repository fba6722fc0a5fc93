package crash

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// secretKey is a key no pattern of the log's redaction knows (not pat-...),
// so a hit anywhere means the key was written, not merely missed by a filter.
const secretKey = "hxk-4f1e9c27-SECRETKEY-0b6d83a5e2"

// TestSecrets_KeyInNoFile runs the real binary the way a user would, with a
// recognisable key, and then reads every byte of every file it wrote under
// the app's folder (the database with its WAL and shared-memory files, the
// log, anything else) and the export folder: the key is in none of them.
// It extracts with the key as --token and as $HUBSPOT_TOKEN, is killed
// mid-run (so the WAL is scanned with uncommitted pages in it), fails a
// command on purpose (so the log has lines), exports every type, and lists
// the runs. It also checks the commands' own output.
func TestSecrets_KeyInNoFile(t *testing.T) {
	skipShort(t)
	root := t.TempDir()
	appDir := filepath.Join(root, "app")
	exportDir := filepath.Join(root, "export")
	// start() inherits the environment: the app's folder is the test's own,
	// and the database is the default one in it.
	t.Setenv("HUBEXTRACT_CONFIG_DIR", appDir)
	t.Setenv("HUBEXTRACT_DB", "")
	db := filepath.Join(appDir, "hubextract.db")

	url := secretFakeHub(t)
	var outputs []string // every command's stdout and stderr
	keep := func(p *proc) { outputs = append(outputs, p.stdout.String(), p.stderr.String()) }

	// 1. An extraction with --token, killed once pages are committed.
	p := start(t, "extract", "--base-url", url, "--token", secretKey, "--rate", "100000", "--search-rate", "1000")
	waitForPages(t, p, db, 0, 20)
	p.kill(t)
	keep(p)
	if _, err := os.Stat(db + "-wal"); err != nil {
		t.Fatalf("the killed run left no WAL to scan: %v", err)
	}
	scanForKey(t, "after the kill", appDir)

	// 2. It resumes with the key in $HUBSPOT_TOKEN, to its end.
	cmd := exec.Command(bin, "extract", "--base-url", url, "--rate", "100000", "--search-rate", "1000")
	cmd.Env = append(os.Environ(), "HUBSPOT_TOKEN="+secretKey)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	dieWithTest(cmd)
	if err := cmd.Run(); err != nil {
		t.Fatalf("the resumed extraction failed: %v\n%s", err, &errOut)
	}
	outputs = append(outputs, out.String(), errOut.String())

	// 3. A command that fails, with the key on its command line: the log
	// gets its line.
	p = start(t, "extract", "--base-url", url, "--token", secretKey, "--objects", "no-such-type")
	if code := p.wait(t); code != 2 {
		t.Fatalf("extract --objects no-such-type: exit %d, want 2\n%s", code, p.stderr.String())
	}
	keep(p)

	// 4. Exports: every type, with labels, and one type to a named file.
	for _, args := range [][]string{
		{"export", "--all", "--dir", exportDir, "--labels"},
		{"export", "--object", "contacts", "--out", filepath.Join(exportDir, "one", "contacts-raw.csv")},
		{"runs"},
	} {
		if args[0] == "export" && args[1] == "--object" {
			if err := os.MkdirAll(filepath.Join(exportDir, "one"), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		p := start(t, args...)
		if code := p.wait(t); code != 0 {
			t.Fatalf("hubextract %s: exit %d\n%s", strings.Join(args, " "), code, p.stderr.String())
		}
		keep(p)
	}

	files := scanForKey(t, "at the end", appDir, exportDir)
	// The scan saw what it must have seen.
	log := filepath.Join(appDir, "hubextract.log")
	for _, want := range []string{db, log, filepath.Join(exportDir, "contacts.csv"), filepath.Join(exportDir, "one", "contacts-raw.csv")} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s was not written, so not scanned; scanned: %v", want, keys(files))
		}
	}
	if text, _ := os.ReadFile(log); !strings.Contains(string(text), "hubextract extract: failed") {
		t.Errorf("the log lacks the failed command's line:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(appDir, "token")); err == nil {
		t.Error("the command line saved the key in the app's folder: only the app's Connect may")
	}
	for _, o := range outputs {
		if strings.Contains(o, secretKey) {
			t.Errorf("a command printed the key:\n%s", o)
		}
	}
}

// secretFakeHub starts `hubextract fakehub` accepting only secretKey, with
// a few faults (so the client retries and warns) and enough latency for a
// run to be killed halfway; it returns the base URL.
func secretFakeHub(t *testing.T) string {
	t.Helper()
	fake := exec.Command(bin, "fakehub", "--token", secretKey, "--scale", "400", "--sizes", "even", "--seed", "5", "--faults", "0.02",
		"--latency", "20", "--rate", "0", "--search-rate", "0")
	var stderr bytes.Buffer
	fake.Stderr = &stderr
	dieWithTest(fake)
	stdout, err := fake.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start(); err != nil {
		t.Fatalf("start the fake: %v", err)
	}
	t.Cleanup(func() {
		_ = fake.Process.Kill()
		_ = fake.Wait()
	})
	r := bufio.NewReader(stdout)
	first, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("read the fake's address: %v\n%s", err, &stderr)
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	return strings.TrimSpace(first)
}

// scanForKey reads every regular file under dirs and fails the test for
// each that holds the key, or a recognisable half of it; it returns the
// files it read with their sizes.
func scanForKey(t *testing.T, when string, dirs ...string) map[string]int64 {
	t.Helper()
	needles := [][]byte{[]byte(secretKey), []byte(secretKey[:len(secretKey)/2]), []byte(secretKey[len(secretKey)/2:])}
	seen := map[string]int64{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			seen[path] = int64(len(data))
			for _, n := range needles {
				if i := bytes.Index(data, n); i >= 0 {
					t.Errorf("%s: %s holds the key (%q at byte %d)", when, path, n, i)
					break
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: scan %s: %v", when, dir, err)
		}
	}
	if len(seen) == 0 {
		t.Fatalf("%s: nothing to scan under %v", when, dirs)
	}
	t.Logf("%s: scanned %d files, %s", when, len(seen), sizes(seen))
	return seen
}

func keys(m map[string]int64) []string {
	var out []string
	for k := range m {
		out = append(out, filepath.Base(k))
	}
	return out
}

func sizes(m map[string]int64) string {
	var b strings.Builder
	for k, n := range m {
		fmt.Fprintf(&b, "%s=%d ", filepath.Base(k), n)
	}
	return b.String()
}
