//go:build unix

package crash

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// What the hardening issue found through the real binary: export replacing
// whatever --out names, a damaged database accepted, and opening a file
// changing it. Each case runs the built binary on real files.

// nobody is the user the read-only cases run as: root ignores permissions.
const nobody = 65534

// copyFile copies the reference database (or any file) to dst with mode.
func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, mode); err != nil {
		t.Fatal(err)
	}
}

// exportCSV runs export of contacts with more arguments and returns its
// exit code and last error line.
func exportCSV(t *testing.T, db string, more ...string) (int, string) {
	t.Helper()
	p := start(t, append([]string{"export", "--db", db, "--object", "contacts"}, more...)...)
	code := p.wait(t)
	return code, lastLine(p.stderr.String())
}

// device makes a character device of the kind of /dev/full (1, 7) inside
// dir, so that even a regression writes over a node of the test's own and
// never over the system's /dev/full; it skips when nodes cannot be made.
func device(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "full")
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
		t.Skipf("cannot make a device node here (%v): needs root with CAP_MKNOD", err)
	}
	return path
}

// TestExport_Targets: --out writes only a regular file or a new path. A
// device, a symbolic link and a folder are refused with nothing written
// (the target keeps its kind and content, no temporary file is left), and an
// existing file is replaced only with --force.
func TestExport_Targets(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, dir string) string // returns --out
		force  bool
		code   int
		say    string
		remain map[string]string // file -> content that must be there afterwards ("" = any)
	}{
		{name: "Device", setup: device, force: true, code: 1, say: "is a device, not a regular file"},
		{name: "Symlink", setup: func(t *testing.T, dir string) string {
			writeString(t, filepath.Join(dir, "real.csv"), "mine")
			link := filepath.Join(dir, "contacts.csv")
			if err := os.Symlink("real.csv", link); err != nil {
				t.Fatal(err)
			}
			return link
		}, force: true, code: 1, say: "is a symbolic link", remain: map[string]string{"real.csv": "mine"}},
		{name: "Folder", setup: func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "contacts.csv")
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
			return path
		}, force: true, code: 1, say: "is a folder"},
		{name: "ExistingFile", setup: func(t *testing.T, dir string) string {
			writeString(t, filepath.Join(dir, "contacts.csv"), "mine")
			return filepath.Join(dir, "contacts.csv")
		}, code: 1, say: "pass --force to replace", remain: map[string]string{"contacts.csv": "mine"}},
		{name: "ExistingFileForced", setup: func(t *testing.T, dir string) string {
			writeString(t, filepath.Join(dir, "contacts.csv"), "mine")
			return filepath.Join(dir, "contacts.csv")
		}, force: true, code: 0, remain: map[string]string{"contacts.csv": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target := tc.setup(t, dir)
			before, err := os.Lstat(target)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"--out", target}
			if tc.force {
				args = append(args, "--force")
			}
			code, last := exportCSV(t, fx.ref, args...)
			if code != tc.code || !strings.Contains(last, tc.say) {
				t.Fatalf("exit %d, %q; want %d saying %q", code, last, tc.code, tc.say)
			}
			after, err := os.Lstat(target)
			if err != nil {
				t.Fatal(err)
			}
			if code != 0 && (after.Mode() != before.Mode() || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime())) {
				t.Errorf("the target changed: %v %d -> %v %d", before.Mode(), before.Size(), after.Mode(), after.Size())
			}
			for name, want := range tc.remain {
				got, err := os.ReadFile(filepath.Join(dir, name))
				switch {
				case err != nil:
					t.Errorf("%s: %v", name, err)
				case want != "" && string(got) != want:
					t.Errorf("%s = %q, want %q kept", name, got, want)
				case want == "" && !bytes.HasPrefix(got, []byte("id,")):
					t.Errorf("%s = %.40q..., want the CSV", name, got)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

func writeString(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// corruptCopy copies the reference database and overwrites data pages in
// its second half with junk, leaving the header and the schema readable.
func corruptCopy(t *testing.T, fx *fixture, dst string) {
	t.Helper()
	copyFile(t, fx.ref, dst, 0o600)
	f, err := os.OpenFile(dst, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 100)
	if _, err := io.ReadFull(f, head); err != nil {
		t.Fatal(err)
	}
	pageSize := int64(head[16])<<8 | int64(head[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pages := st.Size() / pageSize
	junk := bytes.Repeat([]byte{0xa5}, int(pageSize))
	for p := pages / 2; p < pages; p += 3 {
		if _, err := f.WriteAt(junk, p*pageSize); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpen_ChangesNothing: a damaged database is refused by extract, export
// and runs with a message naming the file and the ways out; a file that is
// not SQLite keeps its mode; an empty file stays empty under export and
// runs. None of them writes a byte to the file or beside it.
func TestOpen_ChangesNothing(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path string)
		cmds  [][]string
		say   []string
	}{
		{name: "Corrupt", setup: func(t *testing.T, path string) { corruptCopy(t, fx, path) },
			cmds: [][]string{extractArgs(fx.url, "DB"), {"export", "--db", "DB", "--object", "contacts"}, {"runs", "--db", "DB"}},
			say:  []string{"is damaged", "restore it from a backup, or start a new file"}},
		{name: "NotSQLite", setup: func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("id,email\n1,a@example.com\n", 40)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, cmds: [][]string{extractArgs(fx.url, "DB"), {"export", "--db", "DB", "--object", "contacts"}, {"runs", "--db", "DB"}},
			say: []string{"not a HubSpot Extractor database"}},
		{name: "Empty", setup: func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, cmds: [][]string{{"export", "--db", "DB", "--object", "contacts"}, {"runs", "--db", "DB"}},
			say: []string{"empty", "run 'hubextract extract' or open the app first"}},
	} {
		for _, cmd := range tc.cmds {
			t.Run(tc.name+"/"+cmd[0], func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "x.db")
				tc.setup(t, path)
				data, _ := os.ReadFile(path)
				before, _ := os.Stat(path)
				args := make([]string, len(cmd))
				for i, a := range cmd {
					args[i] = strings.ReplaceAll(a, "DB", path)
				}
				p := start(t, args...)
				code := p.wait(t)
				last := lastLine(p.stderr.String())
				if code != 1 || !strings.Contains(last, path) {
					t.Errorf("exit %d, %q; want 1 naming %s", code, last, path)
				}
				for _, s := range tc.say {
					if !strings.Contains(last, s) {
						t.Errorf("%q does not say %q", last, s)
					}
				}
				after, _ := os.Stat(path)
				got, _ := os.ReadFile(path)
				if !bytes.Equal(got, data) || after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) {
					t.Errorf("the file changed: %d bytes %v -> %d bytes %v", len(data), before.Mode(), len(got), after.Mode())
				}
				// A read-only open leaves the empty WAL files any reader of a
				// WAL database needs; nothing else may appear.
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					info, _ := e.Info()
					switch e.Name() {
					case "x.db", "x.db-shm":
					case "x.db-wal":
						if info.Size() != 0 || cmd[0] == "extract" {
							t.Errorf("%s of %d bytes beside the file", e.Name(), info.Size())
						}
					default:
						t.Errorf("%s appeared beside the file", e.Name())
					}
				}
			})
		}
	}
}

// asNobody runs the binary as an unprivileged user (root, which ignores
// permissions, runs it as nobody; anyone else as themselves), from a copy it
// may execute, with a configuration folder of its own.
func asNobody(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	shared := t.TempDir()
	for _, d := range []string{shared, filepath.Dir(shared)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(shared, "hubextract")
	copyFile(t, bin, exe, 0o755)
	cfg := filepath.Join(shared, "config")
	if err := os.Mkdir(cfg, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cfg, 0o777); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "HOME="+cfg, "XDG_CONFIG_HOME="+cfg, "HUBSPOT_TOKEN=", "HUBEXTRACT_DB=",
		"HUBEXTRACT_CONFIG_DIR=") // the app folder: under the one above, which that user can reach
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	dieWithTest(cmd)
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: nobody, Gid: nobody}
	}
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Skipf("cannot run as user %d: %v", nobody, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// roPlace copies the reference database into a folder the unprivileged
// user may enter, then makes the file, or the file and its folder, readable
// only.
func roPlace(t *testing.T, fx *fixture, folderReadOnly bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Dir(dir), filepath.Dir(filepath.Dir(dir))} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "hubextract.db")
	copyFile(t, fx.ref, path, 0o444)
	if os.Geteuid() == 0 {
		for _, p := range []string{dir, path} {
			if err := os.Chown(p, nobody, nobody); err != nil {
				t.Fatal(err)
			}
		}
	}
	if folderReadOnly {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) }) // so that the test's folder can be removed
	}
	return path
}

