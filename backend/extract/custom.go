package extract

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// schemasCalls is what discovering the custom objects costs: one unpaged
// read of the schemas, each run.
const schemasCalls = 1

// UseStoredTypes makes the custom objects db knows (from the last run that
// read the account's schemas) types of the catalog, so that they can be
// selected, browsed and exported; a schema HubSpot no longer lists is left
// out (its records stay in the database).
func UseStoredTypes(ctx context.Context, db *store.DB) error {
	schemas, err := db.ObjectSchemas(ctx)
	if err != nil {
		return err
	}
	return useSchemas(schemas)
}

func useSchemas(schemas []store.ObjectSchema) error {
	var types []catalog.Type
	for _, s := range schemas {
		if !s.Removed {
			types = append(types, catalog.CustomType(catalog.Schema{Name: s.Type, Label: s.Label, Singular: s.Singular,
				TypeID: s.TypeID, Primary: s.Primary, Secondary: s.Secondary, Associated: s.Associated}))
		}
	}
	if err := catalog.Use(types...); err != nil {
		return fmt.Errorf("custom objects: %w", err)
	}
	return nil
}

// discoverTypes reads the account's custom object schemas, keeps them, and
// makes them the catalog's custom types. A key without the schemas scope is
// normal (most accounts have no custom objects): the stored ones stay in
// use and the note says which scope would read them. Any other failure
// leaves the stored ones in use too, and is the warning: the run goes on
// (and meets a wrong key or an outage itself, and says so).
func discoverTypes(ctx context.Context, db *store.DB, c *hubspot.Client) (note, warning string, err error) {
	found, err := c.Schemas(ctx)
	var denied *hubspot.ScopeError
	switch {
	case errors.As(err, &denied):
		scope := hubspot.SchemasScope
		if len(denied.Scopes) > 0 {
			scope = denied.Scopes[0]
		}
		return "custom objects: not read: the key lacks " + scope + "; add it to the key in HubSpot to include them",
			"", UseStoredTypes(ctx, db)
	case err != nil && ctx.Err() == nil && !errors.As(err, new(*hubspot.AuthError)):
		return "", "custom objects: the schemas were not read (" + hubspot.UserMessage(err) + "); those found before are extracted",
			UseStoredTypes(ctx, db)
	case err != nil:
		return "", "", err
	}
	schemas := schemasOf(found)
	if err := db.TransactionContext(ctx, func(tx *store.Tx) error { return tx.ReplaceObjectSchemas(ctx, schemas) }); err != nil {
		return "", "", err
	}
	return "", "", useSchemas(schemas)
}

// schemasOf turns HubSpot's schemas into what is kept: the associated
// types by the names the catalog knows them under (standard object type
// ids, or another custom object's name).
func schemasOf(found []hubspot.ObjectSchema) []store.ObjectSchema {
	names := map[string]string{}
	for _, s := range found {
		names[s.ObjectTypeID] = s.FullyQualifiedName
	}
	var out []store.ObjectSchema
	for _, s := range found {
		if s.Archived || s.FullyQualifiedName == "" {
			continue
		}
		ks := store.ObjectSchema{Type: s.FullyQualifiedName, TypeID: s.ObjectTypeID, Label: s.Labels.Plural,
			Singular: s.Labels.Singular, Primary: s.PrimaryDisplayProperty, Secondary: s.SecondaryDisplayProperties}
		if ks.Label == "" {
			ks.Label = s.Name
		}
		for _, a := range s.Associations {
			other := a.ToObjectTypeID
			if other == s.ObjectTypeID {
				other = a.FromObjectTypeID
			}
			n, ok := names[other]
			if !ok {
				n, ok = catalog.ByTypeID(other)
			}
			if ok && n != s.FullyQualifiedName && !slices.Contains(ks.Associated, n) {
				ks.Associated = append(ks.Associated, n)
			}
		}
		// In the catalog's order, as the built-in types list theirs.
		slices.SortStableFunc(ks.Associated, func(a, b string) int { return catalog.Rank(a) - catalog.Rank(b) })
		out = append(out, ks)
	}
	return out
}
