package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
)

// openTest opens a fresh database file in a temporary folder.
func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "hubextract.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// inTx runs fn in a transaction and fails the test on error.
func inTx(t testing.TB, db *DB, fn func(tx *Tx) error) {
	t.Helper()
	if err := db.TransactionContext(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func str(s string) *string { return &s }

func TestOpenPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "hubextract")
	path := filepath.Join(dir, "hubextract.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	// A write makes SQLite create the WAL files: they must be private too.
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(context.Background(), 1, []Record{{Type: "contacts", ID: "1"}})
	})
	for _, tc := range []struct {
		path string
		want os.FileMode
	}{
		{dir, 0o700},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tc.want {
			t.Errorf("%s mode = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestOpenTightensExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loose.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v, want 0600", got)
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		setup   func(path string) error
		path    string // overrides the temp path when set
		wantErr string
	}{
		{
			name:    "ErrNotSQLite",
			setup:   func(path string) error { return os.WriteFile(path, []byte(strings.Repeat("hello ", 200)), 0o600) },
			wantErr: "not a SQLite database",
		},
		{
			name: "ErrOtherProgram",
			setup: func(path string) error {
				db, err := Open(ctx, path)
				if err != nil {
					return err
				}
				defer db.Close()
				_, err = db.SQL().Exec(`DROP TABLE schema_migrations`)
				return err
			},
			wantErr: "another program",
		},
		{name: "ErrQuestionMark", path: "a?b.db", wantErr: "must not contain"},
		{name: "ErrEmptyPath", path: "-", wantErr: "empty path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			switch tc.path {
			case "":
			case "-":
				path = ""
			default:
				path = filepath.Join(t.TempDir(), tc.path)
			}
			if tc.setup != nil {
				if err := tc.setup(path); err != nil {
					t.Fatal(err)
				}
			}
			db, err := Open(ctx, path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not say %q", err, tc.wantErr)
			}
		})
	}
}

// Each pooled connection must carry the pragmas, not only the first one.
func TestPragmasOnEveryConnection(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const n = 4
	for i := 0; i < n; i++ {
		// Holding every connection open forces the pool to make new ones.
		conn, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, tc := range []struct {
			pragma string
			want   string
		}{
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"busy_timeout", "10000"},
			{"synchronous", "1"}, // NORMAL
		} {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("conn %d: PRAGMA %s = %q, want %q", i, tc.pragma, got, tc.want)
			}
		}
	}
	if got := db.SQL().Stats().OpenConnections; got < n {
		t.Errorf("only %d connections were opened, want %d", got, n)
	}
}

func TestTransactionContext(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	rec := Record{Type: "contacts", ID: "1", Properties: map[string]*string{"email": str("a@b.c")}}
	for _, tc := range []struct {
		name    string
		fn      func(tx *Tx) error
		panics  bool
		wantErr error
		wantRow bool
	}{
		{name: "OK", fn: func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, []Record{rec}) }, wantRow: true},
		{name: "ErrRollsBack", wantErr: boom, fn: func(tx *Tx) error {
			if err := tx.UpsertRecords(ctx, 1, []Record{rec}); err != nil {
				return err
			}
			return boom
		}},
		{name: "PanicRollsBack", panics: true, fn: func(tx *Tx) error {
			if err := tx.UpsertRecords(ctx, 1, []Record{rec}); err != nil {
				return err
			}
			panic(boom)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			func() {
				defer func() {
					if p := recover(); (p != nil) != tc.panics {
						t.Errorf("panic = %v, want panic %v", p, tc.panics)
					}
				}()
				if err := db.TransactionContext(ctx, tc.fn); !errors.Is(err, tc.wantErr) {
					t.Errorf("err = %v, want %v", err, tc.wantErr)
				}
			}()
			active, _, err := db.CountRecords(ctx, "contacts")
			if err != nil {
				t.Fatal(err)
			}
			if got := active == 1; got != tc.wantRow {
				t.Errorf("record stored = %v, want %v", got, tc.wantRow)
			}
			// The connection went back to the pool usable.
			inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, []Record{rec}) })
		})
	}
}

// Writers on several pooled connections queue on the write lock instead of
// failing with SQLITE_BUSY, even when a transaction reads before it writes.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const writers, txs = 4, 15
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		go func() {
			for i := 0; i < txs; i++ {
				id := strconv.Itoa(w*txs + i)
				err := db.TransactionContext(ctx, func(tx *Tx) error {
					if err := tx.AddAssociations(ctx, []Association{assoc("contacts", "1", "companies", "2", unlabeled)}); err != nil {
						return err
					}
					return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: id}})
				})
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < writers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if active, _, err := db.CountRecords(ctx, "contacts"); err != nil || active != writers*txs {
		t.Errorf("stored %d records (%v), want %d", active, err, writers*txs)
	}
}

