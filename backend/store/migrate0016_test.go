package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigrate0016: a database that has logged changes (one a mirror may
// read) goes on logging every change; one that has logged nothing logs
// nothing until KeepChangeLog.
func TestMigrate0016(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		records  string // inserted at version 15, when every write was logged
		wantKept bool
	}{
		{name: "Logged", records: `('contacts', '1', '{}')`, wantKept: true},
		{name: "Empty", wantKept: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			raw := createAtVersion(t, path, 15)
			if tc.records != "" {
				if _, err := raw.Exec(`INSERT INTO records (object_type, id, properties) VALUES ` + tc.records); err != nil {
					t.Fatal(err)
				}
			}
			db := upgrade(t, raw, path)
			before, err := db.CountChanges(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "2"}}) })
			after, err := db.CountChanges(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if kept := after > before; kept != tc.wantKept {
				t.Errorf("a write after the upgrade logged: %v, want %v (changes %d -> %d)", kept, tc.wantKept, before, after)
			}
		})
	}
}
