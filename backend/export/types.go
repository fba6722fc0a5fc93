package export

import (
	"fmt"
	"slices"
	"strings"
)

// CRMTypes are the object types exported by Records, in the order their
// association columns appear.
var CRMTypes = []string{"contacts", "companies", "deals", "tickets", "calls", "emails", "meetings", "notes", "tasks"}

// Marketing types, each with its own columns.
const (
	TypeForms           = "forms"
	TypeFormSubmissions = "form_submissions"
	TypeEmailEvents     = "email_events"
)

// Types lists every exportable type: the CRM types, then the marketing ones.
var Types = append(slices.Clone(CRMTypes), TypeForms, TypeFormSubmissions, TypeEmailEvents)

// UnknownTypeError is returned for a type that is not in Types; its message
// names the valid ones.
type UnknownTypeError struct{ Type string }

func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("unknown object type %q (valid: %s)", e.Type, strings.Join(Types, ", "))
}

// ValidType reports whether typ can be exported.
func ValidType(typ string) bool { return slices.Contains(Types, typ) }

func isCRM(typ string) bool { return slices.Contains(CRMTypes, typ) }

// requested lists, per type, the association types extracted inline with it
// (docs/design.md, "Inline associations requested per type"). A pair is
// stored from the side that listed it, so a type's associated types are the
// ones it lists plus the ones that list it.
var requested = map[string][]string{
	"contacts":  {"companies"},
	"companies": {"contacts"},
	"deals":     {"contacts", "companies"},
	"tickets":   {"contacts", "companies"},
	"calls":     {"contacts", "companies", "deals", "tickets"},
	"emails":    {"contacts", "companies", "deals", "tickets"},
	"meetings":  {"contacts", "companies", "deals", "tickets"},
	"notes":     {"contacts", "companies", "deals", "tickets"},
	"tasks":     {"contacts", "companies", "deals", "tickets"},
}

// AssociatedTypes returns the types whose ids fill typ's associated_<type>
// columns, in CRMTypes order: both directions of the design's table.
func AssociatedTypes(typ string) []string {
	var out []string
	for _, other := range CRMTypes {
		if slices.Contains(requested[typ], other) || slices.Contains(requested[other], typ) {
			out = append(out, other)
		}
	}
	return out
}
