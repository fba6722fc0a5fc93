package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFTS5Available(t *testing.T) {
	db := openTest(t)
	var enabled int
	if err := db.SQL().QueryRow(`SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&enabled); err != nil {
		t.Fatal(err)
	}
	if enabled != 1 {
		t.Fatal("modernc.org/sqlite was built without FTS5")
	}
	var module string
	if err := db.SQL().QueryRow(`SELECT name FROM pragma_module_list WHERE name = 'fts5'`).Scan(&module); err != nil {
		t.Fatalf("fts5 module not registered: %v", err)
	}
}

func TestFTSQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"anna", `"anna"*`},
		{"Anna  Smith", `"Anna"* AND "Smith"*`},
		{"jose@exa", `"jose exa"*`},
		{`"unterminated`, `"unterminated"*`},
		{"<script>alert(1)</script>", `"script alert 1 script"*`},
		{"-", ""},
		{"a* OR b NOT c", `"a"* AND "OR"* AND "b"* AND "NOT"* AND "c"*`},
		{"email:x NEAR(y)", `"email x"* AND "NEAR y"*`},
		{"Zürich 東京", `"Zürich"* AND "東京"*`},
	} {
		if got := ftsQuery(tc.in); got != tc.want {
			t.Errorf("ftsQuery(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSearchFindsRecords(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := []Record{
		{Type: "contacts", ID: "1", UpdatedAt: t0, Properties: map[string]*string{
			"firstname": str("José"), "lastname": str("Müller"), "email": str("jose@acme.example"), "phone": nil}},
		{Type: "contacts", ID: "2", UpdatedAt: t0.Add(time.Minute), Properties: map[string]*string{
			"firstname": str("Zoë"), "city": str("Zürich"), "note": str("東京 office")}},
		{Type: "contacts", ID: "3", UpdatedAt: t0.Add(2 * time.Minute), Properties: map[string]*string{
			"firstname": str("Ann"), "email": str("ann@other.example"),
			"createdate": str("2023-12-23T12:15:45.282Z"), "date_of_birth": str("1973-02-21")}},
		{Type: "companies", ID: "1", UpdatedAt: t0, Properties: map[string]*string{"name": str("Acme José Inc")}},
	}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) })

	for _, tc := range []struct {
		search string
		want   []string // ids, newest first
	}{
		{"jose", []string{"1"}},
		{"José", []string{"1"}},
		{"JOSE", []string{"1"}},
		{"muller", []string{"1"}},
		{"zoe zurich", []string{"2"}},
		{"zür", []string{"2"}},
		{"東京", []string{"2"}},
		{"acme", []string{"1"}},
		{"jose@acme.example", []string{"1"}},
		{"example", []string{"3", "1"}},
		{"an", []string{"3"}},
		{"nobody", nil},
		// Prefixes of every length: 1 to 6 characters are read from the
		// prefix index (0004), longer ones from the terms.
		{"a", []string{"3", "1"}},
		{"z", []string{"2"}},
		{"mü", []string{"1"}},
		{"exa", []string{"3", "1"}},
		{"exampl", []string{"3", "1"}},
		{"exampl e", []string{"3", "1"}},
		{"examples", nil},
		{"東", []string{"2"}},
		{"jose@", []string{"1"}},
		{"jose@a", []string{"1"}},
		{"jose@acm", []string{"1"}},
		{"jose@acme.e", []string{"1"}},
		{"jose@acme.exampl", []string{"1"}},
		{"jose@o", nil},
		{"ann@o", []string{"3"}},
		{"ann@other.exa", []string{"3"}},
		// Several words: each a prefix, in any order, anywhere in the text.
		{"zo zü", []string{"2"}},
		{"of 東", []string{"2"}},
		{"exa ann", []string{"3"}},
		{"mül jos", []string{"1"}},
		{"ann jos", nil},
		// Full timestamps are not indexed (0015); dates without a time are.
		{"2023-12-23T12:15:45.282Z", nil},
		{"282z", nil},
		{"1973-02-21", []string{"3"}},
		{"1973", []string{"3"}},
		// Hostile or odd input: never an error.
		{`"`, []string{"3", "2", "1"}},
		{`""*-:^()`, []string{"3", "2", "1"}},
		{`<script>alert("x")</script>`, nil},
		{`firstname:ann`, nil},
		{`ann*`, []string{"3"}},
		{`-ann`, []string{"3"}},
		{`ann OR zoe`, nil},
		{`NEAR(ann zoe)`, nil},
		{`'; DROP TABLE records; --`, nil},
	} {
		t.Run(tc.search, func(t *testing.T) { checkSearch(t, db, "contacts", tc.search, tc.want) })
	}
}

