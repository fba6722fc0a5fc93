// Package catalog is the one place that knows what a type is: its name, its
// label and the word for one of its records, the group it is shown in, the
// associations requested inline with it, the columns and properties that
// name and describe its records, its last-modified property, whether it has
// pipelines. The built-in types are literals here; a type can also be
// registered from data (a custom object's schema) into a Catalog. Every
// other package asks here rather than keeping its own table. It is plain
// data: it must not import anything of the project.
package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
)

// Groups of types, as the Extract and Overview screens show them.
const (
	GroupCRM         = "crm"
	GroupCommerce    = "commerce"
	GroupEngagements = "engagements"
	GroupMarketing   = "marketing"
	GroupCustom      = "custom"
	GroupOther       = "other"
)

// Group is a heading types are listed under.
type Group struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// groups in screen order.
var groups = []Group{
	{GroupCRM, "CRM objects"},
	{GroupCommerce, "Commerce"},
	{GroupEngagements, "Engagements"},
	{GroupMarketing, "Marketing"},
	{GroupCustom, "Custom objects"},
	{GroupOther, "Other"},
}

// GroupLabel is a group's heading ("Other" for an unknown group).
func GroupLabel(id string) string {
	if i := slices.IndexFunc(groups, func(g Group) bool { return g.ID == id }); i >= 0 {
		return groups[i].Label
	}
	return "Other"
}

// Type is everything the app knows about one type.
type Type struct {
	Name string `json:"name"` // HubSpot's name: "contacts", "p_projects", "form_submissions"
	// TypeID is HubSpot's object type id ("0-1" contacts, "2-1234567" a
	// custom object); "" for a marketing stream.
	TypeID   string `json:"typeId"`
	Label    string `json:"label"`    // a list of them: "Companies"
	Singular string `json:"singular"` // one of them: "Company"
	Group    string `json:"group"`    // one of the Group* constants
	// Records: stored as CRM records (read through the objects API);
	// otherwise a marketing stream with a table of its own.
	Records bool `json:"records"`
	// Inline are the types whose ids are requested inline with a page of
	// these records; a pair is stored from the side that read it.
	Inline []string `json:"inline"`
	// Columns are the record table's default columns.
	Columns []string `json:"columns"`
	// Links are the associated types whose records the table names in a
	// default column of their own (a line item's deal).
	Links []string `json:"links"`
	// Title lists property groups that name a record; the first group with
	// a non-empty value wins ("Ada Lovelace", else her email).
	Title [][]string `json:"title"`
	// HTML are properties holding HTML (bodies), shown as their text.
	HTML []string `json:"html"`
	// LastModified is the property holding a record's last change.
	LastModified string `json:"lastModified"`
	// Pipelines: the type has pipelines and stages.
	Pipelines bool `json:"pipelines"`
	// SensitiveScope and HighlySensitiveScope are the scopes a key needs to
	// list the type's sensitive and highly sensitive property definitions
	// (and so read their values); "" for a type that holds no sensitive
	// data. HubSpot lists each level apart, so a type with these scopes
	// costs two more properties calls.
	SensitiveScope       string `json:"sensitiveScope"`
	HighlySensitiveScope string `json:"highlySensitiveScope"`
	// ReadScope is the scope a key needs to read the type at all: without
	// it HubSpot refuses the type's first call, and the type is shown as
	// unavailable (naming this scope) rather than failing a run. "" for a
	// type every key can read.
	ReadScope string `json:"readScope"`
}

// The levels of sensitivity HubSpot marks property definitions with, as
// its properties API names them (dataSensitivity).
const (
	NonSensitive    = "non_sensitive"
	Sensitive       = "sensitive"
	HighlySensitive = "highly_sensitive"
)

// SensitiveLevel is one level beyond non-sensitive that a type can hold,
// with the scope a key needs to read it.
type SensitiveLevel struct {
	Level string // Sensitive or HighlySensitive
	Scope string
}

