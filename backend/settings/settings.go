// Package settings owns what the desktop app remembers between sessions: the
// settings file (the HubSpot tier and so the rate limit, the search rate,
// concurrency, which database file, how often a full run follows incremental
// ones, whether the sample data is in use, which HubSpot API version) and the
// HubSpot access token, kept in the system keychain or, where there is none,
// in a file readable only by the user; the connected HubSpot accounts
// (accounts.json: each with its own database, key, settings and schedule);
// and the one resolver of where the app's files are and which account, key
// and settings apply (Paths, Place). The token never goes into the settings file, the
// database, a log or an export. It must not import Wails or any other backend
// package but schedule (the schedule model) and hubspot, which owns the API versions' names (so that a version
// the client cannot call is never saved) and imports nothing of the project
// but clock.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
)

// Tiers: HubSpot's burst limits in calls per rolling 10 seconds.
const (
	TierStarter      = 100 // Free and Starter
	TierProfessional = 190 // Professional and Enterprise
	TierAddOn        = 250 // with the API limit increase
)

// Tiers lists the allowed RatePer10s values.
var Tiers = []int{TierStarter, TierProfessional, TierAddOn}

// Sources of data.
const (
	SourceHubSpot = "hubspot" // the user's HubSpot, through the saved token
	SourceSample  = "sample"  // the built-in fake HubSpot and its own database
)

// Settings is the content of settings.json.
type Settings struct {
	RatePer10s int     `json:"rate_per_10s"` // one of Tiers
	SearchRate float64 `json:"search_rate"`  // search calls per second, HubSpot allows 5
	// Concurrency is how many streams are fetched at once: 0 is
	// automatic, from the rate limit (extract.AutoConcurrency), else a
	// number from MinConcurrency to MaxConcurrency.
	Concurrency int `json:"concurrency"`
	// DatabasePath is the database file chosen in Settings; "" uses the
	// default (see Paths.Database for what wins over it).
	DatabasePath string `json:"database_path"`
	// FullRunEveryDays: an incremental run is replaced by a full one when
	// the last full run is older than this (0: never).
	FullRunEveryDays int `json:"full_run_every_days"`
	// Source is where extractions read from: SourceHubSpot or SourceSample.
	Source string `json:"source"`
	// Objects is the last selection on the Extract screen (nil: all).
	Objects []string `json:"objects"`
	// APIVersion is the HubSpot API version the app calls, for support
	// cases: "" is the app's default (the date-based version HubSpot
	// publishes as current), else one of hubspot.APIVersions. A file saved
	// before the field existed has none, so it loads as the default.
	APIVersion string `json:"api_version"`
	// HistoryTypes are the CRM types whose property history extractions
	// read too (none by default: it costs more calls, pages of 50 records
	// instead of 100). This package knows no types: Validate checks the
	// names' form, the workspace checks them against the catalog.
	HistoryTypes []string `json:"history_types"`
	// Economy is what extractions save where calls and time differ:
	// "" or "time" (fastest: part of the largest types through search
	// ranges), "calls" (fewest calls: list pages only).
	Economy string `json:"economy"`
	// The team database the extracted data is mirrored to (see TeamDB).
	TeamDBURL          string `json:"team_db_url,omitempty"`
	TeamDBSchema       string `json:"team_db_schema,omitempty"`
	TeamDBSyncAfterRun bool   `json:"team_db_sync_after_run,omitempty"`
	// Format is the version of these settings' meaning (formatCurrent
	// once loaded or saved): see upgrade.
	Format int `json:"format,omitempty"`
}

// Versions of the settings' meaning. Files saved before there was one
// read as 0 (the first format). Before formatAutoConcurrency a file held
// the concurrency the app then defaulted to, 6, whether or not the user
// chose it: the app saved every field.
const (
	formatAutoConcurrency = 2 // from here on, a concurrency of 0 is automatic
	formatCurrent         = formatAutoConcurrency
	oldDefaultConcurrency = 6 // the fixed default before formatAutoConcurrency
)

// upgrade reads settings saved in an earlier format as this one means
// them: a 6 saved before concurrency followed the rate limit was, as far
// as anyone can tell, the old default rather than a choice, so it becomes
// automatic; any other number stays the user's.
func (s *Settings) upgrade() {
	if s.Format < formatAutoConcurrency && s.Concurrency == oldDefaultConcurrency {
		s.Concurrency = 0
	}
	s.Format = formatCurrent
}

// Limits of the numeric settings.
const (
	MinSearchRate      = 1
	MaxSearchRate      = 5
	MinConcurrency     = 1
	MaxConcurrency     = extract.MaxConcurrency
	MaxFullRunEvery    = 365
	defaultSearchRate  = 4
	defaultFullRunDays = 7
)

// Defaults are the settings of a new installation.
func Defaults() Settings {
	return Settings{
		RatePer10s:       TierStarter,
		SearchRate:       defaultSearchRate,
		Concurrency:      0, // automatic
		FullRunEveryDays: defaultFullRunDays,
		Source:           SourceHubSpot,
	}
}

