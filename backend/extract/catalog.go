package extract

import (
	"fmt"
	"slices"
	"strings"
)

// ObjectTypes are the CRM object and engagement types the engine extracts,
// in their canonical order (the default selection).
var ObjectTypes = []string{
	"contacts", "companies", "deals", "tickets",
	"calls", "emails", "meetings", "notes", "tasks",
}

// inline lists, per type, the associated types requested inline on the list
// endpoint (docs/design.md). A type absent from a record's associations has
// none of that type.
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

// pipelineTypes have pipelines and stages to read as metadata.
var pipelineTypes = []string{"deals", "tickets"}

// InlineAssociations returns the types whose ids come inline with a record
// of objectType.
func InlineAssociations(objectType string) []string { return slices.Clone(inline[objectType]) }

// UnknownObjectError names a type that is not one of ObjectTypes.
type UnknownObjectError struct{ Name string }

func (e *UnknownObjectError) Error() string {
	return fmt.Sprintf("unknown object type %q (valid: %s)", e.Name, strings.Join(ObjectTypes, ", "))
}

// ParseObjects turns a comma-separated selection into types in canonical
// order, without duplicates; "" selects every type.
func ParseObjects(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return slices.Clone(ObjectTypes), nil
	}
	var names []string
	for _, n := range strings.Split(list, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		names = append(names, n)
	}
	return normalizeObjects(names)
}

// normalizeObjects checks names and orders them canonically; nil or empty
// selects every type.
func normalizeObjects(names []string) ([]string, error) {
	if len(names) == 0 {
		return slices.Clone(ObjectTypes), nil
	}
	for _, n := range names {
		if !slices.Contains(ObjectTypes, n) {
			return nil, &UnknownObjectError{Name: n}
		}
	}
	var out []string
	for _, t := range ObjectTypes {
		if slices.Contains(names, t) {
			out = append(out, t)
		}
	}
	return out, nil
}
