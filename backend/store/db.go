// Package store owns the SQLite database of HubSpot Extractor: its schema, the
// embedded migrations and every query that reads or writes it. It knows
// nothing of HTTP, HubSpot's API or Wails: callers hand it plain Go values.
//
// Writes happen inside TransactionContext, one transaction per page of
// extracted data, through the methods of Tx; reads are methods of DB.
//
// Open (the app, extract) creates and migrates; OpenReadOnly (the commands
// that only read) never creates, migrates or writes, and reads a read-only
// file or folder. Both look at an existing file before anything else and
// refuse, leaving it exactly as it was, one that is not this app's database
// (ErrNotDatabase) or whose pages are damaged (ErrCorrupt, a bounded
// PRAGMA quick_check).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound is returned by single-row reads when the row does not exist.
var ErrNotFound = errors.New("not found")

// dsnParams go on every pooled connection, so each one gets the same pragmas.
// _txlock=immediate makes write transactions take the write lock at BEGIN,
// where busy_timeout applies, instead of failing with SQLITE_BUSY when a
// read-then-write transaction finds another writer already committed.
// An extraction commits a transaction per page: checkpointing the WAL every
// 10,000 pages (40 to 160 MB) rather than SQLite's 1,000 writes the pages it
// rewrites again and again (the search index's, the tables' upper levels)
// to the database file once instead of many times, with a tenth of the
// fsyncs. That checkpoint, in the committing connection, is now the
// fallback: a goroutine of its own checkpoints beside the writes
// (checkpoint.go). The page cache stays SQLite's 2 MB: every connection of
// the pool has one, and 16 MB each cost the demo 60 MB of memory for no
// time it could measure. None of these changes what a crash can lose.
//
// A new file gets pages of 16 KB rather than SQLite's 4 KB: an export reads
// a type's rows, their properties and their pairs in a few large reads
// instead of one read (a system call) per 4 KB, 18% more rows a second at
// 300,000 contacts, while an extraction and the record browser measured
// the same. The page size must be set before the file's first page is
// written, so WAL comes from _journal_mode, which the driver applies after
// every _pragma (it runs those in alphabetical order). An existing file
// keeps its page size: the pragma changes nothing in a WAL file.
//
// Temporary storage (temp_store) is a file, SQLite's default: a statement
// journal (a statement inside a transaction keeps one to undo just itself)
// holds a whole page for each page the statement changes, and the search
// index's merges change a few rows on very many pages. Kept in memory, with
// 16 KB pages, they took an extraction of a million contacts from 83 to 285
// MB; in a file (SQLite keeps a journal's first 64 KB in memory) it peaked
// at 72 MB. With these two changes an extraction of 10,000 records per type
// runs at the same speed, with or without the change log's triggers; a
// million contacts with no limit run 7-10% slower, still above what
// HubSpot's rate limits let a run fetch.
const dsnParams = "_pragma=page_size(16384)&_journal_mode=WAL&_pragma=busy_timeout(10000)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(10000)" +
	"&_txlock=immediate"

// DB is an open HubSpot Extractor database.
type DB struct {
	db   *sql.DB
	path string
	// writes lets one write at a time into SQLite, the others queued in
	// the order they came. SQLite takes only one writer anyway, but its
	// busy handler polls: an extraction committing page after page can
	// win the lock each time and starve a settings or connection write
	// past busy_timeout. A channel's waiting senders go first come, first
	// served.
	writes chan struct{}
	stmts  stmtCache
	ckpt   *checkpointer // nil when read-only
	// reverseDeferred: this handle's extraction dropped associations_to
	// (DeferReverseIndex) and has not built it again yet.
	reverseDeferred atomic.Bool
}

func newDB(sqlDB *sql.DB, path string) *DB {
	return &DB{db: sqlDB, path: path, writes: make(chan struct{}, 1)}
}

