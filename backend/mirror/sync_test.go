package mirror

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

func syncOK(t *testing.T, db *store.DB, opts Options) Summary {
	t.Helper()
	sum, err := Sync(context.Background(), db, opts)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return sum
}

// TestSyncFullThenIncremental: the first sync sends everything, typed; a
// second one with nothing changed sends nothing; edits, an archive, a
// deletion, a removed association and a new property are sent by the next.
func TestSyncFullThenIncremental(t *testing.T) {
	ctx := context.Background()
	db := testkit.OpenDB(t)
	writeFixture(t, db, 30)
	_, url := testkit.SharedPostgres(t).NewDatabase(t)
	opts := Options{URL: url, Batch: 7} // several batches, each its own transaction

	sum := syncOK(t, db, opts)
	if sum.Changes == 0 || sum.Rows < 32 || sum.Unreadable != 1 || sum.Schema != DefaultSchema {
		t.Errorf("first sync: %+v; want every change, >= 32 rows, the one unreadable number", sum)
	}
	checkMirror(t, db, url, DefaultSchema)

	again := syncOK(t, db, opts)
	if again.Changes != 0 {
		t.Errorf("sync with nothing changed sent %d changes", again.Changes)
	}

	err := db.TransactionContext(ctx, func(tx *store.Tx) error {
		props := append(append([]store.Property(nil), fixtureProps...), store.Property{Name: "score", Type: "number"})
		// email becomes sensitive: its column stays, its values go.
		props[0].Sensitivity = "sensitive"
		if err := tx.ReplaceProperties(ctx, "contacts", props); err != nil {
			return err
		}
		r, err := db.Record(ctx, "contacts", "5")
		if err != nil {
			return err
		}
		r.Properties["email"], r.Properties["score"] = sp("new@example.com"), sp("99.5")
		archived, err := db.Record(ctx, "contacts", "6")
		if err != nil {
			return err
		}
		archived.Archived, archived.ArchivedAt = true, time.UnixMilli(1710000000000)
		if err := tx.UpsertRecords(ctx, 2, []store.Record{r, archived}); err != nil {
			return err
		}
		// A pair gone from both sides, and a pair gone from one side only.
		if err := tx.ReplaceAssociations(ctx, "contacts", []string{"2"}, []string{"companies"}, nil); err != nil {
			return err
		}
		return tx.ReplaceAssociations(ctx, "companies", []string{"9"}, []string{"contacts"}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM records WHERE object_type = 'contacts' AND id = '7'`); err != nil {
		t.Fatal(err)
	}
	inc := syncOK(t, db, opts)
	// contacts 5 and 6 and 7, two association pairs, the definitions.
	if inc.Changes != 6 {
		t.Errorf("incremental sync: %d changes, want 6", inc.Changes)
	}
	checkMirror(t, db, url, DefaultSchema)
}

// TestSyncResumesAfterCut: a sync stopped mid-way (its context cancelled,
// or its connection killed by the server) keeps its committed batches, and
// the next one finishes with the same mirror as an uninterrupted sync.
func TestSyncResumesAfterCut(t *testing.T) {
	cuts := []struct {
		name string
		cut  func(cancel context.CancelFunc, url string)
		want Reason
	}{
		{"cancelled", func(cancel context.CancelFunc, _ string) { cancel() }, ""},
		{"server ends the connection", func(_ context.CancelFunc, url string) {
			conn, err := pgx.Connect(context.Background(), url)
			if err != nil {
				panic(err)
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
				panic(err)
			}
		}, ConnectionLost},
	}
	for _, c := range cuts {
		t.Run(c.name, func(t *testing.T) {
			db := testkit.OpenDB(t)
			writeFixture(t, db, 40)
			_, url := testkit.SharedPostgres(t).NewDatabase(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			batches := 0
			_, err := Sync(ctx, db, Options{URL: url, Batch: 5, Progress: func(done, total int64) {
				if done > 0 {
					batches++
				}
				if batches == 2 {
					c.cut(cancel, url)
				}
			}})
			var mErr *Error
			switch {
			case err == nil:
				t.Fatal("the cut sync succeeded")
			case c.want == "" && !errors.Is(err, context.Canceled):
				t.Fatalf("cancelled sync: %v", err)
			case c.want != "" && (!errors.As(err, &mErr) || mErr.Reason != c.want):
				t.Fatalf("cut sync: %v, want reason %s", err, c.want)
			}
			// Two batches committed, not more and not less.
			conn, err := pgx.Connect(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			var seq int64
			if err := conn.QueryRow(context.Background(), `SELECT seq FROM hubspot._hubextract_sync`).Scan(&seq); err != nil {
				t.Fatal(err)
			}
			conn.Close(context.Background())
			first, err := db.Changes(context.Background(), 0, 10)
			if err != nil || seq != first[9].Seq {
				t.Errorf("mark after the cut: %d, want the 10th change's %d (%v)", seq, first[9].Seq, err)
			}
			sum := syncOK(t, db, Options{URL: url, Batch: 5})
			total, _ := db.CountChanges(context.Background(), 0)
			if sum.Changes != total-10 {
				t.Errorf("resumed sync applied %d changes, want the %d left", sum.Changes, total-10)
			}
			checkMirror(t, db, url, DefaultSchema)
		})
	}
}

// TestSyncOwnSchema: a schema named by the user, quoted whatever it holds,
// and a second database refused in a schema that mirrors the first.
func TestSyncOwnSchema(t *testing.T) {
	db := testkit.OpenDB(t)
	writeFixture(t, db, 3)
	_, url := testkit.SharedPostgres(t).NewDatabase(t)
	schema := `Team "CRM"`
	syncOK(t, db, Options{URL: url, Schema: schema})
	checkMirror(t, db, url, schema)

	other := testkit.OpenDB(t)
	writeFixture(t, other, 3)
	_, err := Sync(context.Background(), other, Options{URL: url, Schema: schema})
	var mErr *Error
	if !errors.As(err, &mErr) || mErr.Reason != OtherSource {
		t.Errorf("another database into the same schema: %v, want %s", err, OtherSource)
	}
}
