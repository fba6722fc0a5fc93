package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func strp(s string) *string { return &s }

// TestChangesFollowWrites: each kind of write marks what it changed once,
// with a seq after every earlier one; an unchanged rewrite marks nothing.
func TestChangesFollowWrites(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.KeepChangeLog(ctx); err != nil {
		t.Fatal(err)
	}
	write := func(fn func(tx *Tx) error) {
		t.Helper()
		if err := db.TransactionContext(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	rec := Record{Type: "contacts", ID: "1", Properties: map[string]*string{"email": strp("a@x.com")},
		UpdatedAt: time.UnixMilli(1000)}
	steps := []struct {
		name  string
		write func(tx *Tx) error
		want  []Change // kind, type, id, to type, to id of the changes after the step's start
	}{
		{"new record", func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, []Record{rec}) },
			[]Change{{Kind: ChangeRecord, Type: "contacts", ID: "1"}}},
		{"same record, new run", func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, []Record{rec}) }, nil},
		{"archived", func(tx *Tx) error {
			r := rec
			r.Archived, r.ArchivedAt = true, time.UnixMilli(2000)
			return tx.UpsertRecords(ctx, 3, []Record{r})
		}, []Change{{Kind: ChangeRecord, Type: "contacts", ID: "1"}}},
		{"association", func(tx *Tx) error {
			return tx.ReplaceAssociations(ctx, "contacts", []string{"1"}, []string{"companies"},
				[]Association{{FromType: "contacts", FromID: "1", ToType: "companies", ToID: "9"}})
		}, []Change{{Kind: ChangeAssociation, Type: "contacts", ID: "1", ToType: "companies", ToID: "9"}}},
		{"association removed", func(tx *Tx) error {
			return tx.ReplaceAssociations(ctx, "contacts", []string{"1"}, []string{"companies"}, nil)
		}, []Change{{Kind: ChangeAssociation, Type: "contacts", ID: "1", ToType: "companies", ToID: "9"}}},
		{"owners", func(tx *Tx) error { return tx.UpsertOwners(ctx, []Owner{{ID: "7", Email: "o@x.com"}, {ID: "8"}}) },
			[]Change{{Kind: ChangeOwners}}},
		{"pipelines", func(tx *Tx) error {
			return tx.ReplacePipelines(ctx, "deals", []Pipeline{{ID: "p", Stages: []Stage{{ID: "s"}}}})
		}, []Change{{Kind: ChangePipelines, Type: "deals"}}},
		{"properties", func(tx *Tx) error {
			return tx.ReplaceProperties(ctx, "contacts", []Property{{Name: "email", Type: "string"}, {Name: "age", Type: "number"}})
		}, []Change{{Kind: ChangeProperties, Type: "contacts"}}},
		{"record deleted", func(tx *Tx) error {
			_, err := tx.tx.ExecContext(ctx, `DELETE FROM records WHERE id = '1'`)
			return err
		}, []Change{{Kind: ChangeRecord, Type: "contacts", ID: "1"}}},
	}
	var last int64
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			write(st.write)
			got, err := db.Changes(ctx, last, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(st.want) {
				t.Fatalf("changes after %d: got %+v, want %+v", last, got, st.want)
			}
			for i, c := range got {
				w := st.want[i]
				if c.Kind != w.Kind || c.Type != w.Type || c.ID != w.ID || c.ToType != w.ToType || c.ToID != w.ToID {
					t.Errorf("change %d: got %+v, want %+v", i, c, w)
				}
				if c.Seq <= last {
					t.Errorf("change %d: seq %d not after %d", i, c.Seq, last)
				}
				last = c.Seq
			}
			n, err := db.CountChanges(ctx, 0)
			if err != nil || n > 5 {
				t.Errorf("count: %d, %v: one row per thing changed, at most 5 things here", n, err)
			}
		})
	}
}

