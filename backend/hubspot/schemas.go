package hubspot

import (
	"context"
	"fmt"
)

// SchemasScope is the scope the object schemas endpoint needs (its
// description also takes crm.objects.custom.read).
const SchemasScope = "crm.schemas.custom.read"

// ObjectSchema is a custom object's schema, as GET
// /crm-object-schemas/{v3|2026-09}/schemas gives it.
type ObjectSchema struct {
	ID                 string `json:"id"`
	ObjectTypeID       string `json:"objectTypeId"` // "2-1234567"
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"` // "p1234_projects": what the objects API takes
	Labels             struct {
		Singular string `json:"singular"`
		Plural   string `json:"plural"`
	} `json:"labels"`
	PrimaryDisplayProperty     string              `json:"primaryDisplayProperty"`
	SecondaryDisplayProperties []string            `json:"secondaryDisplayProperties"`
	Archived                   bool                `json:"archived"`
	Associations               []SchemaAssociation `json:"associations"`
}

// SchemaAssociation is one association definition of a schema, between
// object type ids ("0-1" contacts, "2-1234567" a custom object).
type SchemaAssociation struct {
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
	Name             string `json:"name"`
}

// Schemas lists the account's custom object schemas (one unpaged answer;
// none on an account without custom objects).
func (c *Client) Schemas(ctx context.Context) ([]ObjectSchema, error) {
	p, err := getPage[ObjectSchema](ctx, c, "schemas", opSchemas, nil, "")
	if err != nil {
		return nil, fmt.Errorf("custom object schemas: %w", err)
	}
	return p.Results, nil
}
