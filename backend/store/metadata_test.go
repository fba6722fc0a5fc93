package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestReplaceProperties(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	stage := Property{ObjectType: "deals", Name: "dealstage", Label: "Deal stage", Type: "enumeration",
		FieldType: "select", GroupName: "dealinformation", DisplayOrder: 3, Options: []Option{
			{Label: "Won", Value: "closedwon", DisplayOrder: 1},
			{Label: "Old", Value: "old", DisplayOrder: 2, Hidden: true},
		}, Sensitivity: NonSensitive}
	amount := Property{ObjectType: "deals", Name: "amount", Label: "Amount", Type: "number", FieldType: "number",
		Options: []Option{}, Sensitivity: "sensitive"}
	gone := Property{ObjectType: "deals", Name: "zzz_removed", Label: "Removed", Hidden: true, Options: []Option{},
		Sensitivity: NonSensitive}
	other := Property{ObjectType: "contacts", Name: "email", Label: "Email", Type: "string", Options: []Option{},
		Sensitivity: "highly_sensitive"}
	// A definition that does not say its level is stored as non-sensitive.
	phone := Property{ObjectType: "contacts", Name: "phone", Label: "Phone", Type: "string", Options: []Option{}}

	inTx(t, db, func(tx *Tx) error {
		if err := tx.ReplaceProperties(ctx, "deals", []Property{stage, gone}); err != nil {
			return err
		}
		return tx.ReplaceProperties(ctx, "contacts", []Property{other, phone})
	})
	phoneRead := phone
	phoneRead.Sensitivity = NonSensitive
	amountNoOpts := amount
	amountNoOpts.Options = nil // stored as [] and read back as []
	inTx(t, db, func(tx *Tx) error { return tx.ReplaceProperties(ctx, "deals", []Property{stage, amountNoOpts}) })

	for _, tc := range []struct {
		typ  string
		want []Property
	}{
		{"deals", []Property{amount, stage}},
		{"contacts", []Property{other, phoneRead}},
		{"tickets", []Property{}},
	} {
		got, err := db.Properties(ctx, tc.typ)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s properties\n got %+v\nwant %+v", tc.typ, got, tc.want)
		}
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		return tx.ReplaceProperties(ctx, "deals", []Property{{Label: "no name"}})
	}); err == nil {
		t.Error("a property without a name was accepted")
	}
}

func TestOwners(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2023, 5, 6, 7, 8, 9, 0, time.UTC)
	ada := Owner{ID: "12", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", UserID: 5001,
		CreatedAt: t0, UpdatedAt: t0}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertOwners(ctx, []Owner{ada, {ID: "3", Email: "x@example.com", Archived: true}})
	})
	ada.LastName = "King"
	inTx(t, db, func(tx *Tx) error { return tx.UpsertOwners(ctx, []Owner{ada}) })
	got, err := db.Owners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Owner{{ID: "3", Email: "x@example.com", Archived: true}, ada}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Owners\n got %+v\nwant %+v", got, want)
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		return tx.UpsertOwners(ctx, []Owner{{Email: "no-id@example.com"}})
	}); err == nil {
		t.Error("an owner without an id was accepted")
	}
}

func TestOwnerDisplayName(t *testing.T) {
	for _, tc := range []struct {
		owner Owner
		want  string
	}{
		{Owner{ID: "1", Email: "a@b.c", FirstName: "Ada", LastName: "Lovelace"}, "Ada Lovelace"},
		{Owner{ID: "1", Email: "a@b.c", FirstName: "Ada"}, "Ada"},
		{Owner{ID: "1", Email: "a@b.c", LastName: "Lovelace"}, "Lovelace"},
		{Owner{ID: "1", Email: "a@b.c"}, "a@b.c"},
		{Owner{ID: "1"}, "1"},
	} {
		if got := tc.owner.DisplayName(); got != tc.want {
			t.Errorf("%+v.DisplayName() = %q, want %q", tc.owner, got, tc.want)
		}
	}
}

func TestReplacePipelines(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	sales := Pipeline{ObjectType: "deals", ID: "default", Label: "Sales", DisplayOrder: 0, Stages: []Stage{
		{ID: "won", Label: "Closed won", DisplayOrder: 2, Metadata: map[string]string{"isClosed": "true", "probability": "1.0"}},
		{ID: "new", Label: "New", DisplayOrder: 1, Metadata: map[string]string{}},
	}}
	old := Pipeline{ObjectType: "deals", ID: "old", Label: "Old", DisplayOrder: 1, Archived: true, Stages: []Stage{
		{ID: "s", Label: "Only", Archived: true, Metadata: map[string]string{}},
	}}
	support := Pipeline{ObjectType: "tickets", ID: "0", Label: "Support", Stages: []Stage{}}
	inTx(t, db, func(tx *Tx) error {
		if err := tx.ReplacePipelines(ctx, "deals", []Pipeline{old, sales}); err != nil {
			return err
		}
		return tx.ReplacePipelines(ctx, "tickets", []Pipeline{support})
	})
	got, err := db.Pipelines(ctx, "deals")
	if err != nil {
		t.Fatal(err)
	}
	wantSales := sales
	wantSales.Stages = []Stage{sales.Stages[1], sales.Stages[0]} // display order
	if want := []Pipeline{wantSales, old}; !reflect.DeepEqual(got, want) {
		t.Errorf("Pipelines\n got %+v\nwant %+v", got, want)
	}

	// The old pipeline is dropped: its stages go with it.
	inTx(t, db, func(tx *Tx) error { return tx.ReplacePipelines(ctx, "deals", []Pipeline{sales}) })
	var stages int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM pipeline_stages WHERE object_type = 'deals'`).Scan(&stages); err != nil {
		t.Fatal(err)
	}
	if stages != 2 {
		t.Errorf("%d deal stages stored, want 2", stages)
	}
	tickets, err := db.Pipelines(ctx, "tickets")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Pipeline{support}; !reflect.DeepEqual(tickets, want) {
		t.Errorf("ticket pipelines %+v, want %+v", tickets, want)
	}
}
