package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", All, false},
		{" , ", All, false},
		{"deals, contacts,deals", []string{"contacts", "deals"}, false},
		{"Notes", []string{"notes"}, false},
		{"email_events,forms,contacts", []string{"contacts", "forms", "email_events"}, false},
		{"contacts,widgets", nil, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("Parse(%q) = %v, %v", tt.in, got, err)
		}
		var ute *UnknownTypeError
		if err != nil && (!errors.As(err, &ute) || !strings.Contains(err.Error(), "contacts, companies") ||
			!strings.Contains(err.Error(), "email_events")) {
			t.Errorf("error %q does not name the valid types", err)
		}
	}
}

func TestAssociatedTypes(t *testing.T) {
	tests := map[string][]string{
		"contacts":  {"companies", "deals", "tickets", "calls", "emails", "meetings", "notes", "tasks"},
		"deals":     {"contacts", "companies", "calls", "emails", "meetings", "notes", "tasks"},
		"notes":     {"contacts", "companies", "deals", "tickets"},
		"forms":     nil,
		"companies": {"contacts", "deals", "tickets", "calls", "emails", "meetings", "notes", "tasks"},
	}
	for typ, want := range tests {
		if got := AssociatedTypes(typ); !slices.Equal(got, want) {
			t.Errorf("AssociatedTypes(%s) = %v, want %v", typ, got, want)
		}
	}
}

func TestTables(t *testing.T) {
	for _, typ := range CRM {
		if len(Inline(typ)) == 0 {
			t.Errorf("%s has no inline associations", typ)
		}
	}
	if LastModified("contacts") != "lastmodifieddate" || LastModified("deals") != "hs_lastmodifieddate" {
		t.Error("last-modified properties")
	}
	if !IsCRM("tasks") || IsCRM("forms") || !Valid("forms") || Valid("widgets") {
		t.Error("IsCRM/Valid")
	}
	in := Inline("deals")
	in[0] = "changed"
	if Inline("deals")[0] != "contacts" {
		t.Error("Inline returned the table itself")
	}
}
