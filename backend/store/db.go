// Package store owns the SQLite database of HubSpot Extractor: its schema, the
// embedded migrations and every query that reads or writes it. It knows
// nothing of HTTP, HubSpot's API or Wails: callers hand it plain Go values.
//
// Writes happen inside TransactionContext, one transaction per page of
// extracted data, through the methods of Tx; reads are methods of DB.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// ErrNotFound is returned by single-row reads when the row does not exist.
var ErrNotFound = errors.New("not found")

// dsnParams go on every pooled connection, so each one gets the same pragmas.
// _txlock=immediate makes write transactions take the write lock at BEGIN,
// where busy_timeout applies, instead of failing with SQLITE_BUSY when a
// read-then-write transaction finds another writer already committed.
const dsnParams = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// DB is an open HubSpot Extractor database.
type DB struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. The folder is created 0700 when missing and the file is kept
// 0600. A database written by a newer version of the app is refused with a
// *SchemaTooNewError and left untouched. SQLite's failures come back as an
// *Error (ErrDiskFull, ErrReadOnly, ...) when they are of a kind it names.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: empty path")
	}
	if strings.ContainsAny(path, "?#") {
		// The driver reads everything after '?' as connection parameters.
		return nil, fmt.Errorf("open database %s: the path must not contain '?' or '#'", path)
	}
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	if err := precheck(ctx, path); err != nil {
		return nil, classify(err)
	}
	sqlDB, err := sql.Open("sqlite", path+"?"+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{db: sqlDB, path: path}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, classify(fmt.Errorf("open database %s: %w", path, err))
	}
	return db, nil
}

// prepareFile creates the folder (0700) and the file (0600) before SQLite
// does, so the database is never readable by others, not even for a moment.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create database folder %s: %w", dir, err)
		}
	} else if err != nil {
		return fmt.Errorf("database folder %s: %w", dir, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open database file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("open database file %s: %w", path, err)
	}
	// Also tighten a file created earlier with looser permissions.
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("restrict database file %s: %w", path, err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// SQL exposes the connection pool for tests and ad-hoc reads.
func (db *DB) SQL() *sql.DB { return db.db }

// Tx is a write transaction; its methods are the store's batched writes.
type Tx struct {
	tx *sql.Tx
}

// SQL exposes the underlying transaction.
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

// TransactionContext runs fn inside one transaction: it commits when fn
// returns nil and rolls back when fn returns an error or panics (the panic
// continues after the rollback). SQLite's failures come back as an *Error
// when they are of a kind it names (a full disk: ErrDiskFull).
func (db *DB) TransactionContext(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(fmt.Errorf("begin transaction: %w", err))
	}
	finished := false
	defer func() {
		if !finished { // fn panicked or called runtime.Goexit
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(&Tx{tx: sqlTx}); err != nil {
		finished = true
		err = classify(err)
		rbErr := sqlTx.Rollback()
		if rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) && !rolledBackBySQLite(err) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	finished = true
	if err := sqlTx.Commit(); err != nil {
		return classify(fmt.Errorf("commit transaction: %w", err))
	}
	return nil
}

// toMillis stores a time as unix milliseconds, NULL when unknown (zero).
func toMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMillis is the inverse of toMillis: NULL reads back as the zero time.
func fromMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// boolInt stores a bool as 0/1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
