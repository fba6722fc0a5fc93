package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// Detail is one record with every property by label and its associated
// records.
type Detail struct {
	Type         string        `json:"type"`
	TypeLabel    string        `json:"typeLabel"`    // "Companies"
	TypeSingular string        `json:"typeSingular"` // "Company"
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	CreatedAt    string        `json:"createdAt"`
	UpdatedAt    string        `json:"updatedAt"`
	Archived     bool          `json:"archived"`
	Properties   []Property    `json:"properties"`   // by label; empty ones included
	Associations []Association `json:"associations"` // by type, in screen order
}

// Property is one property's value on a record.
type Property struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Value string `json:"value"` // readable: labels, owner names, HTML as text
	// Raw is the stored value when it differs from Value (an option's
	// internal value, an owner id, HTML source); "" otherwise.
	Raw  string `json:"raw"`
	HTML bool   `json:"html"` // Raw is HTML source
	// Sensitivity is "sensitive" or "highly_sensitive" for a property
	// HubSpot marks so ("" otherwise): the screen marks it, as such values
	// deserve care (and exports leave them out unless asked).
	Sensitivity string `json:"sensitivity"`
	// History is how many values the property's stored history holds (0
	// when its type's history was not extracted): with more than one,
	// the panel offers its timeline (RecordsService.History).
	History int `json:"history"`
}

// Association lists the records of one type linked to the record.
type Association struct {
	Type    string `json:"type"`
	Label   string `json:"label"`
	Total   int    `json:"total"`
	Records []Ref  `json:"records"` // the first maxRefs
}

// Ref names a linked record; Stored is false when it is not in the
// database (not extracted, or of a type not selected).
type Ref struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Title  string `json:"title"`
	Stored bool   `json:"stored"`
}

// maxRefs bounds the linked records named per type (a company may have
// thousands of contacts); Total says how many there are.
const maxRefs = 100

// RecordDetail reads one record; store.ErrNotFound when it is not stored.
func recordDetail(ctx context.Context, db *store.DB, objectType, id string) (Detail, error) {
	if !catalog.IsCRM(objectType) {
		return Detail{}, fmt.Errorf("record: %q is not a record type", objectType)
	}
	rec, err := db.Record(ctx, objectType, id)
	if err != nil {
		return Detail{}, err
	}
	props, err := db.Properties(ctx, objectType)
	if err != nil {
		return Detail{}, err
	}
	r, err := newReader(ctx, db, objectType, props)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{
		Type: objectType, TypeLabel: catalog.Label(objectType), TypeSingular: catalog.Singular(objectType), ID: id, Title: r.title(rec),
		CreatedAt: timeText(rec.CreatedAt), UpdatedAt: timeText(rec.UpdatedAt), Archived: rec.Archived,
		Properties: []Property{}, Associations: []Association{},
	}
	names := map[string]bool{}
	for _, p := range props {
		names[p.Name] = true
	}
	for n := range rec.Properties {
		names[n] = true
	}
	history, err := db.HistoryCounts(ctx, objectType, id)
	if err != nil {
		return Detail{}, err
	}
	for n := range names {
		p := Property{Name: n, Label: labelOf(props, n), Value: r.value(n, rec), HTML: r.html[n],
			Sensitivity: sensitivityOf(props, n), History: history[n]}
		if raw := rec.Properties[n]; raw != nil && *raw != p.Value {
			p.Raw = *raw
		}
		d.Properties = append(d.Properties, p)
	}
	slices.SortFunc(d.Properties, func(a, b Property) int {
		if c := strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	linked, err := db.AssociatedIDs(ctx, objectType, id)
	if err != nil {
		return Detail{}, err
	}
	readers := map[string]*reader{}
	for _, t := range catalog.CRM() {
		ids := linked[t]
		if len(ids) == 0 {
			continue
		}
		a := Association{Type: t, Label: catalog.Label(t), Total: len(ids), Records: []Ref{}}
		for _, oid := range ids[:min(len(ids), maxRefs)] {
			ref, err := refOf(ctx, db, readers, t, oid)
			if err != nil {
				return Detail{}, err
			}
			a.Records = append(a.Records, ref)
		}
		d.Associations = append(d.Associations, a)
	}
	return d, nil
}

// refOf names one linked record, building each type's reader once.
func refOf(ctx context.Context, db *store.DB, readers map[string]*reader, t, id string) (Ref, error) {
	ref := Ref{Type: t, ID: id, Title: catalog.Singular(t) + " " + id}
	rec, err := db.Record(ctx, t, id)
	if errors.Is(err, store.ErrNotFound) {
		return ref, nil
	}
	if err != nil {
		return ref, err
	}
	r := readers[t]
	if r == nil {
		props, err := db.Properties(ctx, t)
		if err != nil {
			return ref, err
		}
		if r, err = newReader(ctx, db, t, props); err != nil {
			return ref, err
		}
		readers[t] = r
	}
	ref.Title, ref.Stored = r.title(rec), true
	return ref, nil
}
