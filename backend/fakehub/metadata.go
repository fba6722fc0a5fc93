package fakehub

import (
	"fmt"
	"net/http"
	"strconv"
)

// Metadata endpoints: property definitions, owners, pipelines and the
// account details.

const accountTimeZone = "US/Eastern"

type owner struct {
	id               string
	userID           int64
	email            string
	first, last      string
	team             string
	archived         bool
	created, updated int64
}

type stage struct {
	id, label   string
	probability string // deals only
	closed, won bool
	ticketState string // tickets only
}

type pipeline struct {
	id, label string
	stages    []stage
	created   int64
}

func generateOwners(ds *dataset) {
	teams := []string{"Sales EMEA", "Sales Americas", "Customer Success", "Support – Tier 2"}
	for i := 0; i < 28; i++ {
		r := newRNG(uint64(ds.seed), uint64(i), 0x0e)
		first, last := pick(&r, firstNames), pick(&r, lastNames)
		o := owner{
			id:       strconv.FormatInt(int64(10_000_000+i*3_700_001)+int64(r.intn(3_000_000)), 10),
			userID:   int64(1_000_000 + i*91_003 + r.intn(90_000)),
			email:    fmt.Sprintf("%s.owner%d@example.com", pick(&r, emailLocal), i),
			first:    first,
			last:     last,
			team:     pick(&r, teams),
			archived: i%10 == 9, // three deactivated users
			created:  ds.anchor - int64(1000+r.intn(800))*dayMs,
		}
		o.updated = o.created + int64(r.intn(700))*dayMs
		ds.owners = append(ds.owners, o)
		if !o.archived {
			ds.activeOwners = append(ds.activeOwners, i)
		}
	}
}

func generatePipelines(ds *dataset) {
	created := ds.anchor - 1100*dayMs
	ds.dealPipelines = []pipeline{
		{id: "default", label: "Sales Pipeline", created: created, stages: []stage{
			{id: "appointmentscheduled", label: "Appointment Scheduled", probability: "0.2"},
			{id: "qualifiedtobuy", label: "Qualified To Buy", probability: "0.4"},
			{id: "presentationscheduled", label: "Presentation Scheduled", probability: "0.6"},
			{id: "decisionmakerboughtin", label: "Decision Maker Bought-In", probability: "0.8"},
			{id: "contractsent", label: "Contract Sent", probability: "0.9"},
			{id: "closedwon", label: "Closed Won", probability: "1.0", closed: true, won: true},
			{id: "closedlost", label: "Closed Lost", probability: "0.0", closed: true},
		}},
		{id: "1289412", label: "Partner Renewals – Europe", created: created + 90*dayMs, stages: []stage{
			{id: "1289413", label: "Renewal due", probability: "0.5"},
			{id: "1289414", label: "Négociation", probability: "0.7"},
			{id: "1289415", label: "Renewed", probability: "1.0", closed: true, won: true},
			{id: "1289416", label: "Churned", probability: "0.0", closed: true},
		}},
	}
	ds.ticketPipelines = []pipeline{
		{id: "0", label: "Support Pipeline", created: created, stages: []stage{
			{id: "1", label: "New", ticketState: "OPEN"},
			{id: "2", label: "Waiting on contact", ticketState: "OPEN"},
			{id: "3", label: "Waiting on us", ticketState: "OPEN"},
			{id: "4", label: "Closed", ticketState: "CLOSED", closed: true},
		}},
		{id: "8371923", label: "Escalations", created: created + 200*dayMs, stages: []stage{
			{id: "8371924", label: "Triage", ticketState: "OPEN"},
			{id: "8371925", label: "Engineering", ticketState: "OPEN"},
			{id: "8371926", label: "Resolved", ticketState: "CLOSED", closed: true},
		}},
	}
}

