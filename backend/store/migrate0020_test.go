package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigrate0020: records whose custom HTML property (field type "html")
// was indexed markup and all are found by its words alone after the
// upgrade; a property not defined as HTML keeps its markup words, as does
// the same name on a type that does not define it as HTML.
func TestMigrate0020(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 19)
	if _, err := raw.Exec(`INSERT INTO properties (object_type, name, field_type) VALUES
		('contacts', 'bio', 'html'), ('contacts', 'summary', 'textarea'), ('p_projects', 'summary', 'html');
		INSERT INTO records (rowid, object_type, id, properties) VALUES
		(1, 'contacts', '1', '{"bio":"\u003cdiv style=\"color:red\"\u003eLoves \u0026amp; sails\u003c/div\u003e","summary":"\u003cem\u003eKeen\u003c/em\u003e"}'),
		(2, 'contacts', '2', '{"bio":"kiwi"}'),
		(3, 'p_projects', '3', '{"summary":"<p>Harbour <span>refit</span></p>"}'),
		(4, 'deals', '4', '{"summary":"<span>Renewal</span>"}');
		DELETE FROM search_pending;
		-- The index as 0019 wrote it: these values as they were.
		INSERT INTO records_fts (rowid, body) VALUES
		(1, '<div style="color:red">Loves &amp; sails</div> <em>Keen</em>'),
		(2, 'kiwi'),
		(3, '<p>Harbour <span>refit</span></p>'),
		(4, '<span>Renewal</span>')`); err != nil {
		t.Fatal(err)
	}
	db := upgrade(t, raw, path)
	checkReindexed(t, db, []searchCase{
		{"contacts", "loves sails", []string{"1"}},
		{"contacts", "div", nil},
		{"contacts", "color", nil},
		{"contacts", "amp", nil},
		{"contacts", "em", []string{"1"}}, // summary is no HTML property of contacts
		{"contacts", "keen", []string{"1"}},
		{"contacts", "kiwi", []string{"2"}},
		{"p_projects", "harbour refit", []string{"3"}},
		{"p_projects", "span", nil},
		{"deals", "span", []string{"4"}},
	})
}

// TestSearchTextOfHTMLDefinitions: a record written now is indexed with
// the properties its type defines as HTML as their text, whether the text
// comes from EncodeRecords (told the type's definitions) or, for one
// written without them (UpsertRecords), from the stored definitions when
// it is indexed; both texts are the same.
func TestSearchTextOfHTMLDefinitions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	defs := []Property{
		{ObjectType: "contacts", Name: "bio", FieldType: "html"},
		{ObjectType: "contacts", Name: "notes_html", FieldType: "html"},
		{ObjectType: "contacts", Name: "summary", FieldType: "textarea"},
	}
	inTx(t, db, func(tx *Tx) error { return tx.ReplaceProperties(ctx, "contacts", defs) })
	html := HTMLProperties(defs)
	if html != "bio,notes_html" {
		t.Fatalf("HTMLProperties = %q", html)
	}
	props := func(word string) map[string]*string {
		return map[string]*string{
			"bio":     str(`<style>p { font-family: Arial }</style><p>` + word + ` <b>Ada</b> &amp; Grace</p>`),
			"summary": str("<em>Kickoff</em>"),
		}
	}
	enc, err := EncodeRecords(1, []Record{{Type: "contacts", ID: "1", Properties: props("Met")}},
		map[string]string{"contacts": html})
	if err != nil {
		t.Fatal(err)
	}
	const want = "Met Ada & Grace <em>Kickoff</em>"
	if got := enc.texts[0].text; got != want {
		t.Errorf("EncodeRecords' search text %q, want %q", got, want)
	}
	var viaView string
	inTx(t, db, func(tx *Tx) error {
		if err := tx.UpsertEncoded(ctx, enc); err != nil {
			return err
		}
		// Written without the definitions: worked out when indexed.
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "contacts", ID: "2", Properties: props("Called")}})
	})
	forgetSearchTexts() // the view computes it again, from the stored definitions
	if err := db.SQL().QueryRow(`SELECT body FROM records_search_text WHERE rid =
		(SELECT rowid FROM records WHERE object_type = 'contacts' AND id = '1')`).Scan(&viaView); err != nil {
		t.Fatal(err)
	}
	if viaView != want {
		t.Errorf("the view's search text %q, want %q", viaView, want)
	}
	checkSearch(t, db, "contacts", "grace", []string{"2", "1"})
	checkSearch(t, db, "contacts", "called", []string{"2"})
	checkSearch(t, db, "contacts", "arial", nil)
	checkSearch(t, db, "contacts", "style", nil)
	checkSearch(t, db, "contacts", "kickoff", []string{"2", "1"})
	checkSearch(t, db, "contacts", "em", []string{"2", "1"})
}

// TestHTMLPropertiesAsTheViewListsThem: the view hands record_search_text
// a type's HTML definitions exactly as HTMLProperties lists them, so that
// the writer finds the texts EncodeRecords worked out instead of working
// each out again.
func TestHTMLPropertiesAsTheViewListsThem(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	defs := []Property{
		{ObjectType: "p_x", Name: "b_body", FieldType: "html"},
		{ObjectType: "p_x", Name: "Bio", FieldType: "html"},
		{ObjectType: "p_x", Name: "a.b", FieldType: "html"},
		{ObjectType: "p_x", Name: "a_b", FieldType: "html"},
		{ObjectType: "p_x", Name: "a-b", FieldType: "html"},
		{ObjectType: "p_x", Name: "name", FieldType: "text"},
	}
	inTx(t, db, func(tx *Tx) error {
		if err := tx.ReplaceProperties(ctx, "p_x", defs); err != nil {
			return err
		}
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "p_x", ID: "1", Properties: map[string]*string{"name": str("x")}}})
	})
	var stored string
	if err := db.SQL().QueryRow(`SELECT properties FROM records WHERE id = '1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	// A text only the cache holds: the view returns it if its key is the
	// one EncodeRecords remembers texts by.
	rememberSearchTexts([]searchTextEntry{{textKey{stored, HTMLProperties(defs)}, "from the cache"}})
	defer forgetSearchTexts()
	var body string
	if err := db.SQL().QueryRow(`SELECT body FROM records_search_text`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if body != "from the cache" {
		t.Errorf("the view worked the text out again (%q): its list of HTML properties is not %q", body, HTMLProperties(defs))
	}
}
