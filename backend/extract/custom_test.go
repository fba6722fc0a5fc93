package extract

// Custom objects: discovered from the account's schemas each run, extracted
// like the built-in types, kept when HubSpot stops listing them.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

func TestCustomObjects(t *testing.T) {
	t.Cleanup(func() { _ = catalog.Use() })
	cfg := fakehub.Config{Scale: 60, CustomObjects: true, InlineAssociationLimit: 2}
	f := newFixture(t, cfg)
	custom := f.fake.CustomTypeName()
	db := testkit.OpenDB(t)

	// Everything: the custom object joins the run that discovers it.
	first := f.run(t.Context(), db, Options{})
	if first.Status != store.StatusSucceeded {
		t.Fatalf("first run: %s %s", first.Status, first.Error)
	}
	if !slices.Contains(first.Objects, custom) || catalog.GroupOf(custom) != catalog.GroupCustom || catalog.Label(custom) != "Projects" ||
		catalog.Singular(custom) != "Project" {
		t.Fatalf("run of %v; catalog: %s %q %q", first.Objects, catalog.GroupOf(custom), catalog.Label(custom), catalog.Singular(custom))
	}
	if want := []string{"contacts", "companies", "deals"}; !slices.Equal(catalog.Inline(custom), want) {
		t.Errorf("%s reads %v inline, want %v", custom, catalog.Inline(custom), want)
	}
	if ty, _ := catalog.Lookup(custom); ty.Columns[0] != "project_name" || ty.Title[0][0] != "project_name" {
		t.Errorf("columns %v, title %v: want the schema's primary display property first", ty.Columns, ty.Title)
	}
	checkTruth(t, db, f.fake.Truth(), catalog.All())
	if s := streamResult(t, first, custom); s.Records == 0 || s.Status != store.StatusSucceeded {
		t.Errorf("%s: %+v", custom, s)
	}
	// Its definitions at each level of sensitivity, as for the CRM objects.
	if n := f.fake.Stats().ByType["properties "+custom]; n != 3 {
		t.Errorf("%d property lists of %s, want 3 (non-sensitive, sensitive, highly sensitive)", n, custom)
	}
	if first.APICalls != first.MinimumCalls || int(first.APICalls) != f.fake.Stats().Total {
		t.Errorf("%d calls, minimum %d, the fake saw %d", first.APICalls, first.MinimumCalls, f.fake.Stats().Total)
	}

	// Changes since: an incremental run of the custom object like any type,
	// with a property the schema gained meanwhile.
	f.clk.Advance(time.Hour)
	f.fake.AddCustomProperty("project_code")
	f.fake.Modify(custom, f.fake.Truth().IDs(custom, false)[:3], f.clk.Now())
	second := f.run(t.Context(), db, Options{})
	if second.Status != store.StatusSucceeded || second.Mode != store.ModeIncremental {
		t.Fatalf("second run: %s %s %s", second.Status, second.Mode, second.Error)
	}
	if s := streamResult(t, second, custom); s.Records < 3 {
		t.Errorf("%s in the incremental run: %+v", custom, s)
	}
	props, err := db.Properties(t.Context(), custom)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(props, func(p store.Property) bool { return p.Name == "project_code" }) {
		t.Error("the property the schema gained is not stored")
	}

	// HubSpot no longer lists the type: it leaves the selection, its
	// records stay.
	f.clk.Advance(time.Hour)
	before, _, err := db.CountRecords(t.Context(), custom)
	if err != nil {
		t.Fatal(err)
	}
	f.fake.RemoveCustomType()
	third := f.run(t.Context(), db, Options{})
	if third.Status != store.StatusSucceeded || slices.Contains(third.Objects, custom) || catalog.Valid(custom) {
		t.Fatalf("run after the type was removed: %s %s, objects %v", third.Status, third.Error, third.Objects)
	}
	if after, _, err := db.CountRecords(t.Context(), custom); err != nil || after != before {
		t.Errorf("%d records of the removed type kept, had %d (%v)", after, before, err)
	}
	schemas, err := db.ObjectSchemas(t.Context())
	if err != nil || len(schemas) != 1 || !schemas[0].Removed {
		t.Errorf("kept schemas %+v, %v: want the type marked removed", schemas, err)
	}
}

// TestCustomObjectsWithoutTheirScopes: a key that may not read the schemas
// extracts everything else and says which scope would add custom objects;
// one that reads the schemas but not the records shows the type
// unavailable.
func TestCustomObjectsWithoutTheirScopes(t *testing.T) {
	t.Cleanup(func() { _ = catalog.Use() })
	for _, tt := range []struct {
		name, deny, scope string
		unavailable       bool
	}{
		{name: "NoSchemas", deny: "schemas", scope: "crm.schemas.custom.read"},
		{name: "NoRecords", deny: "custom", scope: catalog.CustomScope, unavailable: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakehub.Config{Scale: 20, CustomObjects: true})
			custom := f.fake.CustomTypeName()
			deny := tt.deny
			if deny == "custom" {
				deny = custom
			}
			f.fake.DenyScope(deny, tt.scope)
			events := &testkit.Events{}
			db := testkit.OpenDB(t)
			res := f.run(t.Context(), db, Options{Progress: events})
			if res.Status != store.StatusSucceeded {
				t.Fatalf("run: %s %s", res.Status, res.Error)
			}
			said := slices.ContainsFunc(events.Logs(), func(l string) bool { return strings.Contains(l, "lacks "+tt.scope) }) ||
				slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "lacks "+tt.scope) })
			if !said {
				t.Errorf("nothing says the key lacks %s: %q %q", tt.scope, events.Logs(), res.Warnings)
			}
			if got := slices.Contains(res.Objects, custom); got != tt.unavailable {
				t.Errorf("%s in the run: %v, want %v", custom, got, tt.unavailable)
			}
			if tt.unavailable {
				if s := streamResult(t, res, custom); s.Status != store.StatusUnavailable || s.Scope != tt.scope {
					t.Errorf("%s: %+v", custom, s)
				}
			}
			checkTruth(t, db, f.fake.Truth(), catalog.Builtin().Names(nil), custom)
		})
	}
}
