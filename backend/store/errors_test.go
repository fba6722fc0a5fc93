package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// pinned limits db's pool to one connection, so that a per-connection
// pragma set through it holds for every later call.
func pinned(t *testing.T, db *DB, pragmas ...string) {
	t.Helper()
	db.SQL().SetMaxOpenConns(1)
	for _, p := range pragmas {
		if _, err := db.SQL().Exec("PRAGMA " + p); err != nil {
			t.Fatal(err)
		}
	}
}

// bigRecords are n contacts whose text takes far more than a page each.
func bigRecords(prefix string, n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = Record{Type: "contacts", ID: fmt.Sprintf("%s%d", prefix, i),
			Properties: map[string]*string{"notes": str(strings.Repeat(fmt.Sprintf("word%d ", i), 2000))}}
	}
	return recs
}

// A write that runs out of room fails as ErrDiskFull with the plain-words
// message, on one line, keeps what was committed before, and leaves the
// connection usable: with room again the same write succeeds. SQLite undoes
// only the statement when a multi-row one fails, but rolls the whole
// transaction back by itself when a single-row one does.
func TestTransactionContext_ErrDiskFull(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		write func(tx *Tx) error
	}{
		{name: "MultiRowStatement", write: func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, bigRecords("b", 20)) }},
		{name: "SingleRowStatement", write: func(tx *Tx) error {
			_, err := tx.SQL().ExecContext(ctx, `INSERT INTO associations (from_type, from_id, to_type, to_id, types)
				VALUES ('contacts', 'b0', 'companies', '1', ?)`, strings.Repeat("x", 1<<16))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkDiskFull(t, tc.write) })
	}
}

func checkDiskFull(t *testing.T, write func(tx *Tx) error) {
	ctx := context.Background()
	db := openTest(t)
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, bigRecords("a", 3)) })
	var pages int
	if err := db.SQL().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	pinned(t, db, fmt.Sprintf("max_page_count = %d", pages+2))

	err := db.TransactionContext(ctx, write)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("err = %v, want ErrDiskFull", err)
	}
	var se *Error
	var driverErr *sqlite.Error
	if !errors.As(err, &se) || !errors.As(err, &driverErr) || driverErr.Code()&0xff != sqlite3.SQLITE_FULL {
		t.Fatalf("err = %#v: want a *store.Error wrapping the driver's SQLITE_FULL", err)
	}
	if want := "The disk is full: free some space and run Extract again; nothing already saved was lost."; se.UserMessage() != want {
		t.Errorf("UserMessage() = %q, want %q", se.UserMessage(), want)
	}
	// Where SQLite rolled the transaction back by itself, the ROLLBACK after
	// it fails: no news, and it must not turn the message into two lines.
	if msg := err.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, "rollback") {
		t.Errorf("error %q: want one line without the rollback", msg)
	}
	if active, _, err := db.CountRecords(ctx, "contacts"); err != nil || active != 3 {
		t.Errorf("%d contacts stored (%v), want the 3 committed before", active, err)
	}

	if _, err := db.SQL().Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	inTx(t, db, write)
}

func TestTransactionContext_ErrReadOnly(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	pinned(t, db, "query_only = 1")
	err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, bigRecords("a", 1)) })
	var se *Error
	if !errors.Is(err, ErrReadOnly) || !errors.As(err, &se) || !strings.Contains(se.UserMessage(), "cannot be written") {
		t.Errorf("err = %v, want ErrReadOnly saying the file cannot be written", err)
	}
}

// A second writer that may not wait gets ErrBusy, at BEGIN (the store's
// write transactions take the lock there).
func TestTransactionContext_ErrBusy(t *testing.T) {
	ctx := context.Background()
	first := openTest(t)
	second, err := Open(ctx, first.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	pinned(t, second, "busy_timeout = 0")

	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- first.TransactionContext(ctx, func(tx *Tx) error {
			if err := tx.UpsertRecords(ctx, 1, bigRecords("a", 1)); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	err = second.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, bigRecords("b", 1)) })
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var se *Error
	if !errors.Is(err, ErrBusy) || !errors.As(err, &se) || !strings.Contains(err.Error(), "begin transaction") ||
		!strings.Contains(se.UserMessage(), "in use by another program") {
		t.Errorf("err = %v, want ErrBusy at begin transaction", err)
	}
}

// Errors the caller has nothing to decide on pass through unchanged.
func TestTransactionContext_OtherErrorsUnclassified(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		fn   func(tx *Tx) error
	}{
		{name: "OwnError", fn: func(*Tx) error { return boom }},
		{name: "Constraint", fn: func(tx *Tx) error {
			_, err := tx.SQL().ExecContext(ctx, `INSERT INTO runs (started_at, mode) VALUES (1, 'bogus')`)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.TransactionContext(ctx, tc.fn)
			var se *Error
			if err == nil || errors.As(err, &se) {
				t.Errorf("err = %v, want an unclassified error", err)
			}
		})
	}
}

// Open classifies too: here SQLite cannot create its shared-memory file.
func TestOpen_ErrClassified(t *testing.T) {
	for _, tc := range []struct {
		name     string
		blockDir string // made a folder so that SQLite cannot create the file
		want     error
	}{
		{name: "ErrReadOnly", blockDir: "-shm", want: ErrReadOnly},
		{name: "ErrIO", blockDir: "-wal", want: ErrIO},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			if err := os.Mkdir(path+tc.blockDir, 0o700); err != nil {
				t.Fatal(err)
			}
			db, err := Open(context.Background(), path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			var se *Error
			if !errors.Is(err, tc.want) || !errors.As(err, &se) || se.UserMessage() == "" || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want %v with a user message and the path", err, tc.want)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		code int
		want error
	}{
		{sqlite3.SQLITE_FULL, ErrDiskFull},
		{sqlite3.SQLITE_BUSY, ErrBusy},
		{sqlite3.SQLITE_BUSY_SNAPSHOT, ErrBusy},
		{sqlite3.SQLITE_LOCKED, ErrBusy},
		{sqlite3.SQLITE_READONLY, ErrReadOnly},
		{sqlite3.SQLITE_READONLY_DBMOVED, ErrReadOnly},
		{sqlite3.SQLITE_CANTOPEN, ErrCantOpen},
		{sqlite3.SQLITE_CANTOPEN_ISDIR, ErrCantOpen},
		{sqlite3.SQLITE_IOERR, ErrIO},
		{sqlite3.SQLITE_IOERR_WRITE, ErrIO},
		{sqlite3.SQLITE_ERROR, nil},
		{sqlite3.SQLITE_CONSTRAINT_UNIQUE, nil},
		{sqlite3.SQLITE_CORRUPT, nil},
	} {
		if got := kindOf(tc.code); got != tc.want {
			t.Errorf("kindOf(%d) = %v, want %v", tc.code, got, tc.want)
		}
		if tc.want != nil && userMessages[tc.want] == "" {
			t.Errorf("%v has no user message", tc.want)
		}
	}
}