// A write that waits is not starved by an extraction committing page after
// page: writes take turns in the order they came, and one that stops
// waiting (its context ended) leaves the queue at once. SQLite's busy
// handler alone polls, and a writer looping on the lock could win it every
// time until the waiting one gave up with SQLITE_BUSY.
func TestWritesTakeTurns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		db := openTest(t)
		var mu sync.Mutex
		var order []string
		write := func(who string) error {
			return db.TransactionContext(ctx, func(tx *Tx) error {
				mu.Lock()
				order = append(order, who)
				id := strconv.Itoa(len(order))
				mu.Unlock()
				return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: id}})
			})
		}
		// The extraction: its first transaction stays open until release,
		// then it commits twice more at once.
		release := make(chan struct{})
		pages := make(chan error, 1)
		go func() {
			err := db.TransactionContext(ctx, func(tx *Tx) error {
				<-release
				return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "page"}})
			})
			for i := 0; i < 2 && err == nil; i++ {
				err = write("page")
			}
			pages <- err
		}()
		synctest.Wait()
		// A write whose caller gave up leaves without writing.
		gone, cancel := context.WithCancel(ctx)
		left := make(chan error, 1)
		go func() { left <- db.TransactionContext(gone, func(*Tx) error { return errors.New("ran") }) }()
		synctest.Wait()
		cancel()
		if err := <-left; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled write: %v, want context.Canceled", err)
		}
		settings := make(chan error, 1)
		go func() { settings <- write("settings") }()
		synctest.Wait()
		close(release)
		if err := <-pages; err != nil {
			t.Fatal(err)
		}
		if err := <-settings; err != nil {
			t.Fatal(err)
		}
		if want := []string{"settings", "page", "page"}; !slices.Equal(order, want) {
			t.Errorf("writes after the open transaction went %v, want %v", order, want)
		}
	})
}

// corrupt overwrites the data pages in the middle of a real database, as a
// bad disk or a careless copy would, leaving its header and schema intact.
func corrupt(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, bigRecords("c", 40)) })
	var pageSize, pages int64
	if err := db.SQL().QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	db.Close() // checkpoints the WAL into the file
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	pages = st.Size() / pageSize
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("\xa5", int(pageSize)))
	for p := pages / 3; p < pages-1; p += 2 {
		if _, err := f.WriteAt(junk, p*pageSize); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// snapshot is what Open must not change about a file: its bytes and mode.
type snapshot struct {
	data []byte
	mode os.FileMode
}

func take(t *testing.T, path string) snapshot {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{data, st.Mode()}
}

// Open and OpenReadOnly refuse, with a typed error, a file they cannot use,
// and leave it exactly as it was: same bytes, same mode, no WAL beside it.
func TestOpen_RefusesAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, path string)
		want    error
		message string // in the UserMessage
	}{
		{name: "NotSQLite", setup: func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("name,email\n", 50)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, want: ErrNotDatabase, message: "not a HubSpot Extractor database"},
		{name: "Corrupt", setup: corrupt, want: ErrCorrupt, message: "restore it from a backup, or start a new file"},
		{name: "CorruptSchema", setup: func(t *testing.T, path string) {
			// The schema's own page (page 1, past the file header): even
			// listing the tables fails.
			corrupt(t, path)
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteAt([]byte(strings.Repeat("\xa5", 1000)), 100); err != nil {
				t.Fatal(err)
			}
		}, want: ErrCorrupt, message: "restore it from a backup, or start a new file"},
	} {
		for _, open := range []struct {
			name string
			fn   func(context.Context, string) (*DB, error)
		}{{"Open", Open}, {"OpenReadOnly", OpenReadOnly}} {
			t.Run(tc.name+"/"+open.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "x.db")
				tc.setup(t, path)
				before := take(t, path)
				db, err := open.fn(ctx, path)
				if err == nil {
					db.Close()
					t.Fatal("opened")
				}
				if !errors.Is(err, tc.want) {
					t.Errorf("error %v, want %v", err, tc.want)
				}
				var um interface{ UserMessage() string }
				if !errors.As(err, &um) || !strings.Contains(um.UserMessage(), tc.message) {
					t.Errorf("error %v has no message saying %q", err, tc.message)
				}
				if tc.want == ErrCorrupt && !strings.Contains(um.UserMessage(), path) {
					t.Errorf("message %q does not name the file", um.UserMessage())
				}
				after := take(t, path)
				if after.mode != before.mode || !bytes.Equal(after.data, before.data) {
					t.Errorf("the file changed: mode %v -> %v, %d -> %d bytes", before.mode, after.mode, len(before.data), len(after.data))
				}
				if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
					t.Errorf("a WAL of %d bytes was written beside it", st.Size())
				}
			})
		}
	}
}