// Validate says, in words, what is wrong with s; nil when nothing is.
func (s Settings) Validate() error {
	var problems []string
	if !slices.Contains(Tiers, s.RatePer10s) {
		problems = append(problems, fmt.Sprintf("the HubSpot tier must allow 100, 190 or 250 calls per 10 seconds, not %d", s.RatePer10s))
	}
	// Written as "not within" so that NaN, which compares false with
	// everything, is refused too (as are ±Inf).
	if !(s.SearchRate >= MinSearchRate && s.SearchRate <= MaxSearchRate) {
		problems = append(problems, fmt.Sprintf("the search rate must be between %d and %d calls per second (HubSpot allows 5), not %g",
			MinSearchRate, MaxSearchRate, s.SearchRate))
	}
	if s.Concurrency != 0 && (s.Concurrency < MinConcurrency || s.Concurrency > MaxConcurrency) {
		problems = append(problems, fmt.Sprintf("the number of types fetched at once must be automatic or between %d and %d, not %d",
			MinConcurrency, MaxConcurrency, s.Concurrency))
	}
	if s.FullRunEveryDays < 0 || s.FullRunEveryDays > MaxFullRunEvery {
		problems = append(problems, fmt.Sprintf("a full run must come every 0 (never) to %d days, not %d", MaxFullRunEvery, s.FullRunEveryDays))
	}
	if s.Source != SourceHubSpot && s.Source != SourceSample {
		problems = append(problems, fmt.Sprintf("unknown data source %q", s.Source))
	}
	if _, err := hubspot.ParseAPIVersion(s.APIVersion); err != nil {
		problems = append(problems, err.Error())
	}
	if _, err := extract.ParseEconomy(s.Economy); err != nil {
		problems = append(problems, err.Error())
	}
	seen := map[string]bool{}
	for _, t := range s.HistoryTypes {
		switch {
		case !typeName(t):
			problems = append(problems, fmt.Sprintf("property history: %q is not an object type name", t))
		case seen[t]:
			problems = append(problems, fmt.Sprintf("property history: %s is named twice", t))
		}
		seen[t] = true
	}
	problems = append(problems, s.Team().problems()...)
	if s.DatabasePath != "" {
		if !filepath.IsAbs(s.DatabasePath) {
			problems = append(problems, fmt.Sprintf("the database location must be a full path, not %q", s.DatabasePath))
		} else if strings.ContainsAny(s.DatabasePath, "?#") {
			problems = append(problems, "the database location must not contain '?' or '#'")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &InvalidError{Problems: problems}
}

// typeName: an object type's name as HubSpot spells them (contacts,
// line_items, p_projects, 2-12345).
func typeName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// HubSpotAPIVersion is the version the client is to call: the default for
// "", else the one chosen. Valid settings always name one; anything else
// gives the default, which is what Load does with a file holding it.
func (s Settings) HubSpotAPIVersion() hubspot.APIVersion {
	v, err := hubspot.ParseAPIVersion(s.APIVersion)
	if err != nil {
		return hubspot.DefaultAPIVersion
	}
	return v
}

// Normalize marks s as in the current format, and writes the API version
// as the Settings screen offers it: ""
// for the app's default version, however it was spelled ("2026-09",
// " Legacy "), and the canonical name of any other. The default is kept as
// "" rather than pinned, so that a newer app's newer default applies
// without the user saving anything, and so that an older app can still
// read a file a newer one saved. An unknown version is left for Validate
// to refuse.
func (s Settings) Normalize() Settings {
	s.Format = formatCurrent
	v, err := hubspot.ParseAPIVersion(s.APIVersion)
	switch {
	case err != nil:
	case v == hubspot.DefaultAPIVersion:
		s.APIVersion = ""
	default:
		s.APIVersion = string(v)
	}
	return s
}

// InvalidError lists what is wrong with settings, each in words.
type InvalidError struct{ Problems []string }

func (e *InvalidError) Error() string {
	return "invalid settings: " + strings.Join(e.Problems, "; ")
}

// File is settings.json in one folder.
type File struct{ Dir string }

func (f File) path() string { return filepath.Join(f.Dir, "settings.json") }

// Path is the settings file's path.
func (f File) Path() string { return f.path() }

// Load reads the settings; a missing file gives Defaults. A file that cannot
// be read as settings gives Defaults with a *CorruptError, and is left as it
// is until the next Save moves it aside.
func (f File) Load() (Settings, error) {
	b, err := os.ReadFile(f.path())
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Defaults(), fmt.Errorf("read settings %s: %w", f.path(), err)
	}
	s := Defaults()
	if err := json.Unmarshal(b, &s); err != nil {
		return Defaults(), &CorruptError{Path: f.path(), Err: err}
	}
	s.upgrade()
	if err := s.Validate(); err != nil {
		return Defaults(), &CorruptError{Path: f.path(), Err: err}
	}
	return s.Normalize(), nil
}

// CorruptError: the settings file exists but does not hold valid settings.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the settings file %s could not be used (%v); the defaults apply until the settings are saved again", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Save validates s and writes it atomically (0600, folder 0700). A file
// Load could not use is kept as settings.json.bad rather than lost.
func (f File) Save(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s.Normalize(), "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	if _, err := f.Load(); errors.As(err, new(*CorruptError)) {
		if err := os.Rename(f.path(), f.path()+".bad"); err != nil {
			return fmt.Errorf("keep the unusable settings file: %w", err)
		}
	}
	return writeFile(f.path(), append(b, '\n'))
}

// writeFile writes data to path through a temporary file renamed over it,
// so a crash never leaves half a file; the folder is created 0700 and the
// file is 0600.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
