package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestMigrate0014 upgrades a database holding records: the export's
// property names are found from what was stored before the upgrade, and
// the search index takes its new merge setting.
func TestMigrate0014(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 13)
	if _, err := raw.Exec(`INSERT INTO records (object_type, id, properties) VALUES
		('contacts', '1', '{"email":"a@example.com","firstname":null}'),
		('contacts', '2', '{"email":"b@example.com","lastname":"Zoë"}'),
		('deals', '7', '{"amount":"5"}')`); err != nil {
		t.Fatal(err)
	}
	db := upgrade(t, raw, path)
	for _, tc := range []struct {
		typ  string
		want []string
	}{
		{"contacts", []string{"email", "firstname", "lastname"}},
		{"deals", []string{"amount"}},
		{"tickets", nil},
	} {
		got, err := db.RecordPropertyNames(ctx, tc.typ)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("RecordPropertyNames(%s) = %q, %v; want %q", tc.typ, got, err, tc.want)
		}
	}
	var automerge int
	if err := db.SQL().QueryRow(`SELECT v FROM records_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil || automerge != 16 {
		t.Errorf("records_fts automerge = %d, %v; want 16", automerge, err)
	}
	// The index still finds what was stored before.
	recs, _, err := db.RecordsPage(ctx, RecordQuery{Type: "contacts", Search: "zoe"})
	if err != nil || len(recs) != 1 || recs[0].ID != "2" {
		t.Errorf("search zoe after 0014: %v, %v", recordIDs(recs), err)
	}
}