// SensitiveLevels lists the levels beyond non-sensitive that objectType's
// properties can be at, least sensitive first, each with its scope; nil
// for a type without sensitive data (engagements, marketing streams).
func (c *Catalog) SensitiveLevels(objectType string) []SensitiveLevel {
	t, _ := c.Lookup(objectType)
	var out []SensitiveLevel
	if t.SensitiveScope != "" {
		out = append(out, SensitiveLevel{Sensitive, t.SensitiveScope})
	}
	if t.HighlySensitiveScope != "" {
		out = append(out, SensitiveLevel{HighlySensitive, t.HighlySensitiveScope})
	}
	return out
}

// Marketing streams, each with its own table and columns.
const (
	Forms           = "forms"
	FormSubmissions = "form_submissions"
	EmailEvents     = "email_events"
)

// Metadata is the stream of owners and pipelines that every run reads
// first (property definitions belong to the stream of their type).
const Metadata = "metadata"

// metadataLabel names the metadata stream in run histories.
const metadataLabel = "Owners and pipelines"

var engagementLinks = []string{"contacts", "companies", "deals", "tickets"}

// The read scopes of the built-in types. HubSpot's activities (calls,
// emails, meetings, notes, tasks) are read with the contacts scope; the
// bodies of logged emails also need sales-email-read, which is a separate
// matter of what HubSpot returns, not of whether the type can be read.
const (
	contactsScope  = "crm.objects.contacts.read"
	companiesScope = "crm.objects.companies.read"
	dealsScope     = "crm.objects.deals.read"
	ticketsScope   = "tickets"
	formsScope     = "forms"
	contentScope   = "content"
	// The commerce objects' and leads' own scopes (HubSpot's published
	// objects description, PublicApiSpecs/CRM/Objects/Rollouts/424/2026-09/objects.json).
	productsScope  = "crm.objects.products.read"
	lineItemsScope = "crm.objects.line_items.read"
	quotesScope    = "crm.objects.quotes.read"
	leadsScope     = "crm.objects.leads.read"
)