// The integrity check stops at IntegrityBudget: a file too big to scan in
// time is opened rather than refused.
func TestOpen_IntegrityBudget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	corrupt(t, path)
	old := IntegrityBudget
	IntegrityBudget = 0
	t.Cleanup(func() { IntegrityBudget = old })
	db, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatalf("OpenReadOnly with no time to check: %v", err)
	}
	db.Close()
}

// OpenReadOnly never creates, migrates or writes: a missing file stays
// missing, an empty one empty, an older schema is refused with what to do,
// and a good database is read but cannot be written through.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path string)
		want  error
		say   string
	}{
		{name: "Missing", setup: func(*testing.T, string) {}, want: fs.ErrNotExist},
		{name: "Empty", setup: func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, want: ErrNeedsUpgrade, say: "run 'hubextract extract' or open the app first"},
		{name: "OlderSchema", setup: func(t *testing.T, path string) {
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.SQL().Exec(`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
				t.Fatal(err)
			}
		}, want: ErrNeedsUpgrade, say: "older layout"},
		{name: "OtherProgram", setup: func(t *testing.T, path string) {
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.SQL().Exec(`DROP TABLE schema_migrations`); err != nil {
				t.Fatal(err)
			}
		}, want: ErrNotDatabase},
		{name: "Folder", setup: func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, want: ErrNotDatabase},
		{name: "Device", setup: func(t *testing.T, path string) {
			if err := os.Symlink("/dev/null", path); err != nil {
				t.Fatal(err)
			}
		}, want: ErrNotDatabase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			tc.setup(t, path)
			before, _ := os.Lstat(path)
			db, err := OpenReadOnly(ctx, path)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.say) {
				t.Errorf("error %v, want %v saying %q", err, tc.want, tc.say)
			}
			after, _ := os.Lstat(path)
			switch {
			case (before == nil) != (after == nil):
				t.Errorf("the file appeared or vanished: %v -> %v", before, after)
			case before != nil && (before.Size() != after.Size() || before.Mode() != after.Mode() || !before.ModTime().Equal(after.ModTime())):
				t.Errorf("the file changed: %v %v -> %v %v", before.Size(), before.Mode(), after.Size(), after.Mode())
			}
		})
	}

	t.Run("Reads", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "1"}}) })
		db.Close()
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		ro, err := OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if active, _, err := ro.CountRecords(ctx, "contacts"); err != nil || active != 1 {
			t.Errorf("CountRecords = %d, %v; want 1", active, err)
		}
		err = ro.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, []Record{{Type: "contacts", ID: "2"}}) })
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("a write through OpenReadOnly: %v, want ErrReadOnly", err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o400 {
			t.Errorf("mode = %v, want 0400 kept", st.Mode().Perm())
		}
	})
}

// TestPageSize: a new database is made of 16 KB pages, in WAL mode; one an
// earlier version made of 4 KB pages keeps them, and works as before.
// Neither keeps statement journals in memory (see dsnParams).
func TestPageSize(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	earlier := filepath.Join(dir, "earlier.db")
	raw, err := sql.Open("sqlite", earlier+"?_pragma=page_size(4096)&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	createAtVersion(t, earlier, math.MaxInt).Close()

	for _, tt := range []struct {
		name string
		path string
		want int
	}{
		{"new", filepath.Join(dir, "new.db"), 16384},
		{"earlier", earlier, 4096},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var size int
			var mode string
			if err := db.SQL().QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
				t.Fatal(err)
			}
			if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if size != tt.want || mode != "wal" {
				t.Errorf("page size %d, journal %q; want %d, wal", size, mode, tt.want)
			}
			var temp int
			if err := db.SQL().QueryRow(`PRAGMA temp_store`).Scan(&temp); err != nil || temp == 2 {
				t.Errorf("temp_store %d (%v), want a file (0 or 1), not memory (2)", temp, err)
			}
			recs := bigRecords("c", 30)
			inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) })
			if n, err := db.CountExportRows(ctx, "contacts"); err != nil || n != int64(len(recs)) {
				t.Errorf("%d records stored (%v), want %d", n, err, len(recs))
			}
		})
	}
}

// queryPlan is query's EXPLAIN QUERY PLAN, a detail line per step.
func queryPlan(t *testing.T, db *DB, query string) []string {
	t.Helper()
	rows, err := db.SQL().Query(`EXPLAIN QUERY PLAN ` + query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
