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
		{"", All(), false},
		{" , ", All(), false},
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
		"contacts":   {"companies", "deals", "tickets", "leads", "quotes", "calls", "emails", "meetings", "notes", "tasks", "communications", "postal_mail"},
		"deals":      {"contacts", "companies", "line_items", "quotes", "calls", "emails", "meetings", "notes", "tasks", "communications", "postal_mail"},
		"notes":      {"contacts", "companies", "deals", "tickets"},
		"forms":      nil,
		"companies":  {"contacts", "deals", "tickets", "leads", "quotes", "calls", "emails", "meetings", "notes", "tasks", "communications", "postal_mail"},
		"line_items": {"deals", "quotes"},
		"quotes":     {"contacts", "companies", "deals", "line_items"},
		"leads":      {"contacts", "companies"},
		"products":   nil,
	}
	for typ, want := range tests {
		if got := AssociatedTypes(typ); !slices.Equal(got, want) {
			t.Errorf("AssociatedTypes(%s) = %v, want %v", typ, got, want)
		}
	}
}

func TestTables(t *testing.T) {
	for _, typ := range CRM() {
		// Products alone are linked by a property (a line item's
		// hs_product_id), not by associations.
		if len(Inline(typ)) == 0 && typ != "products" {
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

func TestWords(t *testing.T) {
	tests := []struct{ name, label, singular, group string }{
		{"companies", "Companies", "Company", GroupCRM},
		{"notes", "Notes", "Note", GroupEngagements},
		{"email_events", "Marketing email events", "Email event", GroupMarketing},
		{"form_submissions", "Form submissions", "Form submission", GroupMarketing},
		{Metadata, "Owners and pipelines", Metadata, GroupOther},
	}
	for _, tt := range tests {
		if got := Label(tt.name); got != tt.label {
			t.Errorf("Label(%s) = %q, want %q", tt.name, got, tt.label)
		}
		if got := Singular(tt.name); got != tt.singular {
			t.Errorf("Singular(%s) = %q, want %q", tt.name, got, tt.singular)
		}
		if got := GroupOf(tt.name); got != tt.group {
			t.Errorf("GroupOf(%s) = %q, want %q", tt.name, got, tt.group)
		}
	}
	if GroupLabel(GroupCRM) != "CRM objects" || GroupLabel("nonsense") != "Other" {
		t.Error("GroupLabel")
	}
	if !slices.Equal(PipelineTypes(), []string{"deals", "tickets"}) || !slices.Equal(Marketing(), []string{Forms, FormSubmissions, EmailEvents}) {
		t.Errorf("PipelineTypes %v, Marketing %v", PipelineTypes(), Marketing())
	}
}

// TestRegister: a type registered from data (a custom object's schema) is
// known like a built-in one, and a bad one is refused with its reason.
func TestRegister(t *testing.T) {
	project := Type{Name: "p_projects", Label: "Projects", Group: GroupCustom, Records: true,
		Inline: []string{"contacts", "companies"}, Columns: []string{"project_name"}, Title: [][]string{{"project_name"}}}
	tests := []struct {
		name    string
		typ     Type
		problem string // "" registers
	}{
		{"OK", project, ""},
		{"ErrTaken", Type{Name: "contacts", Label: "Contacts", Group: GroupCRM}, "taken"},
		{"ErrMetadata", Type{Name: Metadata, Label: "x", Group: GroupOther}, "taken"},
		{"ErrName", Type{Name: "Bad Name", Label: "x", Group: GroupCustom}, "lower-case"},
		{"ErrLabel", Type{Name: "p_x", Label: " ", Group: GroupCustom}, "no label"},
		{"ErrGroup", Type{Name: "p_x", Label: "X", Group: "widgets"}, "unknown group"},
		{"ErrInline", Type{Name: "p_x", Label: "X", Group: GroupCustom, Inline: []string{"forms"}}, "not a record type"},
		{"ErrInlineUnknown", Type{Name: "p_x", Label: "X", Group: GroupCustom, Inline: []string{"p_elsewhere"}}, "not a record type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Builtin()
			err := c.Register(tt.typ)
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("Register = %v, want an error saying %q", err, tt.problem)
				}
				if len(c.Names(nil)) != len(All()) {
					t.Errorf("a refused type was added: %v", c.Names(nil))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := c.Lookup("p_projects")
			if !ok || got.Singular != "Projects" || got.LastModified != "hs_lastmodifieddate" || got.Group != GroupCustom {
				t.Errorf("registered type = %+v, %v", got, ok)
			}
			if names := c.Names(func(x Type) bool { return x.Records }); names[len(names)-1] != "p_projects" {
				t.Errorf("record types %v do not end with the custom one", names)
			}
			if _, ok := Lookup("p_projects"); ok {
				t.Error("registering into one catalog changed the built-in one")
			}
			// Custom objects associated with each other come in one batch.
			a := Type{Name: "p_a", Label: "A", Group: GroupCustom, Records: true, Inline: []string{"p_b"}}
			b := Type{Name: "p_b", Label: "B", Group: GroupCustom, Records: true, Inline: []string{"p_a", "deals"}}
			if err := c.Register(a, b); err != nil {
				t.Errorf("a batch naming each other: %v", err)
			}
		})
	}
}

// TestSensitiveLevels: the CRM objects that hold sensitive data name the
// scope of each level (tickets in their own family); engagements, marketing
// streams and unknown types have none, so no extra calls are made for them.
func TestSensitiveLevels(t *testing.T) {
	tests := []struct {
		typ  string
		want []SensitiveLevel
	}{
		{"contacts", []SensitiveLevel{{Sensitive, "crm.objects.contacts.sensitive.read"},
			{HighlySensitive, "crm.objects.contacts.highly_sensitive.read"}}},
		{"companies", []SensitiveLevel{{Sensitive, "crm.objects.companies.sensitive.read"},
			{HighlySensitive, "crm.objects.companies.highly_sensitive.read"}}},
		{"deals", []SensitiveLevel{{Sensitive, "crm.objects.deals.sensitive.read"},
			{HighlySensitive, "crm.objects.deals.highly_sensitive.read"}}},
		{"tickets", []SensitiveLevel{{Sensitive, "tickets.sensitive"}, {HighlySensitive, "tickets.highly_sensitive"}}},
		{"notes", nil},
		{"calls", nil},
		{Forms, nil},
		{EmailEvents, nil},
		{"widgets", nil},
	}
	for _, tt := range tests {
		if got := SensitiveLevels(tt.typ); !slices.Equal(got, tt.want) {
			t.Errorf("SensitiveLevels(%s) = %v, want %v", tt.typ, got, tt.want)
		}
	}
	// A registered type may carry its own scope, for one level only.
	c := Builtin()
	if err := c.Register(Type{Name: "p_x", Label: "X", Group: GroupCustom, Records: true,
		SensitiveScope: "crm.objects.custom.sensitive.read"}); err != nil {
		t.Fatal(err)
	}
	if got := c.SensitiveLevels("p_x"); !slices.Equal(got, []SensitiveLevel{{Sensitive, "crm.objects.custom.sensitive.read"}}) {
		t.Errorf("registered type's levels = %v", got)
	}
}

// TestReadScope: every built-in type names the scope that reads it (the
// activities the contacts scope, as HubSpot grants them), so a key's
// missing scope can be turned into the types it hides.
func TestReadScope(t *testing.T) {
	want := map[string]string{
		"contacts": "crm.objects.contacts.read", "companies": "crm.objects.companies.read",
		"deals": "crm.objects.deals.read", "tickets": "tickets",
		"calls": "crm.objects.contacts.read", "emails": "crm.objects.contacts.read",
		"meetings": "crm.objects.contacts.read", "notes": "crm.objects.contacts.read",
		"tasks": "crm.objects.contacts.read",
		Forms:   "forms", FormSubmissions: "forms", EmailEvents: "content",
		"widgets": "",
	}
	for typ, scope := range want {
		if got := ReadScope(typ); got != scope {
			t.Errorf("ReadScope(%s) = %q, want %q", typ, got, scope)
		}
	}
	// A built-in type added later must say too, or it could never be
	// shown as unavailable.
	for _, typ := range All() {
		if ReadScope(typ) == "" {
			t.Errorf("type %s has no read scope", typ)
		}
	}
}