// builtinTypes are HubSpot's standard types in canonical order: the CRM
// objects, the engagements, then the marketing streams.
var builtinTypes = []Type{
	{Name: "contacts", TypeID: "0-1", Label: "Contacts", Singular: "Contact", Group: GroupCRM, Records: true,
		Inline:               []string{"companies"},
		Columns:              []string{"firstname", "lastname", "email", "company", "hubspot_owner_id"},
		Title:                [][]string{{"firstname", "lastname"}, {"email"}},
		LastModified:         "lastmodifieddate",
		SensitiveScope:       "crm.objects.contacts.sensitive.read",
		HighlySensitiveScope: "crm.objects.contacts.highly_sensitive.read",
		ReadScope:            contactsScope},
	{Name: "companies", TypeID: "0-2", Label: "Companies", Singular: "Company", Group: GroupCRM, Records: true,
		Inline:               []string{"contacts"},
		Columns:              []string{"name", "domain", "city", "country", "hubspot_owner_id"},
		Title:                [][]string{{"name"}, {"domain"}},
		SensitiveScope:       "crm.objects.companies.sensitive.read",
		HighlySensitiveScope: "crm.objects.companies.highly_sensitive.read",
		ReadScope:            companiesScope},
	{Name: "deals", TypeID: "0-3", Label: "Deals", Singular: "Deal", Group: GroupCRM, Records: true,
		Inline:               []string{"contacts", "companies"},
		Columns:              []string{"dealname", "amount", "dealstage", "closedate", "hubspot_owner_id"},
		Title:                [][]string{{"dealname"}},
		Pipelines:            true,
		SensitiveScope:       "crm.objects.deals.sensitive.read",
		HighlySensitiveScope: "crm.objects.deals.highly_sensitive.read",
		ReadScope:            dealsScope},
	{Name: "tickets", TypeID: "0-5", Label: "Tickets", Singular: "Ticket", Group: GroupCRM, Records: true,
		Inline:    []string{"contacts", "companies"},
		Columns:   []string{"subject", "hs_pipeline_stage", "hs_ticket_priority", "hubspot_owner_id"},
		Title:     [][]string{{"subject"}},
		Pipelines: true,
		// Tickets' scopes are named apart from the crm.objects family,
		// as their base scope (tickets) is.
		SensitiveScope:       "tickets.sensitive",
		HighlySensitiveScope: "tickets.highly_sensitive",
		ReadScope:            ticketsScope},
	// Leads: a contact's (and usually a company's) sales prospect, in its
	// own lead pipeline (its stage is a property; the pipelines endpoint
	// is not read for it).
	{Name: "leads", TypeID: "0-136", Label: "Leads", Singular: "Lead", Group: GroupCRM, Records: true,
		Inline:    []string{"contacts", "companies"},
		Columns:   []string{"hs_lead_name", "hs_pipeline_stage", "hs_lead_type", "hs_lead_label"},
		Links:     []string{"contacts"},
		Title:     [][]string{{"hs_lead_name"}},
		ReadScope: leadsScope},
	// Products have no associations: a line item names its product in
	// hs_product_id.
	{Name: "products", TypeID: "0-7", Label: "Products", Singular: "Product", Group: GroupCommerce, Records: true,
		Columns:   []string{"name", "price", "hs_sku", "recurringbillingfrequency"},
		Title:     [][]string{{"name"}, {"hs_sku"}},
		ReadScope: productsScope},
	{Name: "line_items", TypeID: "0-8", Label: "Line items", Singular: "Line item", Group: GroupCommerce, Records: true,
		Inline:    []string{"deals"},
		Columns:   []string{"name", "quantity", "price", "amount"},
		Links:     []string{"deals"},
		Title:     [][]string{{"name"}},
		ReadScope: lineItemsScope},
	{Name: "quotes", TypeID: "0-14", Label: "Quotes", Singular: "Quote", Group: GroupCommerce, Records: true,
		Inline:    []string{"deals", "contacts", "companies", "line_items"},
		Columns:   []string{"hs_title", "hs_status", "hs_quote_amount", "hs_expiration_date"},
		Links:     []string{"deals"},
		Title:     [][]string{{"hs_title"}, {"hs_quote_number"}},
		ReadScope: quotesScope},
	{Name: "calls", TypeID: "0-48", Label: "Calls", Singular: "Call", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_call_title", "hs_call_direction", "hs_call_status", "hs_timestamp", "hubspot_owner_id"},
		Title:     [][]string{{"hs_call_title"}, {"hs_call_body"}},
		HTML:      []string{"hs_call_body"},
		ReadScope: contactsScope},
	{Name: "emails", TypeID: "0-49", Label: "Emails", Singular: "Email", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_email_subject", "hs_email_direction", "hs_email_from_email", "hs_timestamp", "hubspot_owner_id"},
		Title:     [][]string{{"hs_email_subject"}},
		HTML:      []string{"hs_email_html"},
		ReadScope: contactsScope},
	{Name: "meetings", TypeID: "0-47", Label: "Meetings", Singular: "Meeting", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_meeting_title", "hs_meeting_start_time", "hs_meeting_outcome", "hubspot_owner_id"},
		Title:     [][]string{{"hs_meeting_title"}},
		HTML:      []string{"hs_meeting_body"},
		ReadScope: contactsScope},
	{Name: "notes", TypeID: "0-46", Label: "Notes", Singular: "Note", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_note_body", "hs_timestamp", "hubspot_owner_id"},
		Title:     [][]string{{"hs_note_body"}},
		HTML:      []string{"hs_note_body"},
		ReadScope: contactsScope},
	{Name: "tasks", TypeID: "0-27", Label: "Tasks", Singular: "Task", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_task_subject", "hs_task_status", "hs_task_priority", "hs_timestamp", "hubspot_owner_id"},
		Title:     [][]string{{"hs_task_subject"}},
		HTML:      []string{"hs_task_body"},
		ReadScope: contactsScope},
	// Messages logged from WhatsApp, LinkedIn or SMS.
	{Name: "communications", TypeID: "0-18", Label: "Communications", Singular: "Communication", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_communication_channel_type", "hs_communication_body", "hs_timestamp", "hubspot_owner_id"},
		Title:     [][]string{{"hs_communication_body"}},
		HTML:      []string{"hs_communication_body"},
		ReadScope: contactsScope},
	{Name: "postal_mail", TypeID: "0-116", Label: "Postal mail", Singular: "Postal mail", Group: GroupEngagements, Records: true,
		Inline:    engagementLinks,
		Columns:   []string{"hs_postal_mail_body", "hs_timestamp", "hubspot_owner_id"},
		Title:     [][]string{{"hs_postal_mail_body"}},
		HTML:      []string{"hs_postal_mail_body"},
		ReadScope: contactsScope},
	{Name: Forms, Label: "Forms", Singular: "Form", Group: GroupMarketing,
		ReadScope: formsScope},
	{Name: FormSubmissions, Label: "Form submissions", Singular: "Form submission", Group: GroupMarketing,
		ReadScope: formsScope},
	{Name: EmailEvents, Label: "Marketing email events", Singular: "Email event", Group: GroupMarketing,
		ReadScope: contentScope},
}

