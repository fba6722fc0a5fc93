package reliability

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The environment the suite reads.
const (
	envMode    = "HUBEXTRACT_RELIABILITY"         // "fast" or "full"; unset: skip
	envResults = "HUBEXTRACT_RELIABILITY_RESULTS" // JSON lines the cases append (default: in the temporary folder)
	envReport  = "HUBEXTRACT_RELIABILITY_REPORT"  // the markdown to write (unset: none)
	envGoTest  = "HUBEXTRACT_RELIABILITY_GOTEST"  // `go test -json` output of the other packages the suite runs
)

var (
	mode    string // "fast" or "full"
	bin     string // the hubextract binary under test, built by TestMain
	tmpRoot string // every file the suite makes is under it
	results string // the JSON lines file
)

func TestMain(m *testing.M) {
	flag.Parse()
	mode = os.Getenv(envMode)
	if mode != "fast" && mode != "full" || testing.Short() || runtime.GOOS == "windows" {
		mode = ""
		os.Exit(m.Run()) // every test skips itself
	}
	var err error
	if tmpRoot, err = os.MkdirTemp("", "hubextract-reliability-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The commands read the suite's own app folder, never the user's.
	os.Setenv("HUBEXTRACT_CONFIG_DIR", filepath.Join(tmpRoot, "app"))
	os.Unsetenv("HUBEXTRACT_DB")
	os.Unsetenv("HUBSPOT_TOKEN")
	if results = os.Getenv(envResults); results == "" {
		results = filepath.Join(tmpRoot, "results.jsonl")
	}
	// The file holds this run's results only.
	if err := os.MkdirAll(filepath.Dir(results), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(1)
	}
	if err := os.Remove(results); err != nil && !os.IsNotExist(err) {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(1)
	}
	code := 1
	if bin, err = build(tmpRoot); err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
	} else {
		code = m.Run()
		tf := tokenFinding()
		if !tf.Passed {
			fmt.Fprintln(os.Stderr, "reliability:", tf.Outcome)
			code = 1
		}
		if err := appendResult(tf); err != nil {
			fmt.Fprintln(os.Stderr, "reliability:", err)
			code = 1
		}
	}
	if out := os.Getenv(envReport); out != "" && bin != "" {
		if err := writeReport(out, results, os.Getenv(envGoTest)); err != nil {
			fmt.Fprintln(os.Stderr, "reliability: the report:", err)
			code = 1
		}
	}
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// build compiles the plain binary of the module (no Wails tags: every
// subcommand runs, only the window refuses to open).
func build(dir string) (string, error) {
	out := filepath.Join(dir, "hubextract")
	if msg, err := exec.Command("go", "build", "-o", out, "hubextract").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build hubextract: %v\n%s", err, msg)
	}
	return out, nil
}

// suite skips the test unless the suite was asked for; slow tests run in
// the full suite only.
func suite(t *testing.T, slow bool) {
	t.Helper()
	switch {
	case mode == "":
		t.Skipf("set %s=fast or full to run the reliability suite (make reliability)", envMode)
	case slow && mode != "full":
		t.Skipf("part of the full suite only (%s=full)", envMode)
	}
}

// dir is a folder of the test's own under the suite's temporary root, so
// that the token scan at the end (tokenFinding) sees everything the cases
// wrote.
func dir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp(tmpRoot, strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())+"-")
	if err != nil {
		t.Fatal(err)
	}
	return d
}
