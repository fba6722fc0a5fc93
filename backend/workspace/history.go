package workspace

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// Change is one value a property had, as the record panel's timeline shows
// it: the value as a person reads it (and the stored one when it differs),
// since when, and from which source.
type Change struct {
	Value string `json:"value"`
	Raw   string `json:"raw"` // the stored value when it differs from Value; "" otherwise
	At    string `json:"at"`  // RFC 3339, UTC
	// Source says in words what set it: "HubSpot (by Ada Lovelace)",
	// "Import (Import 1234)", "Integration: Salesforce", ...
	Source     string `json:"source"`
	SourceType string `json:"sourceType"` // HubSpot's, e.g. CRM_UI, IMPORT
}

// sourceNames are HubSpot's source types in words; others show as sent.
var sourceNames = map[string]string{
	"CRM_UI":       "HubSpot",
	"IMPORT":       "Import",
	"API":          "API",
	"INTEGRATION":  "Integration",
	"CALCULATED":   "Calculated by HubSpot",
	"AUTOMATION":   "Workflow",
	"FORM":         "Form",
	"SALES":        "Sales tools",
	"MIGRATION":    "Migration",
	"CONTACTS_WEB": "HubSpot",
}

// History is one property's stored history on one record, newest first
// (empty when its history was not extracted).
func (s *RecordsService) History(objectType, id, property string) ([]Change, error) {
	return query(s.w, []Change{}, ErrNoData, func(ctx context.Context, db *store.DB) ([]Change, error) {
		return propertyHistory(ctx, db, objectType, id, property)
	})
}

func propertyHistory(ctx context.Context, db *store.DB, objectType, id, property string) ([]Change, error) {
	if !catalog.IsCRM(objectType) {
		return nil, fmt.Errorf("history: %q is not a record type", objectType)
	}
	entries, err := db.PropertyHistory(ctx, objectType, id, property)
	if err != nil {
		return nil, err
	}
	props, err := db.Properties(ctx, objectType)
	if err != nil {
		return nil, err
	}
	r, err := newReader(ctx, db, objectType, props)
	if err != nil {
		return nil, err
	}
	owners, err := db.Owners(ctx)
	if err != nil {
		return nil, err
	}
	users := map[int64]string{}
	for _, o := range owners {
		if o.UserID != 0 {
			users[o.UserID] = o.DisplayName()
		}
	}
	// An option's label or an owner's name reads the same against any
	// version of the record; a stage is read against the record as stored.
	rec, err := db.Record(ctx, objectType, id)
	if err != nil {
		rec = store.Record{Type: objectType, ID: id}
	}
	out := make([]Change, len(entries))
	for i, e := range entries {
		v := e.Value
		rec.Properties = map[string]*string{property: &v}
		c := Change{Value: r.value(property, rec), At: timeText(e.Timestamp), Source: sourceText(e, users), SourceType: e.SourceType}
		if c.Value != e.Value {
			c.Raw = e.Value
		}
		out[i] = c
	}
	return out, nil
}

// sourceText says what set a value: the source type in words, with the
// user who did it or the source's label (or id) when HubSpot gave one.
func sourceText(e store.HistoryEntry, users map[int64]string) string {
	s := sourceNames[e.SourceType]
	if s == "" {
		s = e.SourceType
	}
	var who string
	switch {
	case e.UpdatedByUserID != 0 && users[e.UpdatedByUserID] != "":
		who = "by " + users[e.UpdatedByUserID]
	case e.UpdatedByUserID != 0:
		who = "by user " + strconv.FormatInt(e.UpdatedByUserID, 10)
	case e.SourceLabel != "":
		who = e.SourceLabel
	case e.SourceID != "":
		who = e.SourceID
	}
	if who == "" || strings.EqualFold(who, s) {
		return s
	}
	return s + " (" + who + ")"
}
