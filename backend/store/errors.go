package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The SQLite failures a caller decides on. The store translates the driver's
// result codes into them where its work begins and ends (Open,
// TransactionContext), so a caller tests errors.Is(err, ErrDiskFull) and
// shows the error's UserMessage; Error() keeps the technical chain for logs.
var (
	ErrDiskFull = errors.New("disk full")
	ErrBusy     = errors.New("database locked by another connection")
	ErrReadOnly = errors.New("database not writable")
	ErrCantOpen = errors.New("database file cannot be opened")
	ErrIO       = errors.New("disk I/O error")
	// ErrNotDatabase: the file is not SQLite, or not this app's database.
	ErrNotDatabase = errors.New("not a HubSpot Extractor database")
	// ErrCorrupt matches every *CorruptError.
	ErrCorrupt = errors.New("database file damaged")
	// ErrNeedsUpgrade matches every *NeedsUpgradeError.
	ErrNeedsUpgrade = errors.New("database not brought up to date")
)

// userMessages say, per kind, what happened and what to do, in words for
// the person at the screen.
var userMessages = map[error]string{
	ErrDiskFull: "The disk is full: free some space and run Extract again; nothing already saved was lost.",
	ErrBusy: "The database is in use by another program (perhaps another HubSpot Extractor window or command): " +
		"close it and try again; nothing already saved was lost.",
	ErrReadOnly: "The database file cannot be written: check that neither it nor its folder is read-only and " +
		"that the disk is not write-protected, then try again.",
	ErrCantOpen: "The database file cannot be opened: check that its folder exists and that you may write to it, then try again.",
	ErrIO:       "The disk reported an error while reading or writing the database: check the disk, then try again.",
	ErrNotDatabase: "The file is not a HubSpot Extractor database: choose another file (or a new one), " +
		"in Settings or with --db; it was left as it was.",
}

// Error is a SQLite failure the store recognised. Kind is one of the
// sentinels above (errors.Is matches it); Err is the error with its context,
// which still unwraps to the driver's *sqlite.Error.
type Error struct {
	Kind error
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, e.Kind) true.
func (e *Error) Is(target error) bool { return target == e.Kind }

// UserMessage says what went wrong and what to do, in one sentence. It has
// the method set the hubspot package's UserMessage looks for, so a run that
// fails on a full disk says so rather than blaming HubSpot.
func (e *Error) UserMessage() string { return userMessages[e.Kind] }

// kindOf maps a SQLite result code, primary or extended, to its kind; nil
// when the caller has nothing to decide (a constraint, a bug in SQL, ...).
func kindOf(code int) error {
	switch code & 0xff { // an extended code keeps its primary code in the low byte
	case sqlite3.SQLITE_FULL:
		return ErrDiskFull
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ErrBusy
	case sqlite3.SQLITE_READONLY:
		return ErrReadOnly
	case sqlite3.SQLITE_CANTOPEN:
		return ErrCantOpen
	case sqlite3.SQLITE_IOERR:
		return ErrIO
	}
	return nil
}

// classify returns err as an *Error when the driver error inside it is one
// of the kinds above, and err unchanged otherwise (nil included).
func classify(err error) error {
	var known *Error
	var se *sqlite.Error
	if err == nil || errors.As(err, &known) || !errors.As(err, &se) {
		return err
	}
	if kind := kindOf(se.Code()); kind != nil {
		return &Error{Kind: kind, Err: err}
	}
	return err
}

// rolledBackBySQLite reports whether err may have made SQLite roll the
// transaction back by itself (it may, on SQLITE_FULL, SQLITE_IOERR and
// SQLITE_BUSY), so that a ROLLBACK failing afterwards says nothing new.
func rolledBackBySQLite(err error) bool {
	return errors.Is(err, ErrDiskFull) || errors.Is(err, ErrIO) || errors.Is(err, ErrBusy)
}

// CorruptError is a database whose pages SQLite's integrity check found
// damaged. Open and OpenReadOnly refuse it before writing anything to it.
type CorruptError struct {
	Path   string
	Detail string // what the check reported
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("open database %s: the file is damaged (%s): restore it from a backup, or start a new file",
		e.Path, e.Detail)
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// UserMessage names the file and the two ways out.
func (e *CorruptError) UserMessage() string {
	return fmt.Sprintf("The database file %s is damaged, so it was not used (nothing was written to it): "+
		"restore it from a backup, or start a new file (choose another in Settings, or pass --db NEWFILE) "+
		"and extract again.", e.Path)
}

// NeedsUpgradeError is a database that a read-only open cannot use as it is:
// an empty file, or one of an older schema, which only a writing open (the
// app, or extract) brings up to date.
type NeedsUpgradeError struct {
	Path         string
	DBVersion    int // 0: an empty file, no schema at all
	KnownVersion int
}

func (e *NeedsUpgradeError) Error() string {
	return "open database " + e.Path + ": " + e.UserMessage()
}

// Is makes errors.Is(err, ErrNeedsUpgrade) true.
func (e *NeedsUpgradeError) Is(target error) bool { return target == ErrNeedsUpgrade }

// UserMessage says why the file cannot be read as it is, and what to do.
func (e *NeedsUpgradeError) UserMessage() string {
	if e.DBVersion == 0 {
		return fmt.Sprintf("The file %s is empty, not a database yet: run 'hubextract extract' or open the app first.", e.Path)
	}
	return fmt.Sprintf("The database %s has an older layout (schema %d; this version uses %d) that reading alone "+
		"cannot update: run 'hubextract extract' or open the app first.", e.Path, e.DBVersion, e.KnownVersion)
}
