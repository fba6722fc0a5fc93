package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigrate0019: records whose HTML bodies were indexed markup and all
// are found by their words alone after the upgrade; a value outside an HTML
// body keeps its markup words, and a body without markup is left alone.
func TestMigrate0019(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 18)
	// As the store writes it: '<' and '&' escaped, as Go's JSON does.
	if _, err := raw.Exec(`INSERT INTO records (rowid, object_type, id, properties) VALUES
		(1, 'notes', '1', '{"hs_note_body":"\u003cdiv style=\"color:red\"\u003eRenewal \u0026amp; pricing\u003c/div\u003e"}'),
		(2, 'emails', '2', '{"hs_email_html":"<p>Quarterly <a href=\"https://example.com/q3\">report</a></p>"}'),
		(3, 'notes', '3', '{"hs_note_body":"kiwi"}'),
		(4, 'contacts', '4', '{"bio":"\u003cspan\u003eRenewal\u003c/span\u003e"}');
		DELETE FROM search_pending;
		-- The index as 0018 wrote it: every value as it was.
		INSERT INTO records_fts (rowid, body) VALUES
		(1, '<div style="color:red">Renewal &amp; pricing</div>'),
		(2, '<p>Quarterly <a href="https://example.com/q3">report</a></p>'),
		(3, 'kiwi'),
		(4, '<span>Renewal</span>')`); err != nil {
		t.Fatal(err)
	}
	db := upgrade(t, raw, path)
	checkReindexed(t, db, []searchCase{
		{"notes", "renewal", []string{"1"}},
		{"notes", "pricing", []string{"1"}},
		{"notes", "div", nil},
		{"notes", "color", nil},
		{"notes", "amp", nil},
		{"notes", "kiwi", []string{"3"}},
		{"emails", "quarterly report", []string{"2"}},
		{"emails", "href", nil},
		{"emails", "example", nil},
		{"contacts", "span", []string{"4"}},
		{"contacts", "renewal", []string{"4"}},
	})
}

// TestSearchTextOfHTMLBodies: a record written now is indexed with its
// HTML bodies as their text, whether the text comes from EncodeRecords or
// from the stored column; other values keep every word.
func TestSearchTextOfHTMLBodies(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	props := map[string]*string{
		"hs_note_body":    str(`<style>p { font-family: Arial }</style><p>Call <b>Ada</b> &amp; Grace</p>`),
		"hs_note_subject": str("<em>Kickoff</em>"),
	}
	enc, err := EncodeRecords(1, []Record{{Type: "notes", ID: "1", Properties: props}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "Call Ada & Grace <em>Kickoff</em>"
	if got := enc.texts[0].text; got != want {
		t.Errorf("EncodeRecords' search text %q, want %q", got, want)
	}
	forgetSearchTexts() // computed again from the column
	if got := searchText(enc.texts[0].key.props, ""); got != want {
		t.Errorf("the stored column's search text %q, want %q", got, want)
	}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertEncoded(ctx, enc) })
	checkSearch(t, db, "notes", "grace", []string{"1"})
	checkSearch(t, db, "notes", "arial", nil)
	checkSearch(t, db, "notes", "kickoff", []string{"1"})
	checkSearch(t, db, "notes", "em", []string{"1"})
}

// searchCase is a search of a type's records and the ids it finds.
type searchCase struct {
	typ, input string
	want       []string
}

// checkReindexed checks a migration that indexes records again: after the
// Open that upgraded the file nothing is left pending, and each search
// finds what it must.
func checkReindexed(t *testing.T, db *DB, cases []searchCase) {
	t.Helper()
	if pending := countRows(t, db, "search_pending"); pending != 0 {
		t.Errorf("%d records still pending after Open", pending)
	}
	for _, c := range cases {
		checkSearch(t, db, c.typ, c.input, c.want)
	}
}
