package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

func TestAssociationPairs(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	inTx(t, db, func(tx *Tx) error {
		a := func(ft, fid, tt, tid string) Association {
			return Association{FromType: ft, FromID: fid, ToType: tt, ToID: tid}
		}
		if err := tx.ReplaceAssociations(ctx, "contacts", []string{"10", "9"}, []string{"companies"}, []Association{
			a("contacts", "10", "companies", "100"), a("contacts", "10", "companies", "20"), a("contacts", "9", "companies", "100"),
		}); err != nil {
			return err
		}
		return tx.AddAssociations(ctx, []Association{
			a("companies", "100", "contacts", "10"), // the same pair from the other side
			a("deals", "5", "contacts", "10"),
			a("tickets", "1", "contacts", "9"), // a type not asked for
			a("companies", "3", "deals", "5"),  // not about contacts
		})
	})
	var got []Association
	for p, err := range db.AssociationPairs(ctx, "contacts", []string{"companies", "deals"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	p := func(id, tt, tid string) Association {
		return Association{FromType: "contacts", FromID: id, ToType: tt, ToID: tid}
	}
	want := []Association{
		p("9", "companies", "100"),
		p("10", "companies", "20"), p("10", "companies", "100"), p("10", "companies", "100"),
		p("10", "deals", "5"),
	}
	if !slicesEqualAssoc(got, want) {
		t.Errorf("pairs = %v\nwant %v", got, want)
	}

	t.Run("StopsEarly", func(t *testing.T) {
		n := 0
		for range db.AssociationPairs(ctx, "contacts", []string{"companies"}) {
			n++
			break
		}
		if n != 1 {
			t.Errorf("got %d pairs before break, want 1", n)
		}
	})
	t.Run("ErrCancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		var err error
		for _, err = range db.AssociationPairs(cctx, "contacts", []string{"companies"}) {
		}
		if err == nil {
			t.Error("no error from a cancelled read")
		}
	})
}

func slicesEqualAssoc(a, b []Association) bool {
	return slices.EqualFunc(a, b, func(x, y Association) bool {
		return x.FromType == y.FromType && x.FromID == y.FromID && x.ToType == y.ToType && x.ToID == y.ToID && len(x.Types) == 0
	})
}

func TestExportQueries_ColumnsAndCounts(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	inTx(t, db, func(tx *Tx) error {
		if err := tx.UpsertRecords(ctx, 1, []Record{
			{Type: "contacts", ID: "1", Properties: map[string]*string{"email": str("a"), "zeta": nil}},
			{Type: "contacts", ID: "2", Properties: map[string]*string{"email": str("b"), "alpha": str("x")}},
			{Type: "deals", ID: "1", Properties: map[string]*string{"dealname": str("d")}},
			{Type: "contacts", ID: "3", Archived: true},
		}); err != nil {
			return err
		}
		if err := tx.UpsertFormSubmissions(ctx, []FormSubmission{
			{FormID: "f1", ConversionID: "c1", Values: map[string]string{"email": "a", "name": "n"}},
			{FormID: "f1", ConversionID: "c2", Values: map[string]string{"email": "b"}},
			{FormID: "f2", ConversionID: "c3", Values: map[string]string{"phone": "1"}},
		}); err != nil {
			return err
		}
		return tx.UpsertEmailEvents(ctx, []EmailEvent{
			{ID: "e1", Raw: json.RawMessage(`{"id":"e1","browser":{"name":"x"}}`)},
			{ID: "e2", Raw: json.RawMessage(`{"id":"e2","url":"u"}`)},
		})
	})
	strs := []struct {
		name string
		get  func() ([]string, error)
		want []string
	}{
		{"RecordPropertyNames", func() ([]string, error) { return db.RecordPropertyNames(ctx, "contacts") }, []string{"alpha", "email", "zeta"}},
		{"RecordPropertyNamesNone", func() ([]string, error) { return db.RecordPropertyNames(ctx, "tickets") }, nil},
		{"FormSubmissionFieldsAll", func() ([]string, error) { return db.FormSubmissionFields(ctx, "") }, []string{"email", "name", "phone"}},
		{"FormSubmissionFieldsOne", func() ([]string, error) { return db.FormSubmissionFields(ctx, "f1") }, []string{"email", "name"}},
		{"EmailEventKeys", func() ([]string, error) { return db.EmailEventKeys(ctx) }, []string{"browser", "id", "url"}},
	}
	for _, tt := range strs {
		got, err := tt.get()
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	counts := []struct {
		name string
		get  func() (int64, error)
		want int64
	}{
		{"CountFormSubmissionsAll", func() (int64, error) { return db.CountFormSubmissions(ctx, "") }, 3},
		{"CountFormSubmissionsOne", func() (int64, error) { return db.CountFormSubmissions(ctx, "f2") }, 1},
		{"CountFormSubmissionsUnknown", func() (int64, error) { return db.CountFormSubmissions(ctx, "nope") }, 0},
		{"CountEmailEvents", func() (int64, error) { return db.CountEmailEvents(ctx) }, 2},
		{"CountExportRowsArchivedToo", func() (int64, error) { return db.CountExportRows(ctx, "contacts") }, 3},
		{"CountExportRowsOne", func() (int64, error) { return db.CountExportRows(ctx, "deals") }, 1},
		{"CountExportRowsNone", func() (int64, error) { return db.CountExportRows(ctx, "tickets") }, 0},
	}
	for _, tt := range counts {
		if got, err := tt.get(); err != nil || got != tt.want {
			t.Errorf("%s = %d, %v; want %d", tt.name, got, err, tt.want)
		}
	}
}

// TestRecordPropertyNamesFollowsRewrites: a name kept in
// record_property_names that no record has any more (its only record was
// rewritten without it) is left out, and names JSON writes with escapes,
// or that appear inside another record's values, are told apart.
func TestRecordPropertyNamesFollowsRewrites(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := func(v string) *string { return &v }
	for _, tt := range []struct {
		name  string
		write []Record
		want  []string
	}{
		{"first write", []Record{
			{Type: "deals", ID: "1", Properties: map[string]*string{"amount": s("5"), "gone": s("x"), `odd "key"`: nil, "<b>": s("1")}},
			{Type: "deals", ID: "2", Properties: map[string]*string{"amount": s(`"hidden":1 "gone": 2`)}},
		}, []string{"<b>", "amount", "gone", `odd "key"`}},
		{"rewritten without two names", []Record{
			{Type: "deals", ID: "1", Properties: map[string]*string{"amount": s("6"), "<b>": s("1")}},
		}, []string{"<b>", "amount"}},
		{"another type untouched", []Record{
			{Type: "tickets", ID: "1", Properties: map[string]*string{"gone": nil}},
		}, []string{"<b>", "amount"}},
	} {
		if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, tt.write) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.RecordPropertyNames(ctx, "deals")
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: RecordPropertyNames = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// TestIDRanges: the ranges cover every record of the type once, in numeric
// id order, none longer than asked or across two id lengths; reading the
// records and the association pairs range by range gives what one walk
// over the whole type gives.
func TestIDRanges(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var recs []Record
	var pairs []Association
	for _, id := range []int{1, 2, 3, 7, 9, 10, 11, 12, 19, 20, 99, 100, 101, 5000, 5001, 5002, 5003, 5004} {
		s := strconv.Itoa(id)
		recs = append(recs, Record{Type: "contacts", ID: s, Properties: map[string]*string{"n": str(s)}})
		pairs = append(pairs, Association{FromType: "contacts", FromID: s, ToType: "companies", ToID: strconv.Itoa(id % 7)})
		if id%2 == 1 { // from the other side, and one pair of a record that is not stored
			pairs = append(pairs, Association{FromType: "deals", FromID: "8" + s, ToType: "contacts", ToID: s},
				Association{FromType: "deals", FromID: "9", ToType: "contacts", ToID: s + "0000"})
		}
	}
	recs = append(recs, Record{Type: "deals", ID: "4"})
	// Pairs of contacts that are not stored: between two stored ids of one
	// length (in a range), and before the first id of a length (in none).
	pairs = append(pairs, Association{FromType: "contacts", FromID: "8", ToType: "companies", ToID: "1"},
		Association{FromType: "contacts", FromID: "0", ToType: "companies", ToID: "1"})
	inTx(t, db, func(tx *Tx) error {
		if err := tx.UpsertRecords(ctx, 1, recs); err != nil {
			return err
		}
		return tx.AddAssociations(ctx, pairs)
	})
	ids := func(r IDRange) []string {
		var out []string
		if err := db.EachRecordValues(ctx, "contacts", r, []string{"n"}, func(v RecordValues) error {
			if *v.Values[0] != v.ID {
				t.Errorf("record %s: n = %q", v.ID, *v.Values[0])
			}
			out = append(out, v.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := ids(IDRange{})
	var allPairs []Association
	for p, err := range db.AssociationPairs(ctx, "contacts", []string{"companies", "deals"}) {
		if err != nil {
			t.Fatal(err)
		}
		allPairs = append(allPairs, p)
	}
	var scratch PairScratch // reused, as an export's workers do
	for _, size := range []int{1, 2, 4, 100} {
		ranges, err := db.IDRanges(ctx, "contacts", size)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var gotPairs []Association
		for _, r := range ranges {
			in := ids(r)
			if len(in) == 0 || len(in) > size {
				t.Errorf("size %d: range %+v holds %d records", size, r, len(in))
			}
			for _, id := range in {
				if len(id) != r.Len {
					t.Errorf("size %d: range %+v holds %s", size, r, id)
				}
			}
			got = append(got, in...)
			pairs, err := db.AssociationsIn(ctx, "contacts", []string{"companies", "deals"}, r, &scratch)
			if err != nil {
				t.Fatal(err)
			}
			gotPairs = append(gotPairs, pairs...)
		}
		if !slices.Equal(got, all) {
			t.Errorf("size %d: records by range %v, want %v", size, got, all)
		}
		// The pairs of ids in a range, stored or not.
		var in []Association
		for _, p := range allPairs {
			if slices.ContainsFunc(ranges, func(r IDRange) bool {
				return len(p.FromID) == r.Len && p.FromID >= r.From && (r.To == "" || p.FromID < r.To)
			}) {
				in = append(in, p)
			}
		}
		if !slices.ContainsFunc(in, func(p Association) bool { return p.FromID == "8" }) {
			t.Errorf("size %d: no pair of 8 between stored ids", size)
		}
		if !slicesEqualAssoc(gotPairs, in) {
			t.Errorf("size %d: pairs by range %v\nwant %v", size, gotPairs, in)
		}
	}
	if ranges, err := db.IDRanges(ctx, "tickets", 10); err != nil || len(ranges) != 0 {
		t.Errorf("IDRanges of no records = %v, %v", ranges, err)
	}
}
