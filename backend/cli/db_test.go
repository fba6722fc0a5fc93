package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestMain keeps every test away from the user's own app folder: the
// commands read the settings there, as the app does.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hubextract-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(settings.EnvConfigDir, dir)
	os.Unsetenv(settings.EnvDatabase)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestDatabaseAsTheAppChoosesIt: extract, runs and export without --db use
// the file the app uses: $HUBEXTRACT_DB, else the one chosen in Settings,
// else the default in the app's folder; and say which when it is not the
// default.
func TestDatabaseAsTheAppChoosesIt(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 5, Seed: 3}))
	tests := []struct {
		name     string
		chosen   bool   // Settings name a database
		env      bool   // $HUBEXTRACT_DB is set
		flag     bool   // --db is passed
		want     string // which file gets the records: chosen, env, flag or default
		saysWhat string // the line on stderr; "" for none
	}{
		{name: "Default", want: "default"},
		{name: "ChosenInSettings", chosen: true, want: "chosen", saysWhat: "(chosen in the app's Settings)"},
		{name: "EnvBeatsSettings", chosen: true, env: true, want: "env", saysWhat: "(from HUBEXTRACT_DB)"},
		{name: "FlagBeatsAll", chosen: true, env: true, flag: true, want: "flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv(settings.EnvConfigDir, filepath.Join(dir, "app"))
			files := map[string]string{
				"default": filepath.Join(dir, "app", "hubextract.db"),
				"chosen":  filepath.Join(dir, "chosen.db"),
				"env":     filepath.Join(dir, "env.db"),
				"flag":    filepath.Join(dir, "flag.db"),
			}
			if tt.chosen {
				s := settings.Defaults()
				s.DatabasePath = files["chosen"]
				if err := (settings.File{Dir: filepath.Join(dir, "app")}).Save(s); err != nil {
					t.Fatal(err)
				}
			}
			if tt.env {
				t.Setenv(settings.EnvDatabase, files["env"])
			}
			var db []string
			if tt.flag {
				db = []string{"--db", files["flag"]}
			}
			args := append([]string{"extract", "--token", "demo-token", "--base-url", url, "--objects", "contacts"}, fastFlags...)
			code, _, stderr := runMain(t.Context(), append(args, db...)...)
			if code != 0 {
				t.Fatalf("extract: exit %d\n%s", code, stderr)
			}
			says := strings.Contains(stderr, "Database: ")
			if tt.saysWhat == "" && says || tt.saysWhat != "" && !strings.Contains(stderr, "Database: "+files[tt.want]+" "+tt.saysWhat) {
				t.Errorf("stderr says %q, want %q", stderr, tt.saysWhat)
			}
			for name, path := range files {
				_, err := os.Stat(path)
				if exists := err == nil; exists != (name == tt.want) {
					t.Errorf("%s database %s exists: %v; want only the %s one", name, path, exists, tt.want)
				}
			}
			if n := contacts(t, files[tt.want]); n == 0 {
				t.Errorf("no contacts in %s", files[tt.want])
			}
			// runs and export read the same file without --db.
			code, out, stderr := runMain(t.Context(), append([]string{"runs", "--json"}, db...)...)
			if code != 0 || !strings.Contains(out, `"status": "succeeded"`) {
				t.Errorf("runs: exit %d, %s %s", code, out, stderr)
			}
			code, out, stderr = runMain(t.Context(), append([]string{"export", "--object", "contacts"}, db...)...)
			if code != 0 || strings.Count(out, "\n") < 6 {
				t.Errorf("export: exit %d, %d lines, %s", code, strings.Count(out, "\n"), stderr)
			}
		})
	}
}

func contacts(t *testing.T, path string) int64 {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, _, err := db.CountRecords(context.Background(), "contacts")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNameTheLog(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(settings.EnvConfigDir, dir)
	log := filepath.Join(dir, "hubextract.log")
	tests := []struct{ in, want string }{
		{"HubSpot refused a request (status 409): please " + hubspot.SendTheLog + " so we can fix it.",
			"HubSpot refused a request (status 409): please " + hubspot.SendTheLog + " (" + log + ") so we can fix it."},
		{"the disk is full", "the disk is full"},
	}
	for _, tt := range tests {
		if got := nameTheLog(tt.in); got != tt.want {
			t.Errorf("nameTheLog(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
