package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type migrationRow struct {
	Version   int
	AppliedAt int64
}

func migrationRows(t *testing.T, db *DB) []migrationRow {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []migrationRow
	for rows.Next() {
		var r migrationRow
		if err := rows.Scan(&r.Version, &r.AppliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateFromEmpty(t *testing.T) {
	db := openTest(t)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	got := migrationRows(t, db)
	if len(got) != len(ms) {
		t.Fatalf("recorded %d migrations, embedded %d", len(got), len(ms))
	}
	for i, m := range ms {
		if got[i].Version != m.version || got[i].AppliedAt == 0 {
			t.Errorf("row %d = %+v, want version %d with a time", i, got[i], m.version)
		}
	}
	for _, table := range []string{"runs", "run_streams", "checkpoints", "watermarks", "records",
		"records_fts", "associations", "properties", "owners", "pipelines", "pipeline_stages",
		"forms", "form_submissions", "email_events"} {
		var n int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = ?`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestMigrateReopenIsNoop(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hubextract.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	before := migrationRows(t, db)
	var schemaBefore string
	if err := db.SQL().QueryRow(`SELECT group_concat(sql, ';') FROM sqlite_schema`).Scan(&schemaBefore); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for i := 0; i < 2; i++ {
		db, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.migrate(ctx); err != nil { // and once more on the open handle
			t.Fatal(err)
		}
		if after := migrationRows(t, db); !reflect.DeepEqual(before, after) {
			t.Errorf("reopen %d: migration rows %v, want %v", i, after, before)
		}
		var schemaAfter string
		if err := db.SQL().QueryRow(`SELECT group_concat(sql, ';') FROM sqlite_schema`).Scan(&schemaAfter); err != nil {
			t.Fatal(err)
		}
		if schemaAfter != schemaBefore {
			t.Errorf("reopen %d changed the schema", i)
		}
		db.Close()
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hubextract.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	known := knownVersion(ms)
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 1)`, known+5); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a newer schema")
	}
	var tooNew *SchemaTooNewError
	if !errors.As(err, &tooNew) {
		t.Fatalf("err = %v (%T), want *SchemaTooNewError", err, err)
	}
	if tooNew.DBVersion != known+5 || tooNew.KnownVersion != known {
		t.Errorf("got %+v, want DBVersion %d KnownVersion %d", tooNew, known+5, known)
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Error("errors.Is(err, ErrSchemaTooNew) = false")
	}
	if !strings.Contains(err.Error(), "newer version of HubSpot Extractor") ||
		!strings.Contains(err.Error(), "please update the app") {
		t.Errorf("message %q is not the plain-words one", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("refusing the database changed its bytes")
	}
	for _, suffix := range []string{"-wal", "-journal"} {
		if fi, err := os.Stat(path + suffix); err == nil && fi.Size() > 0 {
			t.Errorf("refusing left a non-empty %s file", suffix)
		}
	}
}

func TestMigrationsAreOrdered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].version != 1 {
		t.Fatalf("first migration should be version 1, got %+v", ms)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].version <= ms[i-1].version {
			t.Errorf("%s comes after %s", ms[i].name, ms[i-1].name)
		}
	}
}
