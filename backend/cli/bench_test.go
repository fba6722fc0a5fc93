package cli

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hubextract/backend/bench"
)

// The benchmark starts each strategy as its own executable again, with
// bench.ChildEnv set: in this package's tests that is the test binary,
// which then runs the child instead of the tests.
func init() {
	if os.Getenv(bench.ChildEnv) != "" {
		os.Exit(Main(context.Background(), []string{"bench"}, &Env{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr}))
	}
}

// TestBench_JSONShape runs the benchmark at a tiny scale (no latency, a
// fast clock) and checks the shape a script reads: every strategy, each
// with exactly the documented fields, hubextract's fewest-calls economy at
// its minimum.
func TestBench_JSONShape(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "benchmarks.md")
	code, stdout, stderr := runMain(t.Context(), "bench", "--scale", "3", "--json", "--out", doc, "--speed", "1000", "--latency", "0", "--cap", "2")
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	// The document says what the store's upkeep costs, from runs with more or less of it.
	md, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"without the search index, ", "with the change log a team database reads, "} {
		if !strings.Contains(string(md), want) {
			t.Errorf("benchmarks.md lacks %q", want)
		}
	}
	var out struct {
		Strategies []map[string]json.RawMessage `json:"strategies"`
		Report     bench.Report                 `json:"report"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	// hubextract's speed with no limit, and each upkeep variant's, is the
	// median of three runs.
	median := func(what string, got float64, runs []float64) {
		t.Helper()
		sorted := slices.Sorted(slices.Values(runs))
		if len(runs) != 3 || got != sorted[1] {
			t.Errorf("%s: %g records/s from the runs %v, want their median of three", what, got, runs)
		}
	}
	if len(out.Report.Scales) != 1 {
		t.Fatalf("report of %d scales, want 1", len(out.Report.Scales))
	}
	for _, sc := range out.Report.Scales {
		for _, st := range sc.Strategies {
			if st.Name == bench.Hubextract {
				median(st.Name, st.RecordsPerSecond, st.RecordsPerSecondRuns)
			} else if len(st.RecordsPerSecondRuns) > 0 {
				t.Errorf("%s: runs %v, want one", st.Name, st.RecordsPerSecondRuns)
			}
		}
		for _, u := range sc.Upkeep {
			median(string(u.Variant), u.RecordsPerSecond, u.RecordsPerSecondRuns)
		}
		if len(sc.Upkeep) == 0 {
			t.Error("no upkeep variant measured")
		}
	}
	want := []string{"calls", "calls_ratio", "floor_seconds", "http_429", "minimum", "name", "peak_rss_bytes", "records",
		"wall_ratio", "wall_seconds"}
	var names []string
	for _, s := range out.Strategies {
		if keys := slices.Sorted(maps.Keys(s)); !slices.Equal(keys, want) {
			t.Errorf("fields %v, want %v", keys, want)
		}
		var name string
		var calls, minimum int64
		var ratio float64
		for k, dst := range map[string]any{"name": &name, "calls": &calls, "minimum": &minimum, "wall_ratio": &ratio} {
			if err := json.Unmarshal(s[k], dst); err != nil {
				t.Errorf("%s: %v", k, err)
			}
		}
		names = append(names, name)
		if calls < minimum || minimum <= 0 || ratio <= 0 {
			t.Errorf("%s: %d calls, minimum %d, wall ÷ floor %g", name, calls, minimum, ratio)
		}
		if name == bench.HubextractCalls && calls != minimum {
			t.Errorf("%s: %d calls, minimum %d", name, calls, minimum)
		}
	}
	if !slices.Equal(names, bench.Strategies) {
		t.Errorf("strategies %v, want %v", names, bench.Strategies)
	}
}

func TestBench_Usage(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		stderrHas string
	}{
		{name: "BadScale", args: []string{"bench", "--scale", "ten"}, stderrHas: `--scale "ten"`},
		{name: "Nothing", args: []string{"bench", "--scale", "0"}, stderrHas: "nothing to run"},
		{name: "NegativeContacts", args: []string{"bench", "--contacts", "-1"}, stderrHas: "--contacts must be 0 or more"},
		{name: "ExtraArgument", args: []string{"bench", "now"}, stderrHas: `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(t.Context(), tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.stderrHas)
			}
		})
	}
}
