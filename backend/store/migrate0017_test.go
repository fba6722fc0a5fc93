package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigrate0017: records indexed by the triggers before stay found, once
// each, and a rewrite after the upgrade replaces their text in the index.
func TestMigrate0017(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 16)
	if _, err := raw.Exec(`INSERT INTO records (object_type, id, properties) VALUES
		('notes', '1', '{"body":"kiwi"}'), ('notes', '2', '{"body":"kiwi lime"}')`); err != nil {
		t.Fatal(err)
	}
	db := upgrade(t, raw, path)
	checkSearch(t, db, "notes", "kiwi", []string{"2", "1"})
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "notes", ID: "2", Properties: map[string]*string{"body": str("lemon")}}})
	})
	checkSearch(t, db, "notes", "kiwi", []string{"1"})
	checkSearch(t, db, "notes", "lime", nil)
	checkSearch(t, db, "notes", "lemon", []string{"2"})
	if pending := countRows(t, db, "search_pending"); pending != 0 {
		t.Errorf("%d records pending after a transaction that did not defer", pending)
	}
}
