package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// ObjectSchema is what is kept of one custom object's schema.
type ObjectSchema struct {
	Type       string   `json:"type"`    // HubSpot's fullyQualifiedName
	TypeID     string   `json:"type_id"` // "2-1234567"
	Label      string   `json:"label"`
	Singular   string   `json:"singular"`
	Primary    string   `json:"primary"`
	Secondary  []string `json:"secondary"`
	Associated []string `json:"associated"`
	// Removed: HubSpot no longer lists it; its records stay.
	Removed bool `json:"removed"`
}

// ReplaceObjectSchemas makes schemas the ones HubSpot lists now: each is
// written afresh, and any other kept one is marked removed (never deleted:
// its records stay, and come back to life if HubSpot lists it again).
func (tx *Tx) ReplaceObjectSchemas(ctx context.Context, schemas []ObjectSchema) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE object_schemas SET removed = 1`); err != nil {
		return fmt.Errorf("replace object schemas: %w", err)
	}
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO object_schemas (object_type, object_type_id, label,
		singular, primary_property, secondary, associated, removed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
		ON CONFLICT (object_type) DO UPDATE SET object_type_id = excluded.object_type_id, label = excluded.label,
			singular = excluded.singular, primary_property = excluded.primary_property,
			secondary = excluded.secondary, associated = excluded.associated, removed = 0`)
	if err != nil {
		return fmt.Errorf("replace object schemas: %w", err)
	}
	defer stmt.Close()
	for _, s := range schemas {
		secondary, err := json.Marshal(nonNil(s.Secondary))
		if err != nil {
			return fmt.Errorf("replace object schemas: %s: %w", s.Type, err)
		}
		associated, err := json.Marshal(nonNil(s.Associated))
		if err != nil {
			return fmt.Errorf("replace object schemas: %s: %w", s.Type, err)
		}
		if _, err := stmt.ExecContext(ctx, s.Type, s.TypeID, s.Label, s.Singular, s.Primary,
			string(secondary), string(associated)); err != nil {
			return classify(fmt.Errorf("replace object schemas: %s: %w", s.Type, err))
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ObjectSchemas lists the kept schemas, removed ones too, by type name.
func (db *DB) ObjectSchemas(ctx context.Context) ([]ObjectSchema, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT object_type, object_type_id, label, singular,
		primary_property, secondary, associated, removed FROM object_schemas ORDER BY object_type`)
	if err != nil {
		return nil, fmt.Errorf("object schemas: %w", err)
	}
	defer rows.Close()
	var out []ObjectSchema
	for rows.Next() {
		var (
			s                     ObjectSchema
			secondary, associated string
			removed               int
		)
		if err := rows.Scan(&s.Type, &s.TypeID, &s.Label, &s.Singular, &s.Primary, &secondary, &associated, &removed); err != nil {
			return nil, fmt.Errorf("object schemas: %w", err)
		}
		if err := json.Unmarshal([]byte(secondary), &s.Secondary); err != nil {
			return nil, fmt.Errorf("object schemas: %s: %w", s.Type, err)
		}
		if err := json.Unmarshal([]byte(associated), &s.Associated); err != nil {
			return nil, fmt.Errorf("object schemas: %s: %w", s.Type, err)
		}
		s.Removed = removed != 0
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("object schemas: %w", err)
	}
	return out, nil
}
