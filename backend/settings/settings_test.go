package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileLoadSave(t *testing.T) {
	t.Run("MissingFileGivesDefaults", func(t *testing.T) {
		s, err := File{Dir: t.TempDir()}.Load()
		if err != nil {
			t.Fatal(err)
		}
		if s.RatePer10s != TierStarter || s.FullRunEveryDays != 7 || s.Source != SourceHubSpot {
			t.Errorf("defaults = %+v", s)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "cfg")
		f := File{Dir: dir}
		want := Defaults()
		want.RatePer10s = TierProfessional
		want.SearchRate = 3
		want.Concurrency = 4
		want.DatabasePath = filepath.Join(dir, "other.db")
		want.Objects = []string{"contacts", "deals"}
		if err := f.Save(want); err != nil {
			t.Fatal(err)
		}
		got, err := f.Load()
		if err != nil {
			t.Fatal(err)
		}
		if got.RatePer10s != want.RatePer10s || got.SearchRate != 3 || got.Concurrency != 4 ||
			got.DatabasePath != want.DatabasePath || strings.Join(got.Objects, ",") != "contacts,deals" {
			t.Errorf("loaded %+v, want %+v", got, want)
		}
		assertMode(t, f.Path(), 0o600)
		assertMode(t, dir, 0o700)
	})

	t.Run("ErrInvalidIsRefusedAndNothingWritten", func(t *testing.T) {
		f := File{Dir: t.TempDir()}
		bad := Defaults()
		bad.RatePer10s = 120
		bad.Concurrency = 0
		err := f.Save(bad)
		var inv *InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) != 2 {
			t.Fatalf("Save = %v, want an InvalidError with 2 problems", err)
		}
		if !strings.Contains(err.Error(), "100, 190 or 250") {
			t.Errorf("message %q does not name the allowed tiers", err)
		}
		if _, err := os.Stat(f.Path()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("an invalid Save wrote the file (%v)", err)
		}
	})

	t.Run("ErrCorruptKeepsTheFile", func(t *testing.T) {
		f := File{Dir: t.TempDir()}
		if err := os.WriteFile(f.Path(), []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := f.Load()
		var corrupt *CorruptError
		if !errors.As(err, &corrupt) {
			t.Fatalf("Load = %v, want a CorruptError", err)
		}
		if s.RatePer10s != TierStarter {
			t.Errorf("corrupt file gave %+v, want the defaults", s)
		}
		if err := f.Save(Defaults()); err != nil {
			t.Fatal(err)
		}
		kept, err := os.ReadFile(f.Path() + ".bad")
		if err != nil || string(kept) != "{not json" {
			t.Errorf("the unusable file was not kept aside: %q, %v", kept, err)
		}
		if _, err := f.Load(); err != nil {
			t.Errorf("after Save: %v", err)
		}
	})
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
		want   string // "" valid; else a part of the message
	}{
		{"Defaults", func(*Settings) {}, ""},
		{"Professional", func(s *Settings) { s.RatePer10s = 190 }, ""},
		{"AddOn", func(s *Settings) { s.RatePer10s = 250 }, ""},
		{"NeverFull", func(s *Settings) { s.FullRunEveryDays = 0 }, ""},
		{"ErrTier", func(s *Settings) { s.RatePer10s = 1000 }, "100, 190 or 250"},
		{"ErrSearchRate", func(s *Settings) { s.SearchRate = 6 }, "search rate"},
		{"ErrConcurrency", func(s *Settings) { s.Concurrency = 17 }, "fetched at once"},
		{"ErrFullRun", func(s *Settings) { s.FullRunEveryDays = -1 }, "full run"},
		{"ErrSource", func(s *Settings) { s.Source = "ftp" }, "source"},
		{"ErrRelativeDB", func(s *Settings) { s.DatabasePath = "data.db" }, "full path"},
		{"ErrQueryInDB", func(s *Settings) { s.DatabasePath = "/tmp/a?b.db" }, "'?'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Defaults()
			tt.change(&s)
			err := s.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate = %v, want a message with %q", err, tt.want)
			}
		})
	}
}

func TestDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDatabase, filepath.Join(dir, "main.db"))
	s := Defaults()
	if got, _ := s.Database(); got != filepath.Join(dir, "main.db") {
		t.Errorf("default database = %s", got)
	}
	s.Source = SourceSample
	if got, _ := s.Database(); got != filepath.Join(dir, "demo.db") {
		t.Errorf("sample database = %s, want demo.db beside the real one", got)
	}
	s.Source = SourceHubSpot
	s.DatabasePath = "/data/crm.db"
	if got, _ := s.Database(); got != "/data/crm.db" {
		t.Errorf("chosen database = %s", got)
	}
}

func TestDirFollowsEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvConfigDir, dir)
	got, err := Dir()
	if err != nil || got != dir {
		t.Errorf("Dir() = %s, %v; want %s", got, err, dir)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", path, got, want)
	}
}
