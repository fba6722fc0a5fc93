package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// viewBefore0018 is the search text as migration 0015 defined it in SQL,
// which record_search_text must reproduce.
const viewBefore0018 = `SELECT (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(r.properties)
	WHERE value IS NOT NULL
	  AND value NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]*')
	FROM records r WHERE r.object_type = 'notes' AND r.id = ?`

// TestSearchTextAsBefore: the text worked out in Go, both the one
// EncodeRecords remembers and the one computed from the stored column,
// is the text the SQL view of 0015 gave.
func TestSearchTextAsBefore(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cases := []map[string]*string{
		{},
		{"a": nil, "b": nil},
		{"body": str("")},
		{"b": str("second"), "a": str("first"), "B": str("capital first"), "a_b": str("after a")},
		{"createdate": str("2024-07-15T07:22:19.085Z"), "birthday": str("1973-02-21"), "name": str("Ann")},
		{"short": str("2024-07-15T07:2"), "spaced": str("2024-07-15 07:22:19"), "letter": str("2024-07-1xT07:22")},
		{"company": str(`Müller & Söhne "GmbH"`), "note": str("<p>Réunion à 14h — café ☕</p>\nline\ttab \\ slash")},
		{"empty": str(""), "nil": nil, "zero": str("0"), "x": str("true")},
	}
	for i, props := range cases {
		id := fmt.Sprint(i + 1)
		rec := Record{Type: "notes", ID: id, Properties: props}
		enc, err := EncodeRecords(1, []Record{rec}, nil)
		if err != nil {
			t.Fatal(err)
		}
		inTx(t, db, func(tx *Tx) error { return tx.UpsertEncoded(ctx, enc) })
		var stored, want, viaView string
		if err := db.SQL().QueryRow(`SELECT properties FROM records WHERE object_type = 'notes' AND id = ?`, id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL().QueryRow(viewBefore0018, id).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL().QueryRow(`SELECT body FROM records_search_text WHERE rid =
			(SELECT rowid FROM records WHERE object_type = 'notes' AND id = ?)`, id).Scan(&viaView); err != nil {
			t.Fatal(err)
		}
		remembered := enc.texts[0]
		if remembered.key.props != stored {
			t.Errorf("case %d: remembered for %q, stored %q", i, remembered.key.props, stored)
		}
		forgetSearchTexts()
		for name, got := range map[string]string{"remembered": remembered.text, "computed": searchText(stored, ""), "view": viaView} {
			if got != want {
				t.Errorf("case %d %v: %s text %q, want %q", i, props, name, got, want)
			}
		}
	}
	// A column another tool wrote in a shape the store does not: found by
	// its text as it is.
	if got, raw := searchText(`{"n": 5}`, ""), `{"n": 5}`; got != raw {
		t.Errorf("foreign column: text %q, want %q", got, raw)
	}
}

func TestIsTimestamp(t *testing.T) {
	for v, want := range map[string]bool{
		"2024-07-15T07:22:19.085Z": true,
		"2024-07-15T07:22":         true,
		"2024-07-15T07:2":          false,
		"2024-07-15 07:22:19":      false,
		"1973-02-21":               false,
		"２024-07-15T07:22":         false, // a digit, but not ASCII
		"x2024-07-15T07:22":        false,
		"":                         false,
	} {
		if got := isTimestamp(v); got != want {
			t.Errorf("isTimestamp(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestSearchTextsBounded: records rewritten unchanged are not indexed
// again; the texts they leave behind are bounded, and dropped by the next
// indexing.
func TestSearchTextsBounded(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	recs := make([]Record, maxSearchTexts+maxSearchTexts/5)
	for i := range recs {
		recs[i] = Record{Type: "notes", ID: fmt.Sprint(i), Properties: map[string]*string{"body": str(fmt.Sprint("note ", i))}}
	}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) })
	// Written again unchanged, by a writer that defers the indexing: nothing
	// is pending, nothing is indexed.
	for page := range slices.Chunk(recs, 1000) {
		inTx(t, db, func(tx *Tx) error {
			tx.DeferSearchIndex(100)
			return tx.UpsertRecords(ctx, 1, page)
		})
		if n := heldSearchTexts(); n > maxSearchTexts {
			t.Fatalf("%d search texts held, bound %d", n, maxSearchTexts)
		}
	}
	if n := heldSearchTexts(); n == 0 {
		t.Fatal("no search text held after unchanged rewrites")
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "notes", ID: "new", Properties: map[string]*string{"body": str("fresh")}}})
	})
	if n := heldSearchTexts(); n != 0 {
		t.Errorf("%d search texts held after an indexing", n)
	}
	checkSearch(t, db, "notes", "fresh", []string{"new"})
}

func heldSearchTexts() int {
	searchTexts.Lock()
	defer searchTexts.Unlock()
	return len(searchTexts.m)
}

// TestMigrate0018: records indexed before stay found, and records written
// after are indexed through the function.
func TestMigrate0018(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 17)
	if _, err := raw.Exec(`INSERT INTO records (object_type, id, properties) VALUES
		('notes', '1', '{"body":"kiwi","hs_timestamp":"2024-07-15T07:22:19.085Z"}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO records_fts (rowid, body) SELECT rid, body FROM records_search_text
		WHERE rid IN (SELECT rid FROM search_pending); DELETE FROM search_pending`); err != nil {
		t.Fatal(err)
	}
	db := upgrade(t, raw, path)
	checkSearch(t, db, "notes", "kiwi", []string{"1"})
	checkSearch(t, db, "notes", "2024", nil)
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "notes", ID: "2", Properties: map[string]*string{
			"body": str("kiwi lime"), "hs_timestamp": str("2024-07-15T07:22:19.085Z")}}})
	})
	checkSearch(t, db, "notes", "kiwi", []string{"2", "1"})
	checkSearch(t, db, "notes", "lime", []string{"2"})
	checkSearch(t, db, "notes", "2024", nil)
}
