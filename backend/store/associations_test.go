package store

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

var (
	primary   = AssocType{Category: "HUBSPOT_DEFINED", TypeID: 1, Label: "Primary"}
	unlabeled = AssocType{Category: "HUBSPOT_DEFINED", TypeID: 279}
	billing   = AssocType{Category: "USER_DEFINED", TypeID: 7, Label: "Billing contact"}
)

// storedAssociations reads the whole table in key order.
func storedAssociations(t *testing.T, db *DB) []Association {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT from_type, from_id, to_type, to_id, types FROM associations
		ORDER BY from_type, from_id, to_type, to_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Association
	for rows.Next() {
		var a Association
		var types string
		if err := rows.Scan(&a.FromType, &a.FromID, &a.ToType, &a.ToID, &types); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(types), &a.Types); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func assoc(fromType, fromID, toType, toID string, types ...AssocType) Association {
	return Association{FromType: fromType, FromID: fromID, ToType: toType, ToID: toID, Types: types}
}

func TestReplaceAssociations(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	// First extraction of contacts 1 and 2.
	inTx(t, db, func(tx *Tx) error {
		return tx.ReplaceAssociations(ctx, "contacts", []string{"1", "2"}, []string{"companies"}, []Association{
			assoc("contacts", "1", "companies", "10", primary),
			assoc("contacts", "1", "companies", "11", unlabeled),
			assoc("contacts", "2", "companies", "10", unlabeled),
		})
	})
	// Unrelated rows the replace must not touch: another from type, another
	// to type of the same record, another record.
	inTx(t, db, func(tx *Tx) error {
		return tx.AddAssociations(ctx, []Association{
			assoc("deals", "5", "companies", "10", unlabeled),
			assoc("contacts", "1", "deals", "5", unlabeled),
			assoc("contacts", "3", "companies", "11", unlabeled),
		})
	})
	// Contact 1 written again: company 11 is gone, company 10 comes twice
	// (once per label, plus a duplicate) and is merged; contact 2 has none now.
	inTx(t, db, func(tx *Tx) error {
		return tx.ReplaceAssociations(ctx, "contacts", []string{"1", "2"}, []string{"companies"}, []Association{
			assoc("contacts", "1", "companies", "10", unlabeled),
			assoc("contacts", "1", "companies", "10", primary, billing),
			assoc("contacts", "1", "companies", "10", AssocType{Category: "HUBSPOT_DEFINED", TypeID: 1}),
		})
	})
	want := []Association{
		assoc("contacts", "1", "companies", "10", primary, unlabeled, billing),
		assoc("contacts", "1", "deals", "5", unlabeled),
		assoc("contacts", "3", "companies", "11", unlabeled),
		assoc("deals", "5", "companies", "10", unlabeled),
	}
	if got := storedAssociations(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("stored\n%+v\nwant\n%+v", got, want)
	}
}

func TestAddAssociationsUnionsTypes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	inTx(t, db, func(tx *Tx) error {
		return tx.AddAssociations(ctx, []Association{assoc("companies", "1", "contacts", "2", unlabeled)})
	})
	inTx(t, db, func(tx *Tx) error {
		return tx.AddAssociations(ctx, []Association{
			assoc("companies", "1", "contacts", "2", billing, unlabeled),
			assoc("companies", "1", "contacts", "3"),
		})
	})
	want := []Association{
		assoc("companies", "1", "contacts", "2", unlabeled, billing),
		{FromType: "companies", FromID: "1", ToType: "contacts", ToID: "3", Types: []AssocType{}},
	}
	if got := storedAssociations(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("stored\n%+v\nwant\n%+v", got, want)
	}
}

func TestAssociationsRejectMissingEnds(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	for _, tc := range []struct {
		name string
		fn   func(tx *Tx) error
	}{
		{"ErrReplaceNoToID", func(tx *Tx) error {
			return tx.ReplaceAssociations(ctx, "contacts", []string{"1"}, []string{"companies"},
				[]Association{assoc("contacts", "1", "companies", "")})
		}},
		{"ErrAddNoFromType", func(tx *Tx) error {
			return tx.AddAssociations(ctx, []Association{assoc("", "1", "companies", "2")})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := db.TransactionContext(ctx, tc.fn); err == nil {
				t.Error("accepted an association with a missing end")
			}
		})
	}
}

func TestAssociatedIDsBothDirections(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	inTx(t, db, func(tx *Tx) error {
		return tx.AddAssociations(ctx, []Association{
			// From the contact.
			assoc("contacts", "1", "companies", "100", primary),
			assoc("contacts", "1", "companies", "9", unlabeled),
			// Towards the contact, from engagements and a company already seen.
			assoc("calls", "55", "contacts", "1", unlabeled),
			assoc("calls", "7", "contacts", "1", unlabeled),
			assoc("companies", "100", "contacts", "1", unlabeled),
			assoc("companies", "20", "contacts", "1", unlabeled),
			// Noise: another contact.
			assoc("calls", "8", "contacts", "2", unlabeled),
		})
	})
	got, err := db.AssociatedIDs(ctx, "contacts", "1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"companies": {"9", "20", "100"},
		"calls":     {"7", "55"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AssociatedIDs = %v, want %v", got, want)
	}
	none, err := db.AssociatedIDs(ctx, "contacts", "404")
	if err != nil || len(none) != 0 {
		t.Errorf("unknown record: %v, %v; want empty", none, err)
	}
}

// TestPairsInPowersOfTwo: a page's pairs, however many, are written in
// statements of a power of two pairs (a few texts, kept prepared), every
// one of them stored.
func TestPairsInPowersOfTwo(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		pairs int
		sizes []int
	}{
		{0, nil},
		{1, []int{1}},
		{183, []int{128, 32, 16, 4, 2, 1}},
		{512, []int{512}},
		{1300, []int{512, 512, 256, 16, 4}},
	} {
		var pairs []Association
		ids := make([]string, 0, tc.pairs)
		for i := range tc.pairs {
			id := strconv.Itoa(i)
			ids = append(ids, id)
			pairs = append(pairs, assoc("contacts", id, "companies", strconv.Itoa(i%7), unlabeled))
		}
		var sizes []int
		for _, c := range encodePairs(pairs) {
			sizes = append(sizes, c.n)
		}
		if !reflect.DeepEqual(sizes, tc.sizes) {
			t.Errorf("%d pairs: statements of %v, want %v", tc.pairs, sizes, tc.sizes)
		}
		db := openTest(t)
		inTx(t, db, func(tx *Tx) error {
			return tx.ReplaceAssociations(ctx, "contacts", ids, []string{"companies"}, pairs)
		})
		if n := len(storedAssociations(t, db)); n != tc.pairs {
			t.Errorf("%d pairs: %d stored", tc.pairs, n)
		}
	}
}