// write waits for this process's turn to write (or for ctx) and returns
// what ends it.
func (db *DB) write(ctx context.Context) (done func(), err error) {
	select {
	case db.writes <- struct{}{}:
		return func() { <-db.writes }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// exec runs one writing statement in its turn (see write).
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	done, err := db.write(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	return db.db.ExecContext(ctx, query, args...)
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. The folder is created 0700 when missing and the file is kept
// 0600. An existing file is looked at before anything is changed: one that is
// not SQLite is refused as ErrNotDatabase, one whose pages are damaged as a
// *CorruptError (ErrCorrupt), one written by a newer version of the app as a
// *SchemaTooNewError, each left exactly as it was (its mode included).
// SQLite's failures come back as an *Error (ErrDiskFull, ErrReadOnly, ...)
// when they are of a kind it names.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	size, err := inspectFile(path)
	if err != nil {
		return nil, err
	}
	if size > 0 {
		if err := refuseForeign(ctx, path, path+"?_pragma=busy_timeout(10000)&_query_only=1"); err != nil {
			return nil, err
		}
		if err := refuseReadOnly(path); err != nil {
			return nil, err
		}
		if err := precheck(ctx, path); err != nil {
			return nil, openFailure(path, err)
		}
		// Read, but through a writable connection as precheck's: the last
		// one to close removes the WAL files, where a read-only one leaves
		// them behind. It writes nothing: no pragma switches the journal.
		if err := checkIntegrity(ctx, path, path+"?_pragma=busy_timeout(10000)"); err != nil {
			return nil, err
		}
	}
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	sqlDB, err := sql.Open("sqlite", path+"?"+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := newDB(sqlDB, path)
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, openFailure(path, err)
	}
	if err := db.catchUpSearch(ctx); err != nil {
		sqlDB.Close()
		return nil, openFailure(path, err)
	}
	db.startCheckpoints()
	return db, nil
}

// OpenReadOnly opens an existing database for reading only, as the commands
// that only read (export, runs) do: it never creates, migrates, tightens or
// writes the file, and works on a read-only file and in a read-only folder.
// A missing file fails with an error matching fs.ErrNotExist; an empty file
// or one of an older schema as a *NeedsUpgradeError (ErrNeedsUpgrade), which
// says to run extract or open the app first; the other refusals are Open's.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	size, err := inspectFile(path)
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("open database %s: %w", path, fs.ErrNotExist)
	}
	if size == 0 {
		return nil, &NeedsUpgradeError{Path: path, KnownVersion: knownVersionOrZero()}
	}
	dsn, err := readableDSN(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := checkIntegrity(ctx, path, dsn); err != nil {
		return nil, err
	}
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := checkSchema(ctx, sqlDB, path); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return newDB(sqlDB, path), nil
}

// checkPath refuses paths the driver would misread.
func checkPath(path string) error {
	if path == "" {
		return errors.New("open database: empty path")
	}
	if strings.ContainsAny(path, "?#") {
		// The driver reads everything after '?' as connection parameters.
		return fmt.Errorf("open database %s: the path must not contain '?' or '#'", path)
	}
	return nil
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// inspectFile looks at path without changing it: -1 when nothing is there,
// else the file's size. A folder, a device or anything else that is not a
// regular file, and a non-empty file that does not start with SQLite's
// header, are refused (ErrNotDatabase).
func inspectFile(path string) (int64, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return -1, nil
	case errors.Is(err, fs.ErrPermission):
		return 0, &Error{Kind: ErrCantOpen, Err: fmt.Errorf("open database %s: %w", path, err)}
	case err != nil:
		return 0, fmt.Errorf("open database %s: %w", path, err)
	case st.IsDir():
		return 0, &Error{Kind: ErrNotDatabase, Err: fmt.Errorf("open database %s: it is a folder, not a file", path)}
	case !st.Mode().IsRegular():
		return 0, &Error{Kind: ErrNotDatabase, Err: fmt.Errorf("open database %s: not a regular file (%v)", path, st.Mode().Type())}
	case st.Size() == 0:
		return 0, nil
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return 0, &Error{Kind: ErrCantOpen, Err: fmt.Errorf("open database %s: %w", path, err)}
		}
		return 0, fmt.Errorf("open database %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteHeader {
		return 0, &Error{Kind: ErrNotDatabase, Err: fmt.Errorf("open database %s: not a SQLite database", path)}
	}
	return st.Size(), nil
}

// roDSN is the data source name that opens path read-only. immutable tells
// SQLite that nothing else changes the file, so that it reads a WAL-mode
// database without the -shm file it cannot create in a read-only folder.
func roDSN(path string, immutable bool) string {
	// A "file:" URI decodes %XX: keep a literal '%' in the path as it is.
	dsn := "file:" + strings.ReplaceAll(path, "%", "%25") + "?mode=ro&_pragma=busy_timeout(10000)"
	if immutable {
		dsn += "&immutable=1"
	}
	return dsn
}

// readableDSN finds how to read path without writing to it or beside it.
// Read-only SQLite still needs the WAL index (-shm) of a WAL-mode database,
// which it cannot create in a read-only folder; then, when no WAL content
// waits to be folded in (no -wal file, or an empty one: nothing else has the
// database open for writing), the file alone is the whole database and is
// read as immutable.
func readableDSN(ctx context.Context, path string) (string, error) {
	dsn := roDSN(path, false)
	err := ping(ctx, dsn)
	if err == nil {
		return dsn, nil
	}
	var se *sqlite.Error
	if !errors.As(err, &se) || (se.Code()&0xff != sqlite3.SQLITE_READONLY && se.Code()&0xff != sqlite3.SQLITE_CANTOPEN) {
		return "", openFailure(path, err)
	}
	if st, serr := os.Stat(path + "-wal"); serr == nil && st.Size() > 0 {
		return "", &Error{Kind: ErrReadOnly, Err: fmt.Errorf("open database %s: its folder is read-only and %s-wal holds changes not yet in the file: %w", path, path, err)}
	}
	dsn = roDSN(path, true)
	if err := ping(ctx, dsn); err != nil {
		return "", openFailure(path, err)
	}
	return dsn, nil
}

// ping reads the schema through dsn on a connection of its own.
func ping(ctx context.Context, dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	return db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n)
}