// Catalog is a set of types: the built-in ones, and those registered from
// data. It is not safe for concurrent registration; build it, then share it.
type Catalog struct {
	types []Type
	// The names by kind, in canonical order, made once per registration.
	all, crm, engagements, marketing, pipelines []string
}

// Builtin returns a new catalog of HubSpot's standard types.
func Builtin() *Catalog {
	c := &Catalog{}
	if err := c.Register(builtinTypes...); err != nil {
		panic("catalog: built-in types: " + err.Error())
	}
	return c
}

// validName is what HubSpot allows in an object type's name.
var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Register adds types, checking each: a valid name not taken, a label, a
// known group, inline types that are record types of the catalog or of the
// same batch (types that name each other, as contacts and companies do, or
// custom objects associated with one another, are registered together).
// A missing singular is the label; a record type's last change is in
// hs_lastmodifieddate unless it says otherwise. Nothing is added when one
// of them is refused.
func (c *Catalog) Register(types ...Type) error {
	next := &Catalog{types: slices.Clone(c.types)}
	for _, t := range types {
		if err := next.checkName(t); err != nil {
			return err
		}
		next.types = append(next.types, withDefaults(t))
	}
	for _, t := range types {
		for _, in := range t.Inline {
			if x, ok := next.Lookup(in); !ok || !x.Records {
				return fmt.Errorf("register type %q: inline association with %q, which is not a record type", t.Name, in)
			}
		}
		for _, l := range t.Links {
			if !slices.Contains(t.Inline, l) {
				return fmt.Errorf("register type %q: a column of its %q, which it does not read inline", t.Name, l)
			}
		}
	}
	c.types = next.types
	c.all = c.Names(nil)
	c.crm = c.Names(func(t Type) bool { return t.Records })
	c.engagements = c.Names(func(t Type) bool { return t.Group == GroupEngagements })
	c.marketing = c.Names(func(t Type) bool { return !t.Records })
	c.pipelines = c.Names(func(t Type) bool { return t.Pipelines })
	return nil
}