// checkSearch asserts the ids (newest first) a search of typ finds, through
// RecordsPage and through both of its plans, which must agree: walking the
// matches, and walking the type's index.
func checkSearch(t *testing.T, db *DB, typ, input string, want []string) {
	t.Helper()
	ctx := context.Background()
	for _, fromFTS := range []bool{true, false} {
		s := search{match: ftsQuery(input), fromFTS: fromFTS}
		got, err := db.pageRows(ctx, typ, s, nil, 10)
		if err != nil {
			t.Fatalf("search %q, fromFTS=%v: %v", input, fromFTS, err)
		}
		if ids := recordIDs(got); fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("search %q, fromFTS=%v: got %v, want %v", input, fromFTS, ids, want)
		}
	}
	got, _, err := db.RecordsPage(ctx, RecordQuery{Type: typ, Search: input})
	if err != nil {
		t.Fatalf("search %q: %v", input, err)
	}
	if ids := recordIDs(got); fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("search %q, RecordsPage: got %v, want %v", input, ids, want)
	}
}

// TestSearchAfterChange checks that a deleted or rewritten record leaves no
// trace in the index: neither its terms nor the prefixes of them.
func TestSearchAfterChange(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{
			{Type: "notes", ID: "1", Properties: map[string]*string{"body": str("pineapple")}},
			{Type: "notes", ID: "2", Properties: map[string]*string{"body": str("pineapple")}},
		})
	})
	if _, err := db.SQL().Exec(`DELETE FROM records WHERE id = '1'`); err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 2, []Record{{Type: "notes", ID: "2", Properties: map[string]*string{"body": str("mango")}}})
	})
	for _, tc := range []struct {
		search string
		want   []string
	}{
		{"p", nil},
		{"pi", nil},
		{"pin", nil},
		{"pine", nil},
		{"pinea", nil},
		{"pineap", nil},
		{"pineapp", nil},
		{"pineapple", nil},
		{"m", []string{"2"}},
		{"man", []string{"2"}},
		{"mango", []string{"2"}},
	} {
		t.Run(tc.search, func(t *testing.T) { checkSearch(t, db, "notes", tc.search, tc.want) })
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM records_fts WHERE records_fts MATCH 'pineapple'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("deleted or rewritten record still indexed (%d hits)", n)
	}
}

func recordIDs(recs []Record) []string {
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestKeysetVisitsEveryRecordOnce(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 257
	var recs []Record
	for i := 1; i <= n; i++ {
		r := Record{Type: "deals", ID: strconv.Itoa(i), Properties: map[string]*string{"dealname": str("deal " + strconv.Itoa(i%3))}}
		switch {
		case i%10 == 0: // some records without an update time
		default: // many ties on updated_at, so the id decides
			r.UpdatedAt = t0.Add(time.Duration(i%7) * time.Hour)
		}
		recs = append(recs, r)
	}
	recs = append(recs, Record{Type: "tickets", ID: "1", UpdatedAt: t0})
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) })

	for _, tc := range []struct {
		name   string
		search string
		limit  int
		want   int
	}{
		{"All", "", 10, n},
		{"AllPageOfOne", "", 1, n},
		{"AllDefaultLimit", "", 0, n},
		{"Search", "deal 1", 7, (n + 2) / 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			var after *Cursor
			var prev *Record
			for pages := 0; ; pages++ {
				if pages > n+1 {
					t.Fatal("paging does not end")
				}
				recs, next, err := db.RecordsPage(ctx, RecordQuery{Type: "deals", Search: tc.search, Limit: tc.limit, After: after})
				if err != nil {
					t.Fatal(err)
				}
				for i := range recs {
					r := recs[i]
					if seen[r.ID] {
						t.Fatalf("record %s seen twice", r.ID)
					}
					seen[r.ID] = true
					if prev != nil && !sortsBefore(*prev, r) {
						t.Fatalf("record %s (%v) after %s (%v): out of order", r.ID, r.UpdatedAt, prev.ID, prev.UpdatedAt)
					}
					prev = &r
				}
				if next == nil {
					break
				}
				if len(recs) == 0 {
					t.Fatal("empty page with a next cursor")
				}
				after = next
			}
			if len(seen) != tc.want {
				t.Errorf("visited %d records, want %d", len(seen), tc.want)
			}
		})
	}
}