// TestReadOnlyDatabase: export and runs read a database their user may not
// write, in a writable folder and in a read-only one, and leave the file as
// it was; extract on a database in a read-only folder says so in the store's
// plain words, not SQLite's.
func TestReadOnlyDatabase(t *testing.T) {
	skipShort(t)
	fx := shared(t)
	refRuns := runsJSON(t, fx.ref)
	for _, folderRO := range []bool{false, true} {
		name := map[bool]string{false: "ReadOnlyFile", true: "ReadOnlyFolder"}[folderRO]
		t.Run(name+"/export", func(t *testing.T) {
			path := roPlace(t, fx, folderRO)
			data, _ := os.ReadFile(path)
			code, stdout, stderr := asNobody(t, "export", "--db", path, "--object", "contacts")
			if code != 0 || !strings.HasPrefix(stdout, "id,") {
				t.Fatalf("exit %d, stdout %.60q, stderr %q; want the CSV", code, stdout, stderr)
			}
			if rows := strings.Count(stdout, "\n") - 1; rows < fakeScale {
				t.Errorf("%d rows, want at least %d", rows, fakeScale)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
				t.Error("the database changed")
			}
		})
		t.Run(name+"/runs", func(t *testing.T) {
			path := roPlace(t, fx, folderRO)
			code, stdout, stderr := asNobody(t, "runs", "--db", path, "--json")
			if code != 0 || !strings.Contains(stdout, `"status"`) || strings.Count(stdout, `"started_at"`) != len(refRuns) {
				t.Fatalf("exit %d, stdout %.80q, stderr %q; want %d runs", code, stdout, stderr, len(refRuns))
			}
		})
	}
	t.Run("ReadOnlyFolder/extract", func(t *testing.T) {
		path := roPlace(t, fx, true)
		if err := os.Chmod(path, 0o600); err != nil { // the file itself is writable
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		code, _, stderr := asNobody(t, extractArgs(fx.url, path)...)
		last := lastLine(stderr)
		if code != 1 || !strings.Contains(last, "neither it nor its folder is read-only") || strings.Contains(last, "(1544)") ||
			!strings.Contains(last, path) {
			t.Errorf("exit %d, %q; want 1 with the store's message for a read-only database, naming the file", code, last)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
			t.Error("the database changed")
		}
	})
}