// TestChangesCarryState: a change is read with what is stored of it now,
// here as KeepChangeLog logged it from what was stored before.
func TestChangesCarryState(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	err := db.TransactionContext(ctx, func(tx *Tx) error {
		if err := tx.UpsertRecords(ctx, 1, []Record{
			{Type: "deals", ID: "5", Properties: map[string]*string{"amount": strp("12.5"), "x": nil}, Archived: true},
		}); err != nil {
			return err
		}
		// Stored from both sides, with a type each: the change of either
		// carries both.
		return tx.AddAssociations(ctx, []Association{
			{FromType: "deals", FromID: "5", ToType: "contacts", ToID: "1", Types: []AssocType{{"HUBSPOT_DEFINED", 3, ""}}},
			{FromType: "contacts", FromID: "1", ToType: "deals", ToID: "5", Types: []AssocType{{"USER_DEFINED", 9, "Buyer"}}},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.KeepChangeLog(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := db.Changes(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d changes, want 3: %+v", len(got), got)
	}
	r := got[0].Record
	if r == nil || r.ID != "5" || !r.Archived || *r.Properties["amount"] != "12.5" || r.Properties["x"] != nil {
		t.Errorf("record change: %+v", r)
	}
	for _, c := range got[1:] {
		if !c.Linked || len(c.Types) != 2 || c.Types[1].Label != "Buyer" {
			t.Errorf("association change %s %s: linked %v types %+v", c.Type, c.ID, c.Linked, c.Types)
		}
	}
	// Paged: after the first, the other two.
	rest, err := db.Changes(ctx, got[0].Seq, 10)
	if err != nil || len(rest) != 2 {
		t.Errorf("after seq %d: %d changes, %v", got[0].Seq, len(rest), err)
	}
	src, err := db.ChangeSource(ctx)
	if err != nil || len(src) != 32 {
		t.Errorf("change source %q, %v", src, err)
	}
}

// TestChangeLogKeptOnDemand: a new database logs nothing, while every
// write lands; KeepChangeLog logs each thing stored once, then every later
// change after those; asked again, it logs nothing more.
func TestChangeLogKeptOnDemand(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	count := func() int64 {
		t.Helper()
		n, err := db.CountChanges(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	inTx(t, db, func(tx *Tx) error {
		if err := tx.UpsertRecords(ctx, 1, []Record{
			{Type: "contacts", ID: "1", Properties: map[string]*string{"email": strp("a@x.com")}},
			{Type: "contacts", ID: "2"},
		}); err != nil {
			return err
		}
		if err := tx.ReplaceAssociations(ctx, "contacts", []string{"1"}, []string{"companies"},
			[]Association{assoc("contacts", "1", "companies", "9", unlabeled)}); err != nil {
			return err
		}
		if err := tx.UpsertOwners(ctx, []Owner{{ID: "7"}, {ID: "8"}}); err != nil {
			return err
		}
		if err := tx.ReplacePipelines(ctx, "deals", []Pipeline{{ID: "p", Stages: []Stage{{ID: "s"}, {ID: "t"}}}}); err != nil {
			return err
		}
		return tx.ReplaceProperties(ctx, "contacts", []Property{{Name: "email", Type: "string"}, {Name: "age", Type: "number"}})
	})
	if n := count(); n != 0 {
		t.Fatalf("a database no mirror reads logged %d changes", n)
	}
	if active, _, err := db.CountRecords(ctx, "contacts"); err != nil || active != 2 {
		t.Fatalf("stored %d contacts (%v), want 2", active, err)
	}
	for range 2 { // the second call finds the log on and adds nothing
		if err := db.KeepChangeLog(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := db.Changes(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, c := range got {
			keys = append(keys, strings.Join([]string{c.Kind, c.Type, c.ID, c.ToType, c.ToID}, " "))
		}
		want := []string{"properties contacts   ", "pipelines deals   ", "owners    ",
			"record contacts 1  ", "record contacts 2  ", "association contacts 1 companies 9"}
		if !slices.Equal(keys, want) {
			t.Fatalf("logged:\n%s\nwant:\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
		}
	}
	seeded := count()
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, []Record{{Type: "contacts", ID: "3"}}) })
	later, err := db.Changes(ctx, seeded, 10)
	if err != nil || len(later) != 1 || later[0].ID != "3" {
		t.Errorf("after the log was kept: %+v, %v; want the record written then", later, err)
	}
}