type propJSON struct {
	UpdatedAt            string       `json:"updatedAt"`
	CreatedAt            string       `json:"createdAt"`
	Name                 string       `json:"name"`
	Label                string       `json:"label"`
	Type                 string       `json:"type"`
	FieldType            string       `json:"fieldType"`
	Description          string       `json:"description"`
	GroupName            string       `json:"groupName"`
	Options              []option     `json:"options"`
	DisplayOrder         int          `json:"displayOrder"`
	Calculated           bool         `json:"calculated"`
	ExternalOptions      bool         `json:"externalOptions"`
	HasUniqueValue       bool         `json:"hasUniqueValue"`
	Hidden               bool         `json:"hidden"`
	HubspotDefined       bool         `json:"hubspotDefined,omitempty"`
	ReferencedObjectType string       `json:"referencedObjectType,omitempty"`
	ModificationMetadata modification `json:"modificationMetadata"`
	FormField            bool         `json:"formField"`
	DataSensitivity      string       `json:"dataSensitivity"`
	SensitiveData        []string     `json:"sensitiveDataCategories"`
}

type modification struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// GET /crm/v3/properties/{type} and /crm/properties/2026-09/{type}: the
// definitions of one dataSensitivity level (non_sensitive when absent), in
// one unpaged answer (neither family sends paging). A level beyond
// non_sensitive needs its scope (DenySensitive).
func (s *Server) listProperties(r *http.Request) *response {
	t, ok := s.ds.typeOf(r.PathValue("type"))
	if !ok {
		return s.badType(r.PathValue("type"))
	}
	q := r.URL.Query()
	level := levelNon
	if q.Has("dataSensitivity") {
		if level = q.Get("dataSensitivity"); !validLevel(level) {
			return s.errorResp(http.StatusBadRequest, "VALIDATION_ERROR",
				"Unable to parse value for query parameter: dataSensitivity",
				[]errorDetail{{Message: "must be one of [non_sensitive, sensitive, highly_sensitive], got " + strconv.Quote(level), In: "dataSensitivity", Code: "INVALID_ENUM"}})
		}
	}
	if level != levelNon && s.sensDeny[sensKey{t, level}] {
		return s.missingScope(sensitiveScope(t, level))
	}
	if q.Get("archived") == "true" {
		return s.jsonResp(http.StatusOK, map[string]any{"results": []propJSON{}})
	}
	return s.jsonResp(http.StatusOK, map[string]any{"results": s.ds.propertyDefs(t, level)})
}

// propertyDefs are a type's property definitions of one sensitivity
// level, as the properties endpoint (and the object schemas) list them.
func (ds *dataset) propertyDefs(t int, level string) []propJSON {
	out := []propJSON{}
	o := &objTypes[t]
	i := -1 // the position among non-sensitive properties (their dates and order predate sensitive ones)
	for k, p := range ds.schemas[t].props {
		if p.sensitivity == "" {
			i++
		}
		if propLevel(p) != level {
			continue
		}
		pos := i
		if p.sensitivity != "" {
			pos = 300 + k
		}
		created := ds.anchor - 1500*dayMs
		if p.custom {
			created = ds.anchor - int64(400-pos%300)*dayMs
		}
		pj := propJSON{
			UpdatedAt: isoMillis(created + 30*dayMs), CreatedAt: isoMillis(created),
			Name: p.name, Label: p.label, Type: kindNames[p.kind], FieldType: p.fieldType,
			GroupName: p.group, Options: p.options, DisplayOrder: -1,
			HasUniqueValue: p.special == spID, HubspotDefined: !p.custom,
			ModificationMetadata: modification{Archivable: p.custom, ReadOnlyDefinition: !p.custom, ReadOnlyValue: p.special != spNone},
			FormField:            !p.custom && p.special == spNone && !isEngagement(t),
			DataSensitivity:      level,
			SensitiveData:        []string{},
		}
		if pj.GroupName == "" {
			pj.GroupName = o.group
		}
		if pj.Options == nil {
			pj.Options = []option{}
		}
		if p.ownerRef {
			pj.ExternalOptions, pj.ReferencedObjectType = true, "OWNER"
		}
		if p.custom {
			pj.DisplayOrder = pos
			pj.Description = "Custom property " + p.label
		}
		out = append(out, pj)
	}
	return out
}

type ownerJSON struct {
	ID                      string     `json:"id"`
	Email                   string     `json:"email"`
	Type                    string     `json:"type"`
	FirstName               string     `json:"firstName"`
	LastName                string     `json:"lastName"`
	UserID                  *int64     `json:"userId"`
	UserIDIncludingInactive int64      `json:"userIdIncludingInactive"`
	CreatedAt               string     `json:"createdAt"`
	UpdatedAt               string     `json:"updatedAt"`
	Archived                bool       `json:"archived"`
	Teams                   []teamJSON `json:"teams,omitempty"`
}

type teamJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// GET /crm/v3/owners
func (s *Server) listOwners(r *http.Request) *response {
	limit, bad := s.queryLimit(r, 100, 500)
	if bad != nil {
		return bad
	}
	start, bad := s.afterCursor(r, "owner:")
	if bad != nil {
		return bad
	}
	archived := r.URL.Query().Get("archived") == "true"
	var page []ownerJSON
	next := -1
	for i := start; i < len(s.ds.owners); i++ {
		o := &s.ds.owners[i]
		if o.archived != archived {
			continue
		}
		if len(page) == limit {
			next = i
			break
		}
		oj := ownerJSON{ID: o.id, Email: o.email, Type: "PERSON", FirstName: o.first, LastName: o.last,
			UserIDIncludingInactive: o.userID, CreatedAt: isoMillis(o.created), UpdatedAt: isoMillis(o.updated), Archived: o.archived}
		if !o.archived {
			uid := o.userID
			oj.UserID = &uid
			oj.Teams = []teamJSON{{ID: strconv.FormatUint(strHash(o.team)%9_000_000+1_000_000, 10), Name: o.team, Primary: true}}
		}
		page = append(page, oj)
	}
	body := map[string]any{"results": append([]ownerJSON{}, page...)}
	if next >= 0 {
		after := cursor("owner:", next)
		body["paging"] = pagingJSON(after, nextLink(r, after))
	}
	return s.jsonResp(http.StatusOK, body)
}

func pagingJSON(after, link string) map[string]any {
	return map[string]any{"next": map[string]string{"after": after, "link": link}}
}

// GET /crm/v3/pipelines/{type}
func (s *Server) listPipelines(r *http.Request) *response {
	t, ok := s.ds.typeOf(r.PathValue("type"))
	if !ok {
		return s.badType(r.PathValue("type"))
	}
	var ps []pipeline
	switch t {
	case tDeals:
		ps = s.ds.dealPipelines
	case tTickets:
		ps = s.ds.ticketPipelines
	}
	results := []map[string]any{}
	for i, p := range ps {
		stages := []map[string]any{}
		for j, st := range p.stages {
			meta := map[string]string{}
			if t == tDeals {
				meta["isClosed"] = strconv.FormatBool(st.closed)
				meta["probability"] = st.probability
			} else {
				meta["ticketState"] = st.ticketState
			}
			stages = append(stages, map[string]any{
				"id": st.id, "label": st.label, "displayOrder": j, "metadata": meta,
				"createdAt": isoMillis(p.created), "updatedAt": isoMillis(p.created + dayMs), "archived": false,
				"writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
			})
		}
		results = append(results, map[string]any{
			"id": p.id, "label": p.label, "displayOrder": i, "stages": stages,
			"createdAt": isoMillis(p.created), "updatedAt": isoMillis(p.created + dayMs), "archived": false,
		})
	}
	return s.jsonResp(http.StatusOK, map[string]any{"results": results})
}

// GET /account-info/v3/details and /account-info/2026-09/details; the
// date-based answer adds portalName and createdAt (unix ms), the optional
// members of PortalInformationResponseSeptember2026 (rollout 318954).
func (s *Server) accountDetails(_ *http.Request, dated bool) *response {
	_, offset := s.clk.Now().In(accountZone()).Zone()
	sign, abs := "+", offset
	if offset < 0 {
		sign, abs = "-", -offset
	}
	body := map[string]any{
		"portalId":              s.ds.portalID,
		"accountType":           "STANDARD",
		"timeZone":              accountTimeZone,
		"companyCurrency":       "USD",
		"additionalCurrencies":  []string{"EUR", "GBP"},
		"utcOffset":             fmt.Sprintf("%s%02d:%02d", sign, abs/3600, abs%3600/60),
		"utcOffsetMilliseconds": offset * 1000,
		"uiDomain":              "app.hubspot.com",
		"dataHostingLocation":   "na1",
	}
	if dated {
		body["portalName"] = portalName
		body["createdAt"] = s.ds.anchor - 1500*dayMs
	}
	return s.jsonResp(http.StatusOK, body)
}

// portalName is the fake portal's name, in the date-based account details.
const portalName = "Northwind Traders (fakehub demo)"