// checkName says what is wrong with t's name, label or group.
func (c *Catalog) checkName(t Type) error {
	switch {
	case !validName.MatchString(t.Name):
		return fmt.Errorf("register type %q: a name is lower-case letters, digits and _", t.Name)
	case t.Name == Metadata || slices.ContainsFunc(c.types, func(x Type) bool { return x.Name == t.Name }):
		return fmt.Errorf("register type %q: the name is taken", t.Name)
	case strings.TrimSpace(t.Label) == "":
		return fmt.Errorf("register type %q: no label", t.Name)
	case !slices.ContainsFunc(groups, func(g Group) bool { return g.ID == t.Group }):
		return fmt.Errorf("register type %q: unknown group %q", t.Name, t.Group)
	}
	return nil
}

// withDefaults fills what a type may leave out: the singular is the label,
// a record type's last change is in hs_lastmodifieddate.
func withDefaults(t Type) Type {
	if t.Singular == "" {
		t.Singular = t.Label
	}
	if t.Records && t.LastModified == "" {
		t.LastModified = "hs_lastmodifieddate"
	}
	return t
}

// Lookup returns the type named name.
func (c *Catalog) Lookup(name string) (Type, bool) {
	if i := slices.IndexFunc(c.types, func(t Type) bool { return t.Name == name }); i >= 0 {
		return c.types[i], true
	}
	return Type{}, false
}

// Names lists the names of the types for which keep is true (nil: all), in
// canonical order.
func (c *Catalog) Names(keep func(Type) bool) []string {
	var out []string
	for _, t := range c.types {
		if keep == nil || keep(t) {
			out = append(out, t.Name)
		}
	}
	return out
}

// current is the catalog the package-level functions read: the built-in
// types and the account's custom objects (see Use). It is swapped whole,
// so that a reader sees the one catalog or the other, never a mix.
var current atomic.Pointer[Catalog]

func init() { current.Store(Builtin()) }

// Use makes the catalog the built-in types and the custom objects given
// (those of the open database's account; none: the built-in types alone).
// Nothing changes when one of them is refused.
func Use(custom ...Type) error {
	c := Builtin()
	if err := c.Register(custom...); err != nil {
		return err
	}
	current.Store(c)
	return nil
}

// The types' names in canonical order: the built-in ones, then the custom
// objects in use. Callers must not modify these slices.

// All is every type, CRM then marketing then custom: the default selection.
func All() []string { return current.Load().all }

// CRM is every type stored as records.
func CRM() []string { return current.Load().crm }

// Engagements are the engagement types, one object type each.
func Engagements() []string { return current.Load().engagements }

// Marketing are the marketing streams.
func Marketing() []string { return current.Load().marketing }

// PipelineTypes have pipelines and stages.
func PipelineTypes() []string { return current.Load().pipelines }

// Lookup returns the type named name.
func Lookup(name string) (Type, bool) { return current.Load().Lookup(name) }

// SensitiveLevels lists the levels beyond non-sensitive that the type
// objectType can hold, with their scopes (nil: none).
func SensitiveLevels(objectType string) []SensitiveLevel {
	return current.Load().SensitiveLevels(objectType)
}

// Label names a type or stream for people: "Form submissions"; the
// metadata stream is "Owners and pipelines".
func Label(name string) string {
	if name == Metadata {
		return metadataLabel
	}
	if t, ok := Lookup(name); ok {
		return t.Label
	}
	return name
}

// ReadScope is the scope a key needs to read the built-in type name at
// all ("" for one every key reads, or an unknown name).
func ReadScope(name string) string {
	t, _ := Lookup(name)
	return t.ReadScope
}

// Singular names one record of a type: "Company".
func Singular(name string) string {
	if t, ok := Lookup(name); ok {
		return t.Singular
	}
	return name
}

// GroupOf is the group a type or stream is shown in.
func GroupOf(name string) string {
	if t, ok := Lookup(name); ok {
		return t.Group
	}
	return GroupOther
}

// Inline returns the types whose ids come inline with a record of
// objectType (nil for a marketing stream).
func Inline(objectType string) []string {
	t, _ := Lookup(objectType)
	return slices.Clone(t.Inline)
}

