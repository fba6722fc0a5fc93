package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
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
	// 0004 recreates records_fts and the triggers that keep it.
	for _, name := range []string{"runs", "run_streams", "checkpoints", "watermarks", "records",
		"records_fts", "records_fts_insert", "records_fts_update", "records_fts_delete",
		"associations", "properties", "owners", "pipelines", "pipeline_stages",
		"forms", "form_submissions", "email_events"} {
		var n int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = ?`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s missing", name)
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

// createAtVersion creates a database at path holding the embedded migrations
// up to version, recorded as migrate records them: the file an older version
// upgrade closes raw, a database createAtVersion made, and opens path
// with Open, which brings it up to date; the test closes it at its end.
func upgrade(t *testing.T, raw *sql.DB, path string) *DB {
	t.Helper()
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// of the app left behind.
func createAtVersion(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path+"?"+dsnParams)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, err := raw.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version > version {
			break
		}
		if _, err := raw.Exec(m.sql); err != nil {
			t.Fatalf("migration %s: %v", m.name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 1)`, m.version); err != nil {
			t.Fatal(err)
		}
	}
	return raw
}

// TestMigrate0004KeepsSearch upgrades a database of schema 0003 with records
// in it: 0004 rebuilds the search index with prefix indexes, and every search
// must find what it found before, records written afterwards included.
func TestMigrate0004KeepsSearch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hubextract.db")
	raw := createAtVersion(t, path, 3)
	for _, r := range []struct{ typ, id, props string }{
		{"contacts", "1", `{"firstname":"José","lastname":"Müller","email":"jose@acme.example","phone":null}`},
		{"contacts", "2", `{"firstname":"Zoë","city":"Zürich","note":"東京 office"}`},
		{"contacts", "3", `{"firstname":"Ann","email":"ann@other.example"}`},
		{"contacts", "4", `{}`},
		{"companies", "1", `{"name":"Acme José Inc","domain":"acme.example"}`},
	} {
		// updated_at is the id: a page lists the highest id first.
		if _, err := raw.Exec(`INSERT INTO records (object_type, id, properties, updated_at) VALUES (?, ?, ?, ?)`,
			r.typ, r.id, r.props, r.id); err != nil {
			t.Fatal(err)
		}
	}
	searches := []struct {
		search string
		want   []string
	}{
		{"j", []string{"1"}},
		{"jo", []string{"1"}},
		{"José", []string{"1"}},
		{"jose@acme.exa", []string{"1"}},
		{"jose@acme.example", []string{"1"}},
		{"ann@oth", []string{"3"}},
		{"exampl", []string{"3", "1"}},
		{"zo zür", []string{"2"}},
		{"東", []string{"2"}},
		{"acme", []string{"1"}},
		{"inc", nil},
		{"nobody", nil},
		{"", []string{"4", "3", "2", "1"}},
	}
	// What schema 0003 finds, read with the same code before the upgrade.
	old := newDB(raw, path)
	for _, tc := range searches {
		checkSearch(t, old, "contacts", tc.search, tc.want)
	}
	db := upgrade(t, raw, path)
	var versions []int
	for _, r := range migrationRows(t, db) {
		versions = append(versions, r.Version)
	}
	// Every migration since 0004 runs too: the recorded versions are those
	// this binary carries (a number may be skipped).
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, m := range ms {
		want = append(want, m.version)
	}
	if !reflect.DeepEqual(versions, want) {
		t.Fatalf("migrations recorded %v, want %v", versions, want)
	}
	var ftsSQL string
	if err := db.SQL().QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'records_fts'`).Scan(&ftsSQL); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ftsSQL, "prefix = '1 2 3 4 5 6'") {
		t.Errorf("records_fts after the upgrade: %s", ftsSQL)
	}
	// Every record is indexed again, the one without properties included.
	var records, indexed int
	if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM records_fts)`).Scan(&records, &indexed); err != nil {
		t.Fatal(err)
	}
	if records != 5 || indexed != records {
		t.Errorf("%d records, %d indexed after the upgrade; want 5 and 5", records, indexed)
	}
	for _, tc := range searches {
		t.Run("upgraded "+tc.search, func(t *testing.T) { checkSearch(t, db, "contacts", tc.search, tc.want) })
	}
	for _, tc := range []struct{ typ, search string }{{"companies", "jos"}, {"companies", "acme.ex"}} {
		checkSearch(t, db, tc.typ, tc.search, []string{"1"})
	}

	// The recreated triggers index what is written after the upgrade.
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{
			{Type: "contacts", ID: "3", UpdatedAt: time.UnixMilli(3), Properties: map[string]*string{"email": str("ann@new.example")}},
			{Type: "contacts", ID: "5", UpdatedAt: time.UnixMilli(5), Properties: map[string]*string{"firstname": str("Joanna")}},
		})
	})
	if _, err := db.SQL().Exec(`DELETE FROM records WHERE object_type = 'contacts' AND id = '1'`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		search string
		want   []string
	}{
		{"jo", []string{"5"}},
		{"ann@oth", nil},
		{"ann@ne", []string{"3"}},
		{"exampl", []string{"3"}},
		{"mü", nil},
	} {
		t.Run("written after "+tc.search, func(t *testing.T) { checkSearch(t, db, "contacts", tc.search, tc.want) })
	}
}

