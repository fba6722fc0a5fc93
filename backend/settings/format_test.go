package settings

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Concurrency follows the rate limit by default (0, automatic). A file an
// older version saved, with no format, holds the then default 6 whether or
// not the user chose it: it loads as automatic; any other number is the
// user's and stays, as does a 6 saved since.
func TestConcurrencyFormat(t *testing.T) {
	tests := []struct {
		name string
		file string // the settings as found, in settings.json and in an account
		want int
	}{
		{"OldDefaultBecomesAutomatic", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "full_run_every_days": 7, "source": "hubspot"}`, 0},
		{"OldChoiceStays", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 12, "full_run_every_days": 7, "source": "hubspot"}`, 12},
		{"OldOneStays", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 1, "full_run_every_days": 7, "source": "hubspot"}`, 1},
		{"ChosenSixStays", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "full_run_every_days": 7, "source": "hubspot", "format": 2}`, 6},
		{"Automatic", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 0, "full_run_every_days": 7, "source": "hubspot", "format": 2}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Run("SettingsFile", func(t *testing.T) {
				f := File{Dir: t.TempDir()}
				if err := os.WriteFile(f.Path(), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
				checkLoadSave(t, f, tt.want)
			})
			t.Run("Account", func(t *testing.T) {
				p := testPaths(t, nil)
				accounts := fmt.Sprintf(`{"current": 7, "accounts": [{"id": 7, "name": "Acme", "database": %q, "settings": %s}]}`,
					filepath.Join(p.Dir, "acme.db"), tt.file)
				if err := os.WriteFile(p.accountsPath(), []byte(accounts), 0o600); err != nil {
					t.Fatal(err)
				}
				checkLoadSave(t, p.AccountFile(7), tt.want)
			})
		})
	}
}

// checkLoadSave loads the settings in store, wants concurrency want, saves
// them and wants the same on the next load, the file then in the current
// format.
func checkLoadSave(t *testing.T, store SettingsStore, want int) {
	t.Helper()
	s, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.Concurrency != want || s.Format != formatCurrent {
		t.Fatalf("loaded concurrency %d, format %d; want %d, %d", s.Concurrency, s.Format, want, formatCurrent)
	}
	if err := store.Save(s); err != nil {
		t.Fatal(err)
	}
	again, err := store.Load()
	if err != nil || again.Concurrency != want {
		t.Fatalf("after a save: concurrency %d, %v; want %d", again.Concurrency, err, want)
	}
}

// The defaults are automatic, and settings the screen sends without the
// format (as one made before the field existed would) are saved in the
// current one: a 6 chosen now stays 6.
func TestConcurrencySaved(t *testing.T) {
	if d := Defaults(); d.Concurrency != 0 || d.Validate() != nil {
		t.Fatalf("defaults: concurrency %d, %v", d.Concurrency, d.Validate())
	}
	f := File{Dir: t.TempDir()}
	s := Defaults()
	s.Concurrency, s.Format = 6, 0
	if err := f.Save(s); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(f.Path())
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil || raw["format"] != float64(formatCurrent) {
		t.Fatalf("saved file lacks the format:\n%s", b)
	}
	if got, err := f.Load(); err != nil || got.Concurrency != 6 {
		t.Errorf("loaded concurrency %d, %v; want the chosen 6", got.Concurrency, err)
	}
	for _, bad := range []int{-1, 17} {
		s.Concurrency = bad
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "must be automatic or between 1 and 16") {
			t.Errorf("concurrency %d: %v", bad, err)
		}
	}
}