// sortsBefore is the browser order: updated_at DESC, id DESC, undated last.
func sortsBefore(a, b Record) bool {
	switch {
	case a.UpdatedAt.IsZero() != b.UpdatedAt.IsZero():
		return b.UpdatedAt.IsZero()
	case !a.UpdatedAt.Equal(b.UpdatedAt):
		return a.UpdatedAt.After(b.UpdatedAt)
	}
	return a.ID > b.ID
}

func TestRecordsPageEmpty(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, _, err := db.RecordsPage(ctx, RecordQuery{}); err == nil {
		t.Error("a query without a type was accepted")
	}
	// An empty result is an empty list, not null, for the frontend.
	for _, search := range []string{"", "nothing", "-"} {
		recs, next, err := db.RecordsPage(ctx, RecordQuery{Type: "contacts", Search: search})
		if err != nil || recs == nil || len(recs) != 0 || next != nil {
			t.Errorf("search %q on an empty table: %v, %v, %v; want [], nil, nil", search, recs, next, err)
		}
	}
}

// TestPrefixIndexFindsWhatTermsFind compares every prefix search over a set
// of records with the same search on an index built without prefix indexes
// (the index of schema 0003), which must find exactly the same rows: every
// prefix, 1 character to whole word, of every word stored, single and as
// pairs of words. The records are written, rewritten and deleted through the
// triggers first, so the prefix entries of the old values must be gone too.
func TestPrefixIndexFindsWhatTermsFind(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 60
	var recs []Record
	for j := 1; j <= n; j++ {
		recs = append(recs, benchContact(j, n, t0.Add(time.Duration(j)*time.Minute)))
	}
	recs = append(recs, Record{Type: "contacts", ID: "x", Properties: map[string]*string{
		"note": str("Straße ÆØÅ 東京タワー Zwölfaxing résumé naïve-café o'brien"), "empty": str(""), "none": nil}})
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) })
	for j := 1; j <= n; j += 7 {
		recs[j].Properties["city"] = str("Reykjavík")
	}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, recs) })
	if _, err := db.SQL().Exec(`DELETE FROM records WHERE id IN ('3', '30')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`
		CREATE VIRTUAL TABLE plain_fts USING fts5 (
			body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
		INSERT INTO plain_fts (rowid, body)
		SELECT r.rowid, (SELECT coalesce(group_concat(value, ' '), '')
		                 FROM json_each(r.properties) WHERE value IS NOT NULL)
		FROM records r`); err != nil {
		t.Fatal(err)
	}

	// Every prefix of every word of the stored values, and pairs of them.
	rows, err := db.SQL().Query(`SELECT j.value FROM records r, json_each(r.properties) j
		WHERE j.value IS NOT NULL ORDER BY r.rowid, j.key`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var inputs []string
	for rows.Next() {
		var value string
		if err := rows.Scan(&value); err != nil {
			t.Fatal(err)
		}
		words := strings.Fields(value)
		for i, w := range words {
			runes := []rune(w)
			for l := 1; l <= len(runes); l++ {
				for _, in := range []string{string(runes[:l]), words[(i+1)%len(words)] + " " + string(runes[:l])} {
					if !seen[in] && ftsQuery(in) != "" {
						seen[in] = true
						inputs = append(inputs, in)
					}
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 1000 {
		t.Fatalf("only %d searches to compare", len(inputs))
	}
	for _, in := range inputs {
		match := ftsQuery(in)
		withPrefixes := ftsRowids(t, db, "records_fts", match)
		if len(withPrefixes) == 0 {
			t.Errorf("search %q (%s) found nothing, though a stored word has that prefix", in, match)
		}
		if plain := ftsRowids(t, db, "plain_fts", match); fmt.Sprint(withPrefixes) != fmt.Sprint(plain) {
			t.Errorf("search %q (%s): rows %v, without prefix indexes %v", in, match, withPrefixes, plain)
		}
	}
}

// ftsRowids returns the rowids an FTS5 table matches, in order.
func ftsRowids(t *testing.T, db *DB, table, match string) []int64 {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT rowid FROM `+table+` WHERE `+table+` MATCH ? ORDER BY rowid`, match)
	if err != nil {
		t.Fatalf("%s MATCH %s: %v", table, match, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}
