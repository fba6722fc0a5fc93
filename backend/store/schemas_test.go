package store

import (
	"context"
	"reflect"
	"testing"
)

// TestReplaceObjectSchemas: a schema HubSpot stops listing is kept, marked
// removed, and comes back when listed again.
func TestReplaceObjectSchemas(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	projects := ObjectSchema{Type: "p1_projects", TypeID: "2-11", Label: "Projects", Singular: "Project",
		Primary: "project_name", Secondary: []string{"budget"}, Associated: []string{"contacts", "deals"}}
	cars := ObjectSchema{Type: "p1_cars", TypeID: "2-12", Label: "Cars", Singular: "Car", Secondary: []string{}, Associated: []string{}}
	renamed := projects
	renamed.Label, renamed.Secondary = "Client projects", []string{"budget", "project_status"}
	gone := func(s ObjectSchema) ObjectSchema { s.Removed = true; return s }
	for _, step := range []struct {
		name   string
		listed []ObjectSchema
		want   []ObjectSchema
	}{
		{"first", []ObjectSchema{projects, cars}, []ObjectSchema{cars, projects}},
		{"cars removed, projects changed", []ObjectSchema{renamed}, []ObjectSchema{gone(cars), renamed}},
		{"none listed", nil, []ObjectSchema{gone(cars), gone(renamed)}},
		{"cars back", []ObjectSchema{cars}, []ObjectSchema{cars, gone(renamed)}},
	} {
		inTx(t, db, func(tx *Tx) error { return tx.ReplaceObjectSchemas(ctx, step.listed) })
		got, err := db.ObjectSchemas(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, step.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", step.name, got, step.want)
		}
	}
}
