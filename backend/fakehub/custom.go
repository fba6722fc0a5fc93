package fakehub

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The custom object type and HubSpot's object schemas endpoint.
//
// With Config.CustomObjects the portal has one custom object type, a
// schema named "projects" (labels Project / Projects) whose objectTypeId is
// "2-" and a seven-digit number drawn from the seed and whose
// fullyQualifiedName is "p<portalId>_projects". As in HubSpot, the objects,
// properties and associations endpoints take it by its objectTypeId or
// its fullyQualifiedName (case-insensitively), never by its plain name.
//
// Wherever the fake names the type itself it uses the fullyQualifiedName:
// the keys of inline "associations" (however the type was asked for), the
// v4 paging links, Stats.ByType labels ("list p20012345_projects"),
// DenyScope and the Truth (Types, IDs...). Its records' values come from
// hashes of their own (seeded by the type's index), so turning it on
// changes nothing of the standard types' data.
//
// GET /crm-object-schemas/v3/schemas and /crm-object-schemas/2026-09/schemas
// list the custom schemas ({"results": []} without them), unpaged; the
// date-based answer adds allowsSensitiveProperties and honours
// includeAssociationDefinitions, includeAuditMetadata and
// includePropertyDefinitions (default true).

// customName is the custom type's schema name (objTypes[tProjects].name).
const customName = "projects"

// portalIDFor is the fake portal's id for a seed.
func portalIDFor(seed int64) int64 {
	return 20_000_000 + int64(hash(uint64(seed), 0x90)%50_000_000)
}

// customIDFor is the custom type's objectTypeId for a seed.
func customIDFor(seed int64) string {
	return "2-" + strconv.FormatUint(1_000_000+hash(uint64(seed), 0xc0)%9_000_000, 10)
}

// customFQNFor is the custom type's fullyQualifiedName for a seed.
func customFQNFor(seed int64) string {
	return "p" + strconv.FormatInt(portalIDFor(seed), 10) + "_" + customName
}

// typeOf resolves an objectType of the API: a standard type (typeIndex),
// or, while the portal has it, the custom type by its objectTypeId or
// fullyQualifiedName.
func (ds *dataset) typeOf(s string) (int, bool) {
	if t, ok := typeIndex(s); ok {
		return t, true
	}
	if ds.custom && (s == ds.customID || strings.EqualFold(s, ds.customFQN)) {
		return tProjects, true
	}
	return 0, false
}

// name is how the fake names a type: the plural of a standard type, the
// fullyQualifiedName of the custom one.
func (ds *dataset) name(t int) string {
	if t == tProjects {
		return ds.customFQN
	}
	return objTypes[t].name
}

// typeID is a type's objectTypeId.
func (ds *dataset) typeID(t int) string {
	if t == tProjects {
		return ds.customID
	}
	return objTypes[t].typeID
}

var projectStatusOpts = opts("Planned", "planned", "Active", "active", "On hold", "on_hold", "Done", "done")

var projectWords = []string{"Website relaunch", "CRM migration", "Warehouse rollout", "Brand refresh", "Pilot",
	"Onboarding", "Data cleanup", "Partner portal", "Office move", "Pricing review", "ERP integration", "Training"}

// projectProps are the custom type's own properties (custom: defined by
// the portal, not by HubSpot).
func projectProps() []*propDef {
	props := []*propDef{
		def("project_name", "Project name", kindString, "text", func(g *gctx, r *rng) (string, bool) {
			return pick(r, projectWords) + " " + pick(r, companyNames) + " #" + strconv.Itoa(g.idx+1), true
		}),
		def("project_status", "Project status", kindEnum, "select", enumGen(projectStatusOpts, 0.05), projectStatusOpts...),
		def("budget", "Budget", kindNumber, "number", nullable(0.2, func(_ *gctx, r *rng) string { return money(r, 250000) })),
		def("start_date", "Start date", kindDate, "date", nullable(0.1, func(g *gctx, r *rng) string {
			return dateOnly(g.created + int64(r.intn(90))*dayMs)
		})),
	}
	for _, p := range props {
		p.custom = true
	}
	return props
}