// TestMigrate0006MarksStoredProperties upgrades a database of schema 0005
// with property definitions in it: 0006 adds their level of sensitivity,
// and every definition stored before (all listed without dataSensitivity,
// so all non-sensitive) reads back unchanged and non-sensitive, while new
// ones keep the level they are written with.
func TestMigrate0006MarksStoredProperties(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 5)
	if _, err := raw.Exec(`INSERT INTO properties (object_type, name, label, type, field_type, group_name,
		display_order, options, hidden) VALUES
		('contacts', 'email', 'Email', 'string', 'text', 'contactinformation', 1, '[]', 0),
		('deals', 'dealstage', 'Deal stage', 'enumeration', 'select', '', 2,
			'[{"label":"Won","value":"won","displayOrder":1,"hidden":false}]', 1)`); err != nil {
		t.Fatal(err)
	}
	db := upgrade(t, raw, path)
	if rows := migrationRows(t, db); len(rows) < 6 || rows[5].Version != 6 {
		t.Fatalf("migrations recorded %+v, want 1 to 6", rows)
	}
	for _, tc := range []struct {
		typ  string
		want []Property
	}{
		{"contacts", []Property{{ObjectType: "contacts", Name: "email", Label: "Email", Type: "string",
			FieldType: "text", GroupName: "contactinformation", DisplayOrder: 1, Options: []Option{},
			Sensitivity: NonSensitive}}},
		{"deals", []Property{{ObjectType: "deals", Name: "dealstage", Label: "Deal stage", Type: "enumeration",
			FieldType: "select", DisplayOrder: 2, Hidden: true, Options: []Option{{Label: "Won", Value: "won", DisplayOrder: 1}},
			Sensitivity: NonSensitive}}},
	} {
		got, err := db.Properties(ctx, tc.typ)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s after 0006\n got %+v\nwant %+v", tc.typ, got, tc.want)
		}
	}
	// The next extraction writes levels into the upgraded table.
	ssn := Property{ObjectType: "contacts", Name: "ssn", Label: "SSN", Options: []Option{}, Sensitivity: "highly_sensitive"}
	inTx(t, db, func(tx *Tx) error { return tx.ReplaceProperties(ctx, "contacts", []Property{ssn}) })
	if got, err := db.Properties(ctx, "contacts"); err != nil || !reflect.DeepEqual(got, []Property{ssn}) {
		t.Errorf("contacts written after 0006 = %+v (%v), want %+v", got, err, ssn)
	}
}
