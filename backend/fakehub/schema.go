package fakehub

import (
	"fmt"
	"sort"
	"strings"
)

// Object types the fake serves, in a fixed order (an index into the
// dataset's per-type tables).
const (
	tContacts = iota
	tCompanies
	tDeals
	tTickets
	tCalls
	tEmails
	tMeetings
	tNotes
	tTasks
	// The commerce objects, leads and two more activity types, added after
	// the first nine so those keep their indexes (and so their data).
	tProducts
	tLineItems
	tQuotes
	tLeads
	tCommunications
	tPostalMail
	// The custom object type (custom.go), served only with
	// Config.CustomObjects; its objectTypeId and fullyQualifiedName are the
	// dataset's (dataset.customID, dataset.customFQN).
	tProjects
	numTypes
)

// engBase is where engagement ids start. The five engagement types share
// one id space, as they do in HubSpot: id mod 5 names the type.
// Communications and postal mail, activities too, have id bases of their
// own beyond that space, so the five keep their ids.
const (
	engBase = 40_100_000_000
	engStep = 3 // ids of one engagement type are about engStep*5 apart
)

type objType struct {
	name, singular, typeID string
	base, step             int64 // ids: base + i*step + jitter(i) < step
	created, lastMod       string
	group                  string
	defaults               []string // properties returned when none are asked for
	mutable                string   // the property Modify changes
}

var engDefaults = []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"}