// projectRelations are the custom type's relations, after every other
// (so their pairs stay as they were): a project has one company, one to
// three contacts and up to two deals.
func projectRelations(ds *dataset) []*relation {
	base := 1000 + int(hash(uint64(ds.seed), 0xc2)%400)*8
	fqn := ds.customFQN
	k := func(to string, n int) [2]assocKind {
		return [2]assocKind{kindOf(fqn, to, base+n, 0), kindOf(to, fqn, base+n+1, 0)}
	}
	return []*relation{
		{a: tProjects, b: tCompanies, dist: []float64{0, 1}, must: true, kinds: k("company", 0)},
		{a: tProjects, b: tContacts, dist: []float64{0, 0.5, 0.3, 0.2}, must: true, kinds: k("contact", 2)},
		{a: tProjects, b: tDeals, dist: []float64{0.4, 0.35, 0.25}, kinds: k("deal", 4)},
	}
}

// CustomTypeName is the custom object type's fullyQualifiedName, how the
// Truth, Stats and DenyScope name it ("" when the portal has none).
func (s *Server) CustomTypeName() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.ds.custom {
		return ""
	}
	return s.ds.customFQN
}

// CustomTypeID is the custom object type's objectTypeId ("" when the
// portal has none).
func (s *Server) CustomTypeID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.ds.custom {
		return ""
	}
	return s.ds.customID
}

// RemoveCustomType deletes the custom object type's schema, as between two
// runs: the schemas endpoint lists none and its names answer as an unknown
// type does. Truths taken before keep it.
func (s *Server) RemoveCustomType() {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := *s.ds
	ds.custom = false
	s.ds = &ds
}

// AddCustomProperty adds a text property to the custom type's schema, as
// between two runs: it appears in the schema, the properties endpoint and
// the Truth, and records have generated values for it. It does nothing
// without the type or when the property exists.
func (s *Server) AddCustomProperty(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.ds.schemas[tProjects]
	if !s.ds.custom || old.byName[name] != nil {
		return
	}
	label := strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "_", " ")
	p := def(name, label, kindString, "text", poolGen(words, 0.25))
	p.custom, p.salt = true, strHash(name)
	props := slices.Clone(old.props)
	i, _ := slices.BinarySearchFunc(props, name, func(q *propDef, n string) int { return strings.Compare(q.name, n) })
	props = slices.Insert(props, i, p)
	sc := &typeSchema{props: props, byName: make(map[string]*propDef, len(props))}
	for _, q := range props {
		sc.byName[q.name] = q
	}
	ds := *s.ds
	ds.schemas[tProjects] = sc
	ds.customUpdated = ms(s.clk.Now())
	s.ds = &ds
}

type schemaLabels struct {
	Singular string `json:"singular"`
	Plural   string `json:"plural"`
}

type assocDefJSON struct {
	ID               string `json:"id"`
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
	Name             string `json:"name"`
	CreatedAt        string `json:"createdAt,omitempty"`
	UpdatedAt        string `json:"updatedAt,omitempty"`
}

type objectSchemaJSON struct {
	ID                         string         `json:"id"`
	ObjectTypeID               string         `json:"objectTypeId"`
	Name                       string         `json:"name"`
	Labels                     schemaLabels   `json:"labels"`
	FullyQualifiedName         string         `json:"fullyQualifiedName"`
	Description                string         `json:"description"`
	PrimaryDisplayProperty     string         `json:"primaryDisplayProperty"`
	SecondaryDisplayProperties []string       `json:"secondaryDisplayProperties"`
	SearchableProperties       []string       `json:"searchableProperties"`
	RequiredProperties         []string       `json:"requiredProperties"`
	Archived                   bool           `json:"archived"`
	AllowsSensitiveProperties  *bool          `json:"allowsSensitiveProperties,omitempty"`
	Properties                 []propJSON     `json:"properties"`
	Associations               []assocDefJSON `json:"associations"`
	CreatedAt                  string         `json:"createdAt,omitempty"`
	UpdatedAt                  string         `json:"updatedAt,omitempty"`
	CreatedByUserID            *int64         `json:"createdByUserId,omitempty"`
	UpdatedByUserID            *int64         `json:"updatedByUserId,omitempty"`
}

