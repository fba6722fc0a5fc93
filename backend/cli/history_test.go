package cli

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// historyCounts opens db and counts the stored history entries of types.
func historyCounts(t *testing.T, path string, types ...string) map[string]int64 {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int64{}
	for _, typ := range types {
		if out[typ], err = db.CountHistory(context.Background(), typ); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestExtract_History: --history reads the property history of the types
// it names (and only of those), "none" of none; a type without history or
// an unknown one is a usage error. demo takes --history too.
func TestExtract_History(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 30, Seed: 3}))
	tests := []struct {
		name     string
		history  string
		code     int
		stderr   string
		withHist []string // types with history stored after the run
	}{
		{name: "Contacts", history: "contacts", withHist: []string{"contacts"}},
		{name: "Two", history: " deals , contacts", withHist: []string{"contacts", "deals"}},
		{name: "None", history: "none"},
		{name: "NotCRM", history: "forms", code: 2, stderr: `--history: property history: "forms" is not a CRM type`},
		{name: "Unknown", history: "contacts,widgets", code: 2, stderr: `"widgets" is not a CRM type`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "x.db")
			code, stdout, stderr := runMain(t.Context(), extractArgs(url, db, "--objects", "contacts,deals", "--history", tt.history)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tt.code, tt.stderr, stdout, stderr)
			}
			if code != 0 {
				return
			}
			for typ, n := range historyCounts(t, db, "contacts", "deals") {
				want := strings.Contains(strings.Join(tt.withHist, ","), typ)
				if (n > 0) != want {
					t.Errorf("%s: %d history entries, want some: %v", typ, n, want)
				}
			}
		})
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	code, stdout, stderr := runMain(t.Context(), "demo", "--db", db, "--scale", "20", "--latency", "0", "--rate", "100000", "--history", "contacts,deals")
	if code != 0 || !strings.Contains(stdout, "Run 1 succeeded") {
		t.Fatalf("demo --history: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if n := historyCounts(t, db, "contacts", "deals", "companies"); n["contacts"] == 0 || n["deals"] == 0 || n["companies"] != 0 {
		t.Errorf("demo --history contacts,deals stored %v", n)
	}
}

// TestExport_History: after extract --history contacts, export --history
// writes one row per stored entry of a type (to a file or standard
// output), --all one TYPE_history.csv per type that has history; history
// of a type that has none, or with --form, is a usage error.
func TestExport_History(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 20, Seed: 5}))
	db := filepath.Join(t.TempDir(), "x.db")
	if code, _, stderr := runMain(t.Context(), extractArgs(url, db, "--objects", "contacts,deals", "--history", "contacts")...); code != 0 {
		t.Fatalf("extract: exit %d: %s", code, stderr)
	}
	entries := historyCounts(t, db, "contacts")["contacts"]
	header := "type,id,property,value,timestamp,source_type,source_id,source_label,updated_by_user_id\r\n"
	dir := filepath.Join(t.TempDir(), "out")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a part of it
		stderr string // a part of it
	}{
		{name: "Stdout", args: []string{"--object", "contacts", "--history"}, stdout: header + "contacts,"},
		{name: "DealsHaveNone", args: []string{"--object", "deals", "--history"}, stdout: header},
		{name: "All", args: []string{"--all", "--dir", dir, "--history"}, stdout: "contacts_history.csv"},
		{name: "NotCRM", args: []string{"--object", "forms", "--history"}, code: 2, stderr: "--history goes with a CRM type"},
		{name: "Form", args: []string{"--object", "form_submissions", "--form", "x", "--history"}, code: 2, stderr: "--form does not go with --history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), append([]string{"export", "--db", db}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %.300s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if tt.name == "Stdout" {
				recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
				if err != nil || int64(len(recs)-1) != entries {
					t.Errorf("%d rows (%v), %d entries stored", len(recs)-1, err, entries)
				}
			}
		})
	}
	got, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(got) != 1 || filepath.Base(got[0]) != "contacts_history.csv" {
		t.Errorf("--all --history wrote %v (%v), want contacts_history.csv alone", got, err)
	}
}
