package settings

import (
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hubextract/backend/hubspot"
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
		bad.Concurrency = -1
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
		{"SearchRateLowest", func(s *Settings) { s.SearchRate = MinSearchRate }, ""},
		{"SearchRateHighest", func(s *Settings) { s.SearchRate = MaxSearchRate }, ""},
		{"ErrSearchRateNaN", func(s *Settings) { s.SearchRate = math.NaN() }, "search rate must be between 1 and 5 calls per second (HubSpot allows 5), not NaN"},
		{"ErrSearchRateInf", func(s *Settings) { s.SearchRate = math.Inf(1) }, "not +Inf"},
		{"ErrSearchRateMinusInf", func(s *Settings) { s.SearchRate = math.Inf(-1) }, "not -Inf"},
		{"ErrConcurrency", func(s *Settings) { s.Concurrency = 17 }, "fetched at once"},
		{"ErrFullRun", func(s *Settings) { s.FullRunEveryDays = -1 }, "full run"},
		{"ErrSource", func(s *Settings) { s.Source = "ftp" }, "source"},
		{"ErrRelativeDB", func(s *Settings) { s.DatabasePath = "data.db" }, "full path"},
		{"ErrQueryInDB", func(s *Settings) { s.DatabasePath = "/tmp/a?b.db" }, "'?'"},
		{"APIVersionDefault", func(s *Settings) { s.APIVersion = "" }, ""},
		{"APIVersionDated", func(s *Settings) { s.APIVersion = "2026-09" }, ""},
		{"APIVersionLegacy", func(s *Settings) { s.APIVersion = "legacy" }, ""},
		{"ErrAPIVersion", func(s *Settings) { s.APIVersion = "v5" }, `unknown HubSpot API version "v5": use 2026-09 or legacy`},
		{"HistoryTypes", func(s *Settings) { s.HistoryTypes = []string{"contacts", "line_items", "2-123"} }, ""},
		{"ErrHistoryTypeName", func(s *Settings) { s.HistoryTypes = []string{"Contacts;"} }, `property history: "Contacts;" is not an object type name`},
		{"ErrHistoryTypeTwice", func(s *Settings) { s.HistoryTypes = []string{"deals", "deals"} }, "deals is named twice"},
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

// TestPaths: --db wins, then $HUBEXTRACT_DB, then the file chosen in
// Settings, then the default in the app's folder; the sample data has its
// own file there whatever the user's database is.
func TestPaths(t *testing.T) {
	dir := t.TempDir()
	chosen := Defaults()
	chosen.DatabasePath = "/data/crm.db"
	tests := []struct {
		name     string
		env      map[string]string
		flag     string
		settings Settings
		want     Location
	}{
		{"Default", nil, "", Defaults(), Location{Path: filepath.Join(dir, "hubextract.db"), Origin: FromDefault}},
		{"Settings", nil, "", chosen, Location{Path: "/data/crm.db", Origin: FromSettings}},
		{"EnvBeatsSettings", map[string]string{EnvDatabase: "/env/x.db"}, "", chosen, Location{Path: "/env/x.db", Origin: FromEnv}},
		{"FlagBeatsAll", map[string]string{EnvDatabase: "/env/x.db"}, "/flag/y.db", chosen, Location{Path: "/flag/y.db", Origin: FromFlag}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{EnvConfigDir: dir}
			maps.Copy(env, tt.env)
			p, err := Resolve(func(k string) string { return env[k] })
			if err != nil || p.Dir != dir {
				t.Fatalf("Resolve = %+v, %v", p, err)
			}
			got, err := p.Database(tt.flag, tt.settings)
			if err != nil || got != tt.want {
				t.Errorf("Database = %+v, %v; want %+v", got, err, tt.want)
			}
			sample := tt.settings
			sample.Source = SourceSample
			if got, _ := p.ForSource(sample); got != (Location{Path: filepath.Join(dir, "demo.db"), Origin: FromSample}) {
				t.Errorf("sample database = %+v", got)
			}
			if desc := got.Describe(); (got.Origin == FromDefault || got.Origin == FromFlag) != (desc == "") || (desc != "" && !strings.Contains(desc, got.Path)) {
				t.Errorf("Describe() = %q for %+v", desc, got)
			}
		})
	}
}