// boolParam reads an optional boolean query parameter.
func (s *Server) boolParam(r *http.Request, name string, def bool) (bool, *response) {
	q := r.URL.Query()
	if !q.Has(name) {
		return def, nil
	}
	b, err := strconv.ParseBool(q.Get(name))
	if err != nil {
		return false, s.errorResp(http.StatusBadRequest, "VALIDATION_ERROR", "Unable to parse value for query parameter: "+name,
			[]errorDetail{{Message: "must be a boolean, got " + strconv.Quote(q.Get(name)), In: name, Code: "INVALID_TYPE"}})
	}
	return b, nil
}

// GET /crm-object-schemas/v3/schemas and /crm-object-schemas/2026-09/schemas
func (s *Server) listSchemas(r *http.Request, dated bool) *response {
	include := map[string]bool{}
	for _, name := range []string{"includeAssociationDefinitions", "includeAuditMetadata", "includePropertyDefinitions"} {
		include[name] = true
		if dated {
			b, bad := s.boolParam(r, name, true)
			if bad != nil {
				return bad
			}
			include[name] = b
		}
	}
	archived, bad := s.boolParam(r, "archived", false)
	if bad != nil {
		return bad
	}
	results := []objectSchemaJSON{}
	if s.ds.custom && !archived {
		results = append(results, s.ds.customSchema(dated, include))
	}
	return s.jsonResp(http.StatusOK, map[string]any{"results": results})
}

// customSchema is the custom type's ObjectSchema.
func (ds *dataset) customSchema(dated bool, include map[string]bool) objectSchemaJSON {
	id := strings.TrimPrefix(ds.customID, "2-")
	created := ds.anchor - 1100*dayMs
	updated := max(ds.anchor-30*dayMs, ds.customUpdated)
	out := objectSchemaJSON{
		ID: id, ObjectTypeID: ds.customID, Name: customName,
		Labels:                     schemaLabels{Singular: "Project", Plural: "Projects"},
		FullyQualifiedName:         ds.customFQN,
		Description:                "Customer projects: what was sold, delivered as a project.",
		PrimaryDisplayProperty:     "project_name",
		SecondaryDisplayProperties: []string{"project_status", "budget"},
		SearchableProperties:       []string{"project_name"},
		RequiredProperties:         []string{"project_name"},
		Properties:                 []propJSON{},
		Associations:               []assocDefJSON{},
	}
	if dated {
		no := false
		out.AllowsSensitiveProperties = &no
	}
	if include["includePropertyDefinitions"] {
		for _, level := range []string{levelNon, levelSensitive, levelHighly} {
			out.Properties = append(out.Properties, ds.propertyDefs(tProjects, level)...)
		}
	}
	if include["includeAssociationDefinitions"] {
		for _, rel := range ds.relations {
			if rel.a != tProjects {
				continue
			}
			a := assocDefJSON{ID: strconv.Itoa(rel.kinds[0].typeID), FromObjectTypeID: ds.customID,
				ToObjectTypeID: objTypes[rel.b].typeID, Name: strings.ToUpper(rel.kinds[0].v3)}
			if include["includeAuditMetadata"] {
				a.CreatedAt, a.UpdatedAt = isoMillis(created), isoMillis(created)
			}
			out.Associations = append(out.Associations, a)
		}
	}
	if include["includeAuditMetadata"] {
		out.CreatedAt, out.UpdatedAt = isoMillis(created), isoMillis(updated)
		if len(ds.owners) > 0 {
			uid := ds.owners[0].userID
			out.CreatedByUserID, out.UpdatedByUserID = &uid, &uid
		}
	}
	return out
}

// customSizeKey reports whether a Config.Sizes key names the custom type:
// its schema name, objectTypeId or fullyQualifiedName.
func customSizeKey(seed int64, key string) bool {
	return strings.EqualFold(key, customName) || key == customIDFor(seed) || strings.EqualFold(key, customFQNFor(seed))
}