// checkSchema refuses, for a read-only open, a file that is not a HubSpot
// Extractor database, or one whose schema is older (it cannot be migrated
// without writing) or newer than this binary's.
func checkSchema(ctx context.Context, db *sql.DB, path string) error {
	var tables int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&tables)
	if err != nil {
		return openFailure(path, err)
	}
	known := knownVersionOrZero()
	if tables == 0 {
		return &NeedsUpgradeError{Path: path, KnownVersion: known}
	}
	if err := refuseForeign(ctx, path, db); err != nil {
		return err
	}
	v, err := recordedVersion(ctx, db)
	if err != nil {
		return openFailure(path, err)
	}
	switch {
	case v > known:
		return fmt.Errorf("open database %s: %w", path, &SchemaTooNewError{DBVersion: v, KnownVersion: known})
	case v < known:
		return &NeedsUpgradeError{Path: path, DBVersion: v, KnownVersion: known}
	}
	return nil
}

// ourMigrations are the columns of this app's schema_migrations table.
// golang-migrate's (version, dirty) and Rails' (version as text) have the
// same name: migrating such a file would write this app's tables into
// another program's database, and its version would read as ours.
const ourMigrations = "version,applied_at"

// refuseForeign refuses, as ErrNotDatabase and before anything changes it,
// a SQLite file holding tables but not this app's schema_migrations. It
// reads through src, a *sql.DB or a data source name; a file it cannot
// read passes, for the checks after it to say why.
func refuseForeign(ctx context.Context, path string, src any) error {
	db, ok := src.(*sql.DB)
	if !ok {
		var err error
		if db, err = sql.Open("sqlite", src.(string)); err != nil {
			return nil
		}
		defer db.Close()
	}
	var tables int
	var cols string
	err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'),
		(SELECT coalesce(group_concat(name, ','), '') FROM (SELECT name FROM pragma_table_info('schema_migrations') ORDER BY cid))`).Scan(&tables, &cols)
	if err != nil || tables == 0 || cols == ourMigrations {
		return nil
	}
	return &Error{Kind: ErrNotDatabase, Err: fmt.Errorf("open database %s: this file belongs to another program (it is not a HubSpot Extractor database)", path)}
}

// refuseReadOnly refuses, as ErrReadOnly, an existing file this process
// may not write (its mode, or a read-only mount): SQLite would only say it
// cannot open it. Opening for writing changes nothing in the file.
func refuseReadOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		return f.Close()
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return &Error{Kind: ErrReadOnly, Err: fmt.Errorf("open database %s: %w", path, err)}
	}
	return nil // SQLite's own open says what else is wrong
}

func knownVersionOrZero() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return knownVersion(ms)
}

// IntegrityBudget bounds the integrity check of Open and OpenReadOnly: a
// database whose check has not ended by then is used as it is, so that
// opening a very large file never waits on a scan of all of it. SQLite's
// quick_check reads about a gigabyte a second from a warm cache.
var IntegrityBudget = 2 * time.Second

// checkIntegrity runs PRAGMA quick_check through dsn for at most
// IntegrityBudget and refuses a file it finds damaged, as a *CorruptError.
func checkIntegrity(ctx context.Context, path, dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer db.Close()
	qctx, cancel := context.WithTimeout(ctx, IntegrityBudget)
	defer cancel()
	rows, err := db.QueryContext(qctx, `PRAGMA quick_check(5)`)
	var problems []string
	if err == nil {
		for rows.Next() {
			var line string
			if err = rows.Scan(&line); err != nil {
				break
			}
			if line != "ok" {
				problems = append(problems, line)
			}
		}
		err = errors.Join(err, rows.Err(), rows.Close())
	}
	switch {
	case len(problems) > 0:
		return &CorruptError{Path: path, Detail: strings.Join(problems, "; ")}
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case qctx.Err() != nil:
		return nil // the budget ran out: nothing found so far
	}
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_CORRUPT || se.Code()&0xff == sqlite3.SQLITE_NOTADB) {
		return &CorruptError{Path: path, Detail: err.Error()}
	}
	return openFailure(path, fmt.Errorf("integrity check: %w", err))
}

// openFailure words a failure to open the database at path: a damaged file
// as a *CorruptError; a file or folder SQLite may not write, or a file it
// cannot open, as an *Error whose text starts with what to do, since the app
// shows that text as it is, then SQLite's own words; anything else with the
// path in front.
func openFailure(path string, err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	switch code := se.Code() & 0xff; {
	case code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB:
		return &CorruptError{Path: path, Detail: se.Error()}
	case code == sqlite3.SQLITE_READONLY || code == sqlite3.SQLITE_CANTOPEN:
		kind := kindOf(se.Code())
		return &Error{Kind: kind, Err: fmt.Errorf("open database %s: %s (%w)", path, userMessages[kind], se)}
	}
	return classify(fmt.Errorf("open database %s: %w", path, err))
}

// prepareFile creates the folder (0700) and the file (0600) before SQLite
// does, so the database is never readable by others, not even for a moment.
// It runs only once the file, if any, was found to be a usable database.
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
		err = fmt.Errorf("open database file %s: %w", path, err)
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return &Error{Kind: ErrReadOnly, Err: err}
		}
		return err
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
func (db *DB) Close() error {
	db.ckpt.stop()
	db.stmts.close()
	return db.db.Close()
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// SQL exposes the connection pool for tests and ad-hoc reads.
func (db *DB) SQL() *sql.DB { return db.db }

// Tx is a write transaction; its methods are the store's batched writes.
type Tx struct {
	tx           *sql.Tx
	db           *DB
	wroteRecords bool // UpsertEncoded ran: records may wait for the search index
	searchUpTo   int  // see DeferSearchIndex
}

// SQL exposes the underlying transaction.
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

// TransactionContext runs fn inside one transaction: it commits when fn
// returns nil and rolls back when fn returns an error or panics (the panic
// continues after the rollback). SQLite's failures come back as an *Error
// when they are of a kind it names (a full disk: ErrDiskFull).
func (db *DB) TransactionContext(ctx context.Context, fn func(tx *Tx) error) error {
	done, err := db.write(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer done()
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
	// Records fn wrote are indexed for the search before it commits (see
	// DeferSearchIndex).
	tx := &Tx{tx: sqlTx, db: db}
	err = fn(tx)
	if err == nil {
		err = tx.indexSearch(ctx)
	}
	finished = true
	if err != nil {
		err = classify(err)
		rbErr := sqlTx.Rollback()
		if rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) && !rolledBackBySQLite(err) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return classify(fmt.Errorf("commit transaction: %w", err))
	}
	db.ckpt.committed()
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
