package mirror

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"hubextract/backend/export"
	"hubextract/backend/store"
)

func sp(s string) *string { return &s }

// Property names a SQL identifier must survive: quotes, spaces, a system
// column's name, one past PostgreSQL's 63 bytes and two that share its
// first 63 bytes.
var (
	longA = strings.Repeat("x", 70) + "_a"
	longB = strings.Repeat("x", 70) + "_b"
)

// fixtureProps are the contacts' definitions: one per type the mirror maps.
var fixtureProps = []store.Property{
	{Name: "email", Type: "string"},
	{Name: "age", Type: "number"},
	{Name: "signed_up", Type: "datetime"},
	{Name: "birthday", Type: "date"},
	{Name: "vip", Type: "bool"},
	{Name: "tier", Type: "enumeration", Options: []store.Option{{Label: "Gold", Value: "gold"}, {Label: "Silver", Value: "silver"}}},
	{Name: `we"ird name; DROP TABLE x`, Type: "string"},
	{Name: "id", Type: "string"},
	{Name: longA, Type: "number"},
	{Name: longB, Type: "number"},
	{Name: "secret", Type: "string", Sensitivity: "highly_sensitive"},
}

// writeFixture fills db with contacts (one archived, values of every type,
// one unreadable number), companies, deals with a pipeline, associations
// stored from one side and from both, and owners.
func writeFixture(t testing.TB, db *store.DB, contacts int) {
	t.Helper()
	ctx := context.Background()
	err := db.TransactionContext(ctx, func(tx *store.Tx) error {
		if err := tx.ReplaceProperties(ctx, "contacts", fixtureProps); err != nil {
			return err
		}
		if err := tx.ReplaceProperties(ctx, "companies", []store.Property{{Name: "name", Type: "string"}}); err != nil {
			return err
		}
		if err := tx.ReplaceProperties(ctx, "deals", []store.Property{{Name: "amount", Type: "number"}, {Name: "dealstage", Type: "enumeration"}}); err != nil {
			return err
		}
		if err := tx.UpsertOwners(ctx, []store.Owner{{ID: "100", Email: "o@x.com", FirstName: "Ola"}, {ID: "101", Archived: true}}); err != nil {
			return err
		}
		if err := tx.ReplacePipelines(ctx, "deals", []store.Pipeline{{ID: "default", Label: "Sales",
			Stages: []store.Stage{{ID: "won", Label: "Won", Metadata: map[string]string{"probability": "1.0"}}}}}); err != nil {
			return err
		}
		var recs []store.Record
		for i := 1; i <= contacts; i++ {
			r := store.Record{Type: "contacts", ID: fmt.Sprint(i), CreatedAt: time.UnixMilli(1700000000000 + int64(i)),
				UpdatedAt: time.UnixMilli(1700000500000 + int64(i)), Properties: map[string]*string{
					"email":                     sp(fmt.Sprintf("user%d@example.com", i)),
					"age":                       sp(fmt.Sprint(20 + i%50)),
					"signed_up":                 sp(time.UnixMilli(1600000000000 + int64(i)*1000).UTC().Format("2006-01-02T15:04:05.000Z")),
					"birthday":                  sp("1990-05-17"),
					"vip":                       sp([]string{"true", "false"}[i%2]),
					"tier":                      sp("gold"),
					`we"ird name; DROP TABLE x`: sp("ok"),
					"id":                        sp("prop-id"),
					longA:                       sp("1.5"),
					longB:                       sp("2.5e3"),
					"secret":                    sp("hidden"),
					"undefined_one":             sp("free text"),
				}}
			switch i {
			case 1:
				r.Properties["age"] = sp("not a number")
				r.Properties["signed_up"] = sp("1600000000000") // unix ms, as older APIs write
				r.Properties["birthday"] = nil
			case 2:
				r.Archived, r.ArchivedAt = true, time.UnixMilli(1700000900000)
				r.Properties["email"] = sp("")
			}
			recs = append(recs, r)
		}
		recs = append(recs,
			store.Record{Type: "companies", ID: "9", Properties: map[string]*string{"name": sp("Acme")}},
			store.Record{Type: "deals", ID: "50", Properties: map[string]*string{"amount": sp("1234.56"), "dealstage": sp("won")}})
		if err := tx.UpsertRecords(ctx, 1, recs); err != nil {
			return err
		}
		return tx.AddAssociations(ctx, []store.Association{
			{FromType: "contacts", FromID: "1", ToType: "companies", ToID: "9", Types: []store.AssocType{{Category: "HUBSPOT_DEFINED", TypeID: 1}}},
			{FromType: "companies", FromID: "9", ToType: "contacts", ToID: "1", Types: []store.AssocType{{Category: "HUBSPOT_DEFINED", TypeID: 2}}},
			{FromType: "contacts", FromID: "2", ToType: "companies", ToID: "9"},
			{FromType: "deals", FromID: "50", ToType: "contacts", ToID: "3", Types: []store.AssocType{{Category: "USER_DEFINED", TypeID: 7, Label: "Buyer"}}},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkMirror compares the mirror at url (schema) with db: every record of
// every type with each property's value, read back typed, every
// association pair, the owners and the stages.
func checkMirror(t testing.TB, db *store.DB, url, schema string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	ident := func(name string) string { return pgx.Identifier{schema, name}.Sanitize() }
	cols := map[string]map[string]column{}
	rows, err := conn.Query(ctx, `SELECT object_type, property, column_name, pg_type FROM `+ident("_hubextract_columns"))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, prop string
		var c column
		if err := rows.Scan(&typ, &prop, &c.name, &c.pgType); err != nil {
			t.Fatal(err)
		}
		if cols[typ] == nil {
			cols[typ] = map[string]column{}
		}
		cols[typ][prop] = c
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for _, typ := range []string{"contacts", "companies", "deals"} {
		defs, err := db.Properties(ctx, typ)
		if err != nil {
			t.Fatal(err)
		}
		sensitiveProp := map[string]bool{}
		for _, p := range defs {
			sensitiveProp[p.Name] = sensitive(p)
		}
		var want []store.Record
		if err := db.EachRecord(ctx, typ, func(r store.Record) error { want = append(want, r); return nil }); err != nil {
			t.Fatal(err)
		}
		got := mirrorRows(t, conn, ident(typ))
		if len(got) != len(want) {
			t.Errorf("%s: %d rows in the mirror, %d records stored", typ, len(got), len(want))
		}
		for _, r := range want {
			row, ok := got[r.ID]
			if !ok {
				t.Errorf("%s %s: missing from the mirror", typ, r.ID)
				continue
			}
			if !sameTime(row["created_at"], r.CreatedAt) || !sameTime(row["updated_at"], r.UpdatedAt) ||
				row["archived"] != r.Archived || !sameTime(row["archived_at"], r.ArchivedAt) {
				t.Errorf("%s %s: system columns %v, stored %+v", typ, r.ID, row, r)
			}
			for p, v := range r.Properties {
				c, ok := cols[typ][p]
				if sensitiveProp[p] {
					// No column, or (marked sensitive later) one without values.
					if ok && row[c.name] != nil {
						t.Errorf("%s %s: sensitive property %s has the value %v", typ, r.ID, p, row[c.name])
					}
					continue
				}
				if !ok {
					t.Errorf("%s: no column for property %s", typ, p)
					continue
				}
				if !sameValue(c.pgType, row[c.name], v) {
					t.Errorf("%s %s %s (%s): mirror %#v, stored %v", typ, r.ID, p, c.pgType, row[c.name], deref(v))
				}
			}
		}
	}
	checkPairs(t, ctx, db, conn, ident)
	var owners, stages int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM `+ident("owners")+`), (SELECT count(*) FROM `+
		ident("pipeline_stages")+`)`).Scan(&owners, &stages); err != nil {
		t.Fatal(err)
	}
	storedOwners, _ := db.Owners(ctx)
	if owners != len(storedOwners) || stages != 1 {
		t.Errorf("owners %d (stored %d), stages %d (want 1)", owners, len(storedOwners), stages)
	}
}

// mirrorRows reads a type's table by id, each row by column name.
func mirrorRows(t testing.TB, conn *pgx.Conn, table string) map[string]map[string]any {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT * FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for rows.Next() {
		m, err := pgx.RowToMap(rows)
		if err != nil {
			t.Fatal(err)
		}
		out[m["id"].(string)] = m
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out
}

// checkPairs compares every association table with the pairs stored, from
// either side.
func checkPairs(t testing.TB, ctx context.Context, db *store.DB, conn *pgx.Conn, ident func(string) string) {
	t.Helper()
	want := map[string]bool{}
	stored, err := db.SQL().QueryContext(ctx, `SELECT from_type, from_id, to_type, to_id FROM associations`)
	if err != nil {
		t.Fatal(err)
	}
	for stored.Next() {
		var c store.Change
		if err := stored.Scan(&c.Type, &c.ID, &c.ToType, &c.ToID); err != nil {
			t.Fatal(err)
		}
		p := newPair(c)
		want[fmt.Sprintf("%s %s %s %s", p.typeA, p.idA, p.typeB, p.idB)] = true
	}
	stored.Close()
	got := map[string]bool{}
	for _, tp := range [][2]string{{"companies", "contacts"}, {"contacts", "deals"}} {
		table := ident("associations_" + tp[0] + "_" + tp[1])
		rows, err := conn.Query(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b string
			var types []store.AssocType
			if err := rows.Scan(&a, &b, &types); err != nil {
				t.Fatal(err)
			}
			got[fmt.Sprintf("%s %s %s %s", tp[0], a, tp[1], b)] = true
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("association pairs in the mirror %v, stored %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
}

func deref(v *string) any {
	if v == nil {
		return nil
	}
	return *v
}

func sameTime(got any, want time.Time) bool {
	if want.IsZero() {
		return got == nil
	}
	g, ok := got.(time.Time)
	return ok && g.Equal(want)
}

// sameValue says whether the mirror's typed value is the stored text read
// as its type: NULL for no value, for an empty one in a typed column and
// for one that is not of the type.
func sameValue(pgType string, got any, stored *string) bool {
	if stored == nil {
		return got == nil
	}
	s := *stored
	switch pgType {
	case "text":
		return got == s
	case "numeric":
		want, ok := new(big.Rat).SetString(s)
		if !ok {
			return got == nil
		}
		n, isNum := got.(pgtype.Numeric)
		if !isNum {
			return false
		}
		f, _ := json.Marshal(n) // pgtype.Numeric marshals as its decimal text
		g, ok := new(big.Rat).SetString(strings.Trim(string(f), `"`))
		return ok && g.Cmp(want) == 0
	case "timestamptz":
		want, ok := export.ParseTime(s)
		return (!ok && got == nil) || (ok && sameTime(got, want))
	case "date":
		want, ok := export.ParseTime(s)
		g, isTime := got.(time.Time)
		return (!ok && got == nil) || (ok && isTime && g.Format("2006-01-02") == want.Format("2006-01-02"))
	case "boolean":
		switch s {
		case "true":
			return got == true
		case "false":
			return got == false
		}
		return got == nil
	}
	return false
}
