package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Property is a HubSpot property definition: it turns internal names and
// option values into the labels people read.
type Property struct {
	ObjectType   string   `json:"object_type"`
	Name         string   `json:"name"`
	Label        string   `json:"label"`
	Type         string   `json:"type"`
	FieldType    string   `json:"field_type"`
	GroupName    string   `json:"group_name"`
	DisplayOrder int      `json:"display_order"`
	Hidden       bool     `json:"hidden"`
	Options      []Option `json:"options"`
	// Sensitivity is HubSpot's level for the property: NonSensitive,
	// "sensitive" or "highly_sensitive" ("" is stored as NonSensitive).
	Sensitivity string `json:"sensitivity"`
}

// NonSensitive is the level of a property HubSpot does not mark sensitive,
// the column's default (migration 0006).
const NonSensitive = "non_sensitive"

// Option is one choice of an enumeration property.
type Option struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// ReplaceProperties makes props the whole set of objectType's definitions.
func (tx *Tx) ReplaceProperties(ctx context.Context, objectType string, props []Property) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM properties WHERE object_type = ?`, objectType); err != nil {
		return fmt.Errorf("replace %s properties: %w", objectType, err)
	}
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO properties (object_type, name, label, type,
		field_type, group_name, display_order, options, hidden, data_sensitivity)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (object_type, name) DO UPDATE SET label = excluded.label, type = excluded.type,
			field_type = excluded.field_type, group_name = excluded.group_name,
			display_order = excluded.display_order, options = excluded.options, hidden = excluded.hidden,
			data_sensitivity = excluded.data_sensitivity`)
	if err != nil {
		return fmt.Errorf("replace %s properties: %w", objectType, err)
	}
	defer stmt.Close()
	for _, p := range props {
		if p.Name == "" {
			return fmt.Errorf("replace %s properties: a property (label %q) has no name", objectType, p.Label)
		}
		opts := p.Options
		if opts == nil {
			opts = []Option{}
		}
		body, err := json.Marshal(opts)
		if err != nil {
			return fmt.Errorf("replace %s properties: %s: %w", objectType, p.Name, err)
		}
		level := p.Sensitivity
		if level == "" {
			level = NonSensitive
		}
		if _, err := stmt.ExecContext(ctx, objectType, p.Name, p.Label, p.Type, p.FieldType, p.GroupName,
			p.DisplayOrder, string(body), boolInt(p.Hidden), level); err != nil {
			return fmt.Errorf("replace %s properties: %s: %w", objectType, p.Name, err)
		}
	}
	return nil
}

// Properties lists objectType's property definitions by name.
func (db *DB) Properties(ctx context.Context, objectType string) ([]Property, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT object_type, name, label, type, field_type, group_name,
		display_order, options, hidden, data_sensitivity FROM properties WHERE object_type = ? ORDER BY name`, objectType)
	if err != nil {
		return nil, fmt.Errorf("%s properties: %w", objectType, err)
	}
	defer rows.Close()
	props := []Property{}
	for rows.Next() {
		var (
			p      Property
			opts   string
			hidden int
		)
		if err := rows.Scan(&p.ObjectType, &p.Name, &p.Label, &p.Type, &p.FieldType, &p.GroupName,
			&p.DisplayOrder, &opts, &hidden, &p.Sensitivity); err != nil {
			return nil, fmt.Errorf("%s properties: %w", objectType, err)
		}
		if err := json.Unmarshal([]byte(opts), &p.Options); err != nil {
			return nil, fmt.Errorf("%s property %s: decode options: %w", objectType, p.Name, err)
		}
		p.Hidden = hidden != 0
		props = append(props, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s properties: %w", objectType, err)
	}
	return props, nil
}

// Owner is a HubSpot user who can own records.
type Owner struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	UserID    int64     `json:"user_id"`
	Archived  bool      `json:"archived"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// DisplayName is "First Last", else the email, else the id.
func (o Owner) DisplayName() string {
	if name := strings.TrimSpace(o.FirstName + " " + o.LastName); name != "" {
		return name
	}
	if o.Email != "" {
		return o.Email
	}
	return o.ID
}

// UpsertOwners writes owners, updating those already stored.
func (tx *Tx) UpsertOwners(ctx context.Context, owners []Owner) error {
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO owners (id, email, first_name, last_name,
		user_id, archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name,
			last_name = excluded.last_name, user_id = excluded.user_id, archived = excluded.archived,
			created_at = excluded.created_at, updated_at = excluded.updated_at`)
	if err != nil {
		return fmt.Errorf("upsert owners: %w", err)
	}
	defer stmt.Close()
	for _, o := range owners {
		if o.ID == "" {
			return fmt.Errorf("upsert owners: an owner (%s) has no id", o.DisplayName())
		}
		var userID any
		if o.UserID != 0 {
			userID = o.UserID
		}
		if _, err := stmt.ExecContext(ctx, o.ID, o.Email, o.FirstName, o.LastName, userID,
			boolInt(o.Archived), toMillis(o.CreatedAt), toMillis(o.UpdatedAt)); err != nil {
			return fmt.Errorf("upsert owner %s: %w", o.ID, err)
		}
	}
	return nil
}

// Owners lists every stored owner in numeric id order.
func (db *DB) Owners(ctx context.Context) ([]Owner, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, email, first_name, last_name, user_id, archived,
		created_at, updated_at FROM owners ORDER BY length(id), id`)
	if err != nil {
		return nil, fmt.Errorf("owners: %w", err)
	}
	defer rows.Close()
	owners := []Owner{}
	for rows.Next() {
		var (
			o                Owner
			userID           sql.NullInt64
			archived         int
			created, updated sql.NullInt64
		)
		if err := rows.Scan(&o.ID, &o.Email, &o.FirstName, &o.LastName, &userID, &archived,
			&created, &updated); err != nil {
			return nil, fmt.Errorf("owners: %w", err)
		}
		o.UserID, o.Archived = userID.Int64, archived != 0
		o.CreatedAt, o.UpdatedAt = fromMillis(created), fromMillis(updated)
		owners = append(owners, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("owners: %w", err)
	}
	return owners, nil
}