var objTypes = [numTypes]objType{
	{name: "contacts", singular: "contact", typeID: "0-1", base: 51, step: 3,
		created: "createdate", lastMod: "lastmodifieddate", group: "contactinformation",
		defaults: []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"},
		mutable:  "jobtitle"},
	{name: "companies", singular: "company", typeID: "0-2", base: 10_480_000_000, step: 7,
		created: "createdate", lastMod: "hs_lastmodifieddate", group: "companyinformation",
		defaults: []string{"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"},
		mutable:  "description"},
	{name: "deals", singular: "deal", typeID: "0-3", base: 11_230_000_000, step: 11,
		created: "createdate", lastMod: "hs_lastmodifieddate", group: "dealinformation",
		defaults: []string{"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"},
		mutable:  "hs_next_step"},
	// Ticket ids start just under 2^31 so a scale of a few hundred crosses it.
	{name: "tickets", singular: "ticket", typeID: "0-5", base: 2_147_481_000, step: 5,
		created: "createdate", lastMod: "hs_lastmodifieddate", group: "ticketinformation",
		defaults: []string{"content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"},
		mutable:  "content"},
	{name: "calls", singular: "call", typeID: "0-48", base: engBase + 0, step: engStep,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "call", defaults: engDefaults, mutable: "hs_call_title"},
	{name: "emails", singular: "email", typeID: "0-49", base: engBase + 1, step: engStep,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "email", defaults: engDefaults, mutable: "hs_email_subject"},
	{name: "meetings", singular: "meeting", typeID: "0-47", base: engBase + 2, step: engStep,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "meeting", defaults: engDefaults, mutable: "hs_meeting_title"},
	{name: "notes", singular: "note", typeID: "0-46", base: engBase + 3, step: engStep,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "note", defaults: engDefaults, mutable: "hs_note_body"},
	{name: "tasks", singular: "task", typeID: "0-27", base: engBase + 4, step: engStep,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "task", defaults: engDefaults, mutable: "hs_task_subject"},
	// Id bases are far enough apart that no two types' ids meet below
	// ~60 million records each (TestIDRangesDoNotOverlap).
	{name: "products", singular: "product", typeID: "0-7", base: 1_520_000_000, step: 9,
		created: "createdate", lastMod: "hs_lastmodifieddate", group: "productinformation",
		defaults: []string{"createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"},
		mutable:  "description"},
	{name: "line_items", singular: "line_item", typeID: "0-8", base: 13_650_000_000, step: 4,
		created: "createdate", lastMod: "hs_lastmodifieddate", group: "lineiteminformation",
		defaults: []string{"amount", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_product_id", "name", "price", "quantity"},
		mutable:  "description"},
	{name: "quotes", singular: "quote", typeID: "0-14", base: 5_060_000_000, step: 7,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "quoteinformation",
		defaults: []string{"hs_createdate", "hs_expiration_date", "hs_lastmodifieddate", "hs_object_id", "hs_quote_amount", "hs_status", "hs_title"},
		mutable:  "hs_title"},
	{name: "leads", singular: "lead", typeID: "0-136", base: 18_740_000_000, step: 5,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "lead_information",
		defaults: []string{"hs_createdate", "hs_lastmodifieddate", "hs_lead_name", "hs_object_id", "hs_pipeline", "hs_pipeline_stage"},
		mutable:  "hs_lead_name"},
	{name: "communications", singular: "communication", typeID: "0-18", base: 44_700_000_000, step: 7,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "communication", defaults: engDefaults, mutable: "hs_communication_body"},
	{name: "postal_mail", singular: "postal_mail", typeID: "0-116", base: 46_300_000_000, step: 9,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "postal_mail", defaults: engDefaults, mutable: "hs_postal_mail_body"},
	// The custom object type: name and singular are its schema's, never an
	// objectType of the API (typeIndex skips it; dataset.typeOf resolves
	// its objectTypeId and fullyQualifiedName).
	{name: customName, singular: "project", base: 22_410_000_000, step: 6,
		created: "hs_createdate", lastMod: "hs_lastmodifieddate", group: "project_information", defaults: engDefaults,
		mutable: "project_name"},
}

// isEngagement reports an activity type: the five engagement types,
// communications and postal mail.
func isEngagement(t int) bool {
	return t >= tCalls && t <= tTasks || t == tCommunications || t == tPostalMail
}

// sharedEngagementID reports the five types of the shared engagement id
// space (id mod 5 names the type).
func sharedEngagementID(t int) bool { return t >= tCalls && t <= tTasks }

// typeIndex resolves a standard object type as HubSpot does: plural,
// singular or objectTypeId, case-insensitively. The custom type is the
// dataset's to resolve (dataset.typeOf).
func typeIndex(s string) (int, bool) {
	s = strings.ToLower(s)
	for i := range objTypes {
		o := &objTypes[i]
		if i == tProjects {
			continue
		}
		if s == o.name || s == o.singular || s == o.typeID {
			return i, true
		}
	}
	return 0, false
}

// typeByName resolves a type name for the Go API (Truth, Modify...): a
// standard type's, or the custom type's objectTypeId or
// fullyQualifiedName.
func (ds *dataset) typeByName(name string) int {
	t, ok := ds.typeOf(name)
	if !ok {
		return -1
	}
	return t
}

type valueKind uint8

const (
	kindString valueKind = iota
	kindNumber
	kindDatetime
	kindDate
	kindEnum
	kindBool
	kindPhone
)

var kindNames = [...]string{"string", "number", "datetime", "date", "enumeration", "bool", "phone_number"}

// special marks the properties mirrored from a record's id and timestamps;
// search filters and sorts on them without generating anything.
type special uint8

const (
	spNone special = iota
	spID
	spCreated
	spUpdated
)

type option struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// genFunc produces one property value of one record; ok=false is null.
type genFunc func(g *gctx, r *rng) (v string, ok bool)

type propDef struct {
	name, label, group, fieldType string
	kind                          valueKind
	options                       []option
	ownerRef                      bool // options come from the owners endpoint
	custom                        bool
	special                       special
	mutable                       bool
	sensitivity                   string // "" (non_sensitive), levelSensitive or levelHighly
	salt                          uint64
	gen                           genFunc
}

// typeSchema is one object type's property list, sorted by name.
type typeSchema struct {
	props  []*propDef
	byName map[string]*propDef
}

func newSchema(props []*propDef, mutable string) *typeSchema {
	sort.Slice(props, func(i, j int) bool { return props[i].name < props[j].name })
	s := &typeSchema{props: props, byName: make(map[string]*propDef, len(props))}
	for _, p := range props {
		p.salt = strHash(p.name)
		p.mutable = p.name == mutable
		s.byName[p.name] = p
	}
	return s
}

func (s *typeSchema) names() []string {
	out := make([]string, len(s.props))
	for i, p := range s.props {
		out[i] = p.name
	}
	return out
}

// customWords build long, realistic custom property names: 600 of them make
// a property list far longer than a URL may be.
var customWords = []string{"customer", "renewal", "onboarding", "region", "segment", "source", "partner",
	"contract", "billing", "support", "account", "product", "campaign", "territory", "health", "score",
	"tier", "channel", "legacy", "import"}

func customProps(seed int64, t, n int) []*propDef {
	out := make([]*propDef, 0, n)
	for i := 0; i < n; i++ {
		r := newRNG(uint64(seed), uint64(t), uint64(i), strHash("custom"))
		name := fmt.Sprintf("%s_%s_%s_%03d", pick(&r, customWords), pick(&r, customWords), pick(&r, customWords), i)
		label := strings.ReplaceAll(name[:len(name)-4], "_", " ")
		label = strings.ToUpper(label[:1]) + label[1:] + fmt.Sprintf(" #%d", i)
		p := &propDef{name: name, label: label, group: "custom_fields", custom: true}
		switch i % 5 {
		case 0:
			p.kind, p.fieldType = kindString, "text"
			p.gen = nullable(0.3, func(_ *gctx, r *rng) string { return personName(r, words) })
		case 1:
			p.kind, p.fieldType = kindNumber, "number"
			p.gen = nullable(0.3, func(_ *gctx, r *rng) string { return money(r, 100000) })
		case 2:
			p.kind, p.fieldType = kindEnum, "select"
			p.options = opts("Gold", "gold", "Silver", "silver", "Bronze", "bronze", "Légende ✨", "legende")
			p.gen = enumGen(p.options, 0.3)
		case 3:
			p.kind, p.fieldType = kindDate, "date"
			p.gen = nullable(0.3, func(g *gctx, r *rng) string { return dateOnly(g.created + int64(r.intn(400))*dayMs) })
		default:
			p.kind, p.fieldType = kindBool, "booleancheckbox"
			p.options = boolOpts
			p.gen = enumGen(boolOpts, 0.3)
		}
		out = append(out, p)
	}
	return out
}

// opts builds enumeration options from label, value pairs.
func opts(pairs ...string) []option {
	out := make([]option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, option{Label: pairs[i], Value: pairs[i+1], DisplayOrder: i / 2})
	}
	return out
}

var boolOpts = opts("Yes", "true", "No", "false")

const dayMs = 24 * 60 * 60 * 1000