// AssociatedTypes returns the types associated with objectType in either
// direction of the inline table, in CRM order: a pair is stored from
// whichever side read it, so both sides show it.
func AssociatedTypes(objectType string) []string {
	var out []string
	for _, other := range CRM() {
		if slices.Contains(Inline(objectType), other) || slices.Contains(Inline(other), objectType) {
			out = append(out, other)
		}
	}
	return out
}

// Rank orders streams for display: metadata, then the types in canonical
// order, then anything else.
func Rank(stream string) int {
	if stream == Metadata {
		return -1
	}
	all := All()
	if i := slices.Index(all, stream); i >= 0 {
		return i
	}
	return len(all)
}

// ByTypeID names the type whose HubSpot object type id is id.
func ByTypeID(id string) (string, bool) {
	for _, t := range current.Load().types {
		if t.TypeID == id && id != "" {
			return t.Name, true
		}
	}
	return "", false
}

// IsCRM reports whether t is a CRM object or engagement type.
func IsCRM(t string) bool { return slices.Contains(CRM(), t) }

// Valid reports whether t is any known type.
func Valid(t string) bool { return slices.Contains(All(), t) }

// LastModified is the property HubSpot keeps a record's last modification
// time in: lastmodifieddate for contacts, hs_lastmodifieddate elsewhere.
func LastModified(objectType string) string {
	if t, ok := Lookup(objectType); ok && t.LastModified != "" {
		return t.LastModified
	}
	return "hs_lastmodifieddate"
}

// htmlBodies are the properties, of whichever built-in type, that hold
// an HTML body, sorted; each name belongs to one type and means the same
// anywhere.
var htmlBodies = func() []string {
	var names []string
	for _, t := range builtinTypes {
		names = append(names, t.HTML...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}()

// HTMLBodies are the properties that hold one of HubSpot's HTML bodies (a
// note's, an email's), on any type, sorted by name. The slice is shared:
// callers must not change it.
func HTMLBodies() []string { return htmlBodies }

// UnknownTypeError names a type that is not in All; its message lists the
// valid ones.
type UnknownTypeError struct{ Name string }

func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("unknown object type %q (valid: %s)", e.Name, strings.Join(All(), ", "))
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
	all := All()
	if len(names) == 0 {
		return slices.Clone(all), nil
	}
	for _, n := range names {
		if !Valid(n) {
			return nil, &UnknownTypeError{Name: n}
		}
	}
	var out []string
	for _, t := range all {
		if slices.Contains(names, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Schema is what the app keeps of a custom object's schema: enough to make
// it a type like the others.
type Schema struct {
	Name     string // HubSpot's fullyQualifiedName, p<portal>_<name>: what the objects API takes
	TypeID   string // HubSpot's object type id, "2-1234567"
	Label    string // the plural label
	Singular string
	// Primary names a record; Secondary describes it (the table's columns).
	Primary   string
	Secondary []string
	// Associated are the types its schema associates it with, as this
	// catalog names them (unknown ones are left out).
	Associated []string
}

// CustomScope is the scope a key needs to read custom objects' records.
const CustomScope = "crm.objects.custom.read"

// CustomType is the type a custom object's schema describes: its records
// read like any other type's, with the associated types inline.
func CustomType(s Schema) Type {
	var cols []string
	for _, c := range append([]string{s.Primary}, s.Secondary...) {
		if c != "" && !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	// Custom objects can hold sensitive data (the objects description's
	// crm.objects.custom.sensitive.read and .highly_sensitive.read).
	t := Type{Name: s.Name, TypeID: s.TypeID, Label: s.Label, Singular: s.Singular, Group: GroupCustom, Records: true,
		Inline: slices.Clone(s.Associated), Columns: cols, ReadScope: CustomScope,
		SensitiveScope: "crm.objects.custom.sensitive.read", HighlySensitiveScope: "crm.objects.custom.highly_sensitive.read"}
	if s.Primary != "" {
		t.Title = [][]string{{s.Primary}}
	}
	return t
}
