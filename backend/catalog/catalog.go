// Package catalog names the kinds of data hubextract extracts and exports:
// the CRM object and engagement types, the marketing streams, the inline
// association table of docs/design.md and the last-modified property of each
// type. It is plain data shared by backend/extract and backend/export; it
// must not import anything of the project, nor hold behaviour beyond reading
// these tables.
package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Marketing streams, each with its own table and columns.
const (
	Forms           = "forms"
	FormSubmissions = "form_submissions"
	EmailEvents     = "email_events"
)

// The types in canonical order: the CRM objects, the engagements, then the
// marketing streams. Callers must not modify these slices.
var (
	// Objects are the CRM object types.
	Objects = []string{"contacts", "companies", "deals", "tickets"}
	// Engagements are the engagement types, one object type each.
	Engagements = []string{"calls", "emails", "meetings", "notes", "tasks"}
	// CRM is Objects then Engagements: the types stored as records.
	CRM = slices.Concat(Objects, Engagements)
	// Marketing are the marketing streams.
	Marketing = []string{Forms, FormSubmissions, EmailEvents}
	// All is every type, CRM then marketing: the default selection.
	All = slices.Concat(CRM, Marketing)
)

// PipelineTypes have pipelines and stages.
var PipelineTypes = []string{"deals", "tickets"}

// inline lists, per CRM type, the associated types requested inline on the
// list endpoint (docs/design.md). A pair is stored from the side that read
// it.
var inline = map[string][]string{
	"contacts":  {"companies"},
	"companies": {"contacts"},
	"deals":     {"contacts", "companies"},
	"tickets":   {"contacts", "companies"},
	"calls":     engagementLinks,
	"emails":    engagementLinks,
	"meetings":  engagementLinks,
	"notes":     engagementLinks,
	"tasks":     engagementLinks,
}

var engagementLinks = []string{"contacts", "companies", "deals", "tickets"}

// Inline returns the types whose ids come inline with a record of
// objectType (nil for a marketing stream).
func Inline(objectType string) []string { return slices.Clone(inline[objectType]) }

// AssociatedTypes returns the types associated with objectType in either
// direction of the inline table, in CRM order: a pair is stored from
// whichever side read it, so both sides show it.
func AssociatedTypes(objectType string) []string {
	var out []string
	for _, other := range CRM {
		if slices.Contains(inline[objectType], other) || slices.Contains(inline[other], objectType) {
			out = append(out, other)
		}
	}
	return out
}

// Metadata is the stream of property definitions, owners and pipelines that
// every run reads first.
const Metadata = "metadata"

// Rank orders streams for display: metadata, then the types in canonical
// order, then anything else.
func Rank(stream string) int {
	if stream == Metadata {
		return -1
	}
	if i := slices.Index(All, stream); i >= 0 {
		return i
	}
	return len(All)
}

// IsCRM reports whether t is a CRM object or engagement type.
func IsCRM(t string) bool { return slices.Contains(CRM, t) }

// Valid reports whether t is any known type.
func Valid(t string) bool { return slices.Contains(All, t) }

// LastModified is the property HubSpot keeps a record's last modification
// time in: lastmodifieddate for contacts, hs_lastmodifieddate elsewhere.
func LastModified(objectType string) string {
	if objectType == "contacts" {
		return "lastmodifieddate"
	}
	return "hs_lastmodifieddate"
}

// UnknownTypeError names a type that is not in All; its message lists the
// valid ones.
type UnknownTypeError struct{ Name string }

func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("unknown object type %q (valid: %s)", e.Name, strings.Join(All, ", "))
}

// Parse turns a comma-separated selection into types in canonical order,
// without duplicates; "" selects All.
func Parse(list string) ([]string, error) {
	var names []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	return Normalize(names)
}

// Normalize checks names and orders them canonically, without duplicates;
// nil or empty selects All.
func Normalize(names []string) ([]string, error) {
	if len(names) == 0 {
		return slices.Clone(All), nil
	}
	for _, n := range names {
		if !Valid(n) {
			return nil, &UnknownTypeError{Name: n}
		}
	}
	var out []string
	for _, t := range All {
		if slices.Contains(names, t) {
			out = append(out, t)
		}
	}
	return out, nil
}
