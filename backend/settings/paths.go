package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Environment variables that move the app's files, so tests and a second
// installation never touch the user's own.
const (
	// EnvConfigDir is the app's folder: settings.json, the token file, the
	// sample data's demo.db, the log file and, by default, the database.
	EnvConfigDir = "HUBEXTRACT_CONFIG_DIR"
	// EnvDatabase is the database, unless --db names another.
	EnvDatabase = "HUBEXTRACT_DB"
)

// Where a database path came from, in the order they win.
const (
	FromFlag     = "flag"     // --db
	FromEnv      = "env"      // $HUBEXTRACT_DB
	FromSettings = "settings" // chosen in the app's Settings
	FromDefault  = "default"
	FromSample   = "sample"  // the sample data's own file
	FromAccount  = "account" // the account's own (--account, or the current one)
)

// Location is a database path and why it is the one used.
type Location struct {
	Path   string `json:"path"`
	Origin string `json:"origin"` // one of the From* constants
	// Account names the account the file is, for FromAccount.
	Account string `json:"account,omitempty"`
}

// Describe says, for the command line, which file is used and why; "" for
// the default one and one named by --db, which need no words.
func (l Location) Describe() string {
	switch l.Origin {
	case FromEnv:
		return fmt.Sprintf("Database: %s (from %s)", l.Path, EnvDatabase)
	case FromSettings:
		return fmt.Sprintf("Database: %s (chosen in the app's Settings)", l.Path)
	case FromSample:
		return fmt.Sprintf("Database: %s (the sample data's own)", l.Path)
	case FromAccount:
		return fmt.Sprintf("Database: %s (%s)", l.Path, l.Account)
	}
	return ""
}

// Paths is the one resolver of where the app's files are, shared by the
// command line and the app.
type Paths struct {
	// Dir is the app's folder (0700): settings.json, the token file,
	// demo.db, the log file and the default database.
	Dir    string
	getenv func(string) string
}

// Resolve finds the app's folder: $HUBEXTRACT_CONFIG_DIR, else hubextract in
// the user's configuration folder. getenv is os.Getenv outside tests.
func Resolve(getenv func(string) string) (Paths, error) {
	if d := getenv(EnvConfigDir); d != "" {
		abs, err := filepath.Abs(d)
		if err != nil {
			return Paths{}, fmt.Errorf("%s=%q: %w", EnvConfigDir, d, err)
		}
		return Paths{Dir: abs, getenv: getenv}, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return Paths{}, fmt.Errorf("find the user's configuration folder: %w", err)
	}
	return Paths{Dir: filepath.Join(dir, "hubextract"), getenv: getenv}, nil
}

// File is the settings file.
func (p Paths) File() File { return File{Dir: p.Dir} }

// Tokens keeps the HubSpot key of this folder.
func (p Paths) Tokens() *Tokens { return NewTokens(p.Dir) }

// DefaultDatabase is the database when nothing names another.
func (p Paths) DefaultDatabase() string { return filepath.Join(p.Dir, "hubextract.db") }

// SampleDatabase is the sample data's own file, so trying the app never
// mixes invented records with the user's.
func (p Paths) SampleDatabase() string { return filepath.Join(p.Dir, "demo.db") }

// LogFile is the log the window and the command line write (0600): what
// went wrong, for the user and for support. Its rotated predecessors lie
// beside it (hubextract.1.log, the newest, to hubextract.3.log).
func (p Paths) LogFile() string { return filepath.Join(p.Dir, LogFileName) }

// LogFileName is the log file's name in the app's folder.
const LogFileName = "hubextract.log"

// Database decides the user's database: flag (--db) wins, then
// $HUBEXTRACT_DB, then the file chosen in Settings, then the default.
func (p Paths) Database(flag string, s Settings) (Location, error) {
	abs := func(path, origin string) (Location, error) {
		a, err := filepath.Abs(path)
		if err != nil {
			return Location{}, fmt.Errorf("database %q: %w", path, err)
		}
		return Location{Path: a, Origin: origin}, nil
	}
	switch {
	case flag != "":
		return abs(flag, FromFlag)
	case p.getenv(EnvDatabase) != "":
		return abs(p.getenv(EnvDatabase), FromEnv)
	case s.DatabasePath != "":
		return Location{Path: s.DatabasePath, Origin: FromSettings}, nil
	}
	return Location{Path: p.DefaultDatabase(), Origin: FromDefault}, nil
}

// ForSource is the database the settings' source reads: the sample
// data's own file, or the user's database.
func (p Paths) ForSource(s Settings) (Location, error) {
	if s.Source == SourceSample {
		return Location{Path: p.SampleDatabase(), Origin: FromSample}, nil
	}
	return p.Database("", s)
}

// SettingsStore keeps the settings in force: settings.json (File), or the
// current account's (AccountFile).
type SettingsStore interface {
	Load() (Settings, error)
	Save(Settings) error
}

// Place is what a command or the app works from: the settings, the key and
// the account they are (nil: the folder's own, as before accounts).
type Place struct {
	Settings Settings
	Account  *Account
	Tokens   *Tokens
	Store    SettingsStore
	// Named: the account was named (--account), so it wins over
	// $HUBEXTRACT_DB.
	Named bool
	// Warning: the settings could not be used (a *CorruptError), the
	// defaults apply.
	Warning error
}

// Place resolves the account to work with: the one named (--account NAME_OR_ID)
// wins, then the current account, else the folder as before accounts (its
// settings.json and its own key). The command line and the app both ask it.
func (p Paths) Place(account string) (Place, error) {
	accts, err := p.LoadAccounts()
	if err != nil {
		return Place{}, err
	}
	var pl Place
	switch acct, ok := accts.CurrentAccount(); {
	case account != "":
		found, err := accts.Find(account)
		if err != nil {
			return Place{}, err
		}
		pl.Account, pl.Named = &found, true
	case ok:
		pl.Account = &acct
	}
	if pl.Account == nil {
		pl.Tokens, pl.Store = p.Tokens(), p.File()
	} else {
		pl.Tokens, pl.Store = p.AccountTokens(pl.Account.ID), p.AccountFile(pl.Account.ID)
	}
	pl.Settings, err = pl.Store.Load()
	if err != nil {
		if !errors.As(err, new(*CorruptError)) {
			return Place{}, err
		}
		pl.Warning = err
	}
	return pl, nil
}

// Locate decides the database of pl: --db (flag) wins, then the account
// named, then $HUBEXTRACT_DB, then the current account's, then the one
// chosen in Settings, then the default.
func (p Paths) Locate(flag string, pl Place) (Location, error) {
	if flag == "" && pl.Account != nil && (pl.Named || p.getenv(EnvDatabase) == "") {
		return Location{Path: pl.Account.Database, Origin: FromAccount, Account: pl.Account.Label()}, nil
	}
	return p.Database(flag, pl.Settings)
}
