package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigrate0015 upgrades a database whose search index holds records'
// timestamps: after it they are no longer found by them, and still by
// everything else, before and after a record is rewritten.
func TestMigrate0015(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 14)
	if _, err := raw.Exec(`INSERT INTO records (object_type, id, properties) VALUES
		('contacts', '1', '{"email":"a@example.com","createdate":"2024-05-06T07:08:09.100Z","birthday":"1990-01-02"}'),
		('contacts', '2', '{"email":"b@example.com","createdate":"2025-05-06T07:08:09.100Z","firstname":null}')`); err != nil {
		t.Fatal(err)
	}
	var before int
	if err := raw.QueryRow(`SELECT count(*) FROM records_fts WHERE records_fts MATCH '"2024"'`).Scan(&before); err != nil || before != 1 {
		t.Fatalf("before 0015 the index should find the timestamp: %d, %v", before, err)
	}
	db := upgrade(t, raw, path)
	for _, tc := range []struct {
		search string
		want   []string
	}{
		{"2024", nil},
		{"07", nil},
		{"1990-01-02", []string{"1"}},
		{"a@example.com", []string{"1"}},
		{"example", []string{"2", "1"}},
	} {
		checkSearch(t, db, "contacts", tc.search, tc.want)
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "2", Properties: map[string]*string{
			"email": str("c@example.com"), "createdate": str("2025-05-06T07:08:09.100Z")}}})
	})
	checkSearch(t, db, "contacts", "2025", nil)
	checkSearch(t, db, "contacts", "c@example", []string{"2"})
	checkSearch(t, db, "contacts", "b@example", nil)
}