func TestResolveWithoutEnvironment(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	p, err := Resolve(func(string) string { return "" })
	if err != nil || p.Dir != filepath.Join(home, "hubextract") || p.DefaultDatabase() != filepath.Join(home, "hubextract", "hubextract.db") {
		t.Errorf("Resolve = %+v, %v", p, err)
	}
	if got, want := p.LogFile(), filepath.Join(home, "hubextract", "hubextract.log"); got != want {
		t.Errorf("LogFile() = %q, want %q", got, want)
	}
}

// TestLogFileFollowsTheFolder: the log lives in the app's folder, wherever
// HUBEXTRACT_CONFIG_DIR moves it, whatever database is chosen.
func TestLogFileFollowsTheFolder(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{EnvConfigDir: dir, EnvDatabase: "/elsewhere/x.db"}
	p, err := Resolve(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.LogFile(), filepath.Join(dir, "hubextract.log"); got != want {
		t.Errorf("LogFile() = %q, want %q", got, want)
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

// TestAPIVersionInTheFile: the API version setting as settings.json holds
// it. A file an older version saved has no api_version and loads as the
// default; the default is written as "" however it was given, so a newer
// default applies without a save; an unknown version makes the file
// unusable like any other invalid setting.
func TestAPIVersionInTheFile(t *testing.T) {
	tests := []struct {
		name    string
		file    string             // settings.json as found
		want    string             // Settings.APIVersion after Load
		client  hubspot.APIVersion // what the client is to call
		corrupt bool
	}{
		{"OlderFileWithoutTheField", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "full_run_every_days": 7, "source": "hubspot"}`,
			"", hubspot.DefaultAPIVersion, false},
		{"Default", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "source": "hubspot", "api_version": ""}`,
			"", hubspot.DefaultAPIVersion, false},
		{"DefaultByName", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "source": "hubspot", "api_version": "2026-09"}`,
			"", hubspot.Version202609, false},
		{"Legacy", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "source": "hubspot", "api_version": "legacy"}`,
			"legacy", hubspot.VersionLegacy, false},
		{"LegacyAsTyped", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "source": "hubspot", "api_version": " Legacy "}`,
			"legacy", hubspot.VersionLegacy, false},
		{"ErrUnknown", `{"rate_per_10s": 190, "search_rate": 4, "concurrency": 6, "source": "hubspot", "api_version": "2019-03"}`,
			"", hubspot.DefaultAPIVersion, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := File{Dir: t.TempDir()}
			if err := os.WriteFile(f.Path(), []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := f.Load()
			var corrupt *CorruptError
			if errors.As(err, &corrupt) != tt.corrupt {
				t.Fatalf("Load = %v, want corrupt %v", err, tt.corrupt)
			}
			if tt.corrupt {
				if !strings.Contains(err.Error(), `unknown HubSpot API version "2019-03"`) {
					t.Errorf("message %q does not name the unknown version", err)
				}
			} else if err != nil || s.RatePer10s != TierProfessional {
				t.Fatalf("Load = %+v, %v", s, err)
			}
			if s.APIVersion != tt.want || s.HubSpotAPIVersion() != tt.client {
				t.Errorf("api_version %q (client %q), want %q (client %q)", s.APIVersion, s.HubSpotAPIVersion(), tt.want, tt.client)
			}
			// Saved again, the file holds the version as the screen offers it.
			if err := f.Save(s); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(f.Path())
			if err != nil {
				t.Fatal(err)
			}
			if want := `"api_version": "` + tt.want + `"`; !strings.Contains(string(b), want) {
				t.Errorf("saved file lacks %s:\n%s", want, b)
			}
		})
	}
}

// TestSaveNormalizesTheAPIVersion: the default given by name is saved as
// "" (it follows the app's default), other versions by their canonical name.
func TestSaveNormalizesTheAPIVersion(t *testing.T) {
	tests := []struct{ give, want string }{
		{"", ""},
		{"2026-09", ""},
		{"LEGACY", "legacy"},
		{"legacy", "legacy"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			f := File{Dir: t.TempDir()}
			s := Defaults()
			s.APIVersion = tt.give
			if err := f.Save(s); err != nil {
				t.Fatal(err)
			}
			got, err := f.Load()
			if err != nil || got.APIVersion != tt.want {
				t.Errorf("saved %q, loaded %q (%v), want %q", tt.give, got.APIVersion, err, tt.want)
			}
		})
	}
}
