package store

import (
	"context"
	"fmt"
	"strconv"
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
			"firstname": str("Ann"), "email": str("ann@other.example")}},
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
		t.Run(tc.search, func(t *testing.T) {
			// Both plans must agree: walking the matches, and walking the index.
			for _, fromFTS := range []bool{true, false} {
				s := search{match: ftsQuery(tc.search), fromFTS: fromFTS}
				got, err := db.pageRows(ctx, "contacts", s, nil, 10)
				if err != nil {
					t.Fatalf("fromFTS=%v: %v", fromFTS, err)
				}
				if ids := recordIDs(got); fmt.Sprint(ids) != fmt.Sprint(tc.want) {
					t.Errorf("fromFTS=%v: got %v, want %v", fromFTS, ids, tc.want)
				}
			}
			got, _, err := db.RecordsPage(ctx, RecordQuery{Type: "contacts", Search: tc.search})
			if err != nil {
				t.Fatal(err)
			}
			if ids := recordIDs(got); fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Errorf("RecordsPage: got %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestSearchAfterDelete(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "notes", ID: "1", Properties: map[string]*string{"body": str("pineapple")}}})
	})
	if _, err := db.SQL().Exec(`DELETE FROM records`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM records_fts WHERE records_fts MATCH 'pineapple'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("deleted record still indexed (%d hits)", n)
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
