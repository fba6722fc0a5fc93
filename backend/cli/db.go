package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// place is what a command works from, as the app does: the app's folder
// and its settings (the database chosen there, the tier and the other
// defaults the app and the command line share).
type place struct {
	paths settings.Paths
	cfg   settings.Settings
	at    settings.Place // the account, its key and settings (settings.Paths.Place)
}

// findPlace resolves the app's folder, the account (--account, else the
// current one, else the folder's own) and reads its settings; settings
// that cannot be used leave the defaults in force with a warning, as in
// the app. A command that needs the settings before it parses its flags
// (their defaults) passes its arguments, where --account is found.
func (e *Env) findPlace(name string, args ...string) (place, error) {
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		return place{}, err
	}
	account := e.account
	if args != nil {
		account = accountArg(args)
	}
	at, err := paths.Place(account)
	if err != nil {
		return place{}, err
	}
	if at.Warning != nil {
		fmt.Fprintf(e.Stderr, "hubextract %s: %v\n", name, at.Warning)
	}
	return place{paths: paths, cfg: at.Settings, at: at}, nil
}

// accountArg is the value of --account in args (before a "--"), "" when
// there is none: the flag set parses it again, this only finds it early.
func accountArg(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "account" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// dbFlag defines the --db and --account flags every command that touches
// the database accepts; place.database resolves them.
func (e *Env) dbFlag(fs *flag.FlagSet) *string {
	fs.StringVar(&e.account, "account", "", "the connected HubSpot account (`NAME_OR_ID`, see 'hubextract accounts') whose database, key and settings are used (default: the current one)")
	return fs.String("db", "", "database `file` (default: the --account's, else $"+settings.EnvDatabase+", else the current account's, else the one chosen in the app's Settings, else hubextract.db in the app's folder)")
}

// database decides the command's database (--db, --account, $HUBEXTRACT_DB,
// the current account's, Settings, the default) and says which it is when
// it is not the default.
func (p place) database(e *Env, flag string) (string, error) {
	loc, err := p.paths.Locate(flag, p.at)
	if err != nil {
		return "", err
	}
	if d := loc.Describe(); d != "" {
		fmt.Fprintln(e.Stderr, d)
	}
	return loc.Path, nil
}

// resolveExisting decides the database of a command that only reads, and
// makes sure it exists.
func resolveExisting(env *Env, name, flag string) (string, error) {
	pl, err := env.findPlace(name)
	if err != nil {
		return "", err
	}
	path, err := pl.database(env, flag)
	if err != nil {
		return "", err
	}
	return path, existingDB(path)
}

// existingDB makes sure a database is at path: a command that only reads
// must not create an empty one.
func existingDB(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("no database at %s: run 'hubextract extract' first, or pass --db PATH", path)
	case err != nil:
		return fmt.Errorf("database %s: %w", path, err)
	case st.IsDir():
		return fmt.Errorf("database %s is a folder, not a file", path)
	}
	return nil
}

// openDB opens the database at path to write to it, creating it if needed.
func openDB(ctx context.Context, path string) (*store.DB, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, dbError(path, err)
	}
	if err := useStoredTypes(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

// useStoredTypes makes the custom objects db knows types of the catalog,
// so that a command can name them (--objects, --object).
func useStoredTypes(ctx context.Context, db *store.DB) error {
	if err := extract.UseStoredTypes(ctx, db); err != nil {
		db.Close()
		return err
	}
	return nil
}

// openReadOnly opens the existing database at path for a command that only
// reads: it works on a read-only file or folder and never creates, migrates
// or changes the file.
func openReadOnly(ctx context.Context, path string) (*store.DB, error) {
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, dbError(path, err)
	}
	if err := useStoredTypes(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

// dbError words a failure to open the database at path: the store's
// sentence for the person at the keyboard when it has one (a read-only
// folder, a damaged file, ...), else the technical chain.
func dbError(path string, err error) error {
	if msg, ok := hubspot.OwnMessage(err); ok {
		if !strings.Contains(msg, path) {
			msg = "database " + path + ": " + msg
		}
		return &openError{msg: msg, err: err}
	}
	return &openError{msg: fmt.Sprintf("open database %s: %v", path, err), err: err}
}

// openError is a failure to open the database, worded for the user; it
// still unwraps to the store's typed error.
type openError struct {
	msg string
	err error
}

func (e *openError) Error() string { return e.msg }
func (e *openError) Unwrap() error { return e.err }
