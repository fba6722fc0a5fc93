package fakehub

import (
	"net/http"
	"strings"
)

// DatedVersion is the date-based API version the fake serves beside the
// legacy v3/v4 paths, from the same data.
const DatedVersion = "2026-09"

// typeLabel names a path's object type for Stats.ByType (the custom type
// by its fullyQualifiedName).
func (s *Server) typeLabel(r *http.Request, key string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t, ok := s.ds.typeOf(r.PathValue(key)); ok {
		return s.ds.name(t)
	}
	return r.PathValue(key)
}

func touchesPath(keys ...string) func(*http.Request) []string {
	return func(r *http.Request) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = r.PathValue(k)
		}
		return out
	}
}

func touchesFixed(names ...string) func(*http.Request) []string {
	return func(*http.Request) []string { return names }
}

func fixed(label string) func(*http.Request) string {
	return func(*http.Request) string { return label }
}

// family is one set of CRM paths: the legacy v3/v4 ones or the date-based
// ones of DatedVersion. Both are served by the same handlers, told which
// family they answer for.
type family struct {
	dated                                                         bool
	objects, associations, properties, owners, pipelines, account string
}

var (
	legacyPaths = family{objects: "/crm/v3/objects", associations: "/crm/v4/associations", properties: "/crm/v3/properties",
		owners: "/crm/v3/owners", pipelines: "/crm/v3/pipelines", account: "/account-info/v3"}
	datedPaths = family{dated: true, objects: "/crm/objects/" + DatedVersion, associations: "/crm/associations/" + DatedVersion,
		properties: "/crm/properties/" + DatedVersion, owners: "/crm/owners/" + DatedVersion,
		pipelines: "/crm/pipelines/" + DatedVersion, account: "/account-info/" + DatedVersion}
)

// crmRoutes are the endpoints both families serve. Exemptions from the
// ten-second window follow the published descriptions
// ("x-hubspot-rate-limit-exemptions": ["ten-secondly"]): object search in
// both families, and the date-based associations batch read (not the v4
// one).
func (s *Server) crmRoutes(f family) []*route {
	d := f.dated
	return []*route{
		{pattern: "GET " + f.objects + "/{type}", dated: d, touches: touchesPath("type"),
			h: func(r *http.Request) *response { return s.listObjects(r, d) },
			label: func(r *http.Request) string {
				if r.URL.Query().Get("archived") == "true" {
					return "list archived " + s.typeLabel(r, "type")
				}
				return "list " + s.typeLabel(r, "type")
			}},
		{pattern: "POST " + f.objects + "/{type}/search", dated: d, search: true, exempt: true, touches: touchesPath("type"),
			h:     func(r *http.Request) *response { return s.search(r, d) },
			label: func(r *http.Request) string { return "search " + s.typeLabel(r, "type") }},
		{pattern: "POST " + f.objects + "/{type}/batch/read", dated: d, touches: touchesPath("type"),
			h:     func(r *http.Request) *response { return s.batchRead(r, d) },
			label: func(r *http.Request) string { return "batch read " + s.typeLabel(r, "type") }},
		{pattern: "POST " + f.associations + "/{fromType}/{toType}/batch/read", dated: d, exempt: d, touches: touchesPath("fromType", "toType"),
			h: func(r *http.Request) *response { return s.associationsBatchRead(r, d) },
			label: func(r *http.Request) string {
				return "associations " + s.typeLabel(r, "fromType") + "->" + s.typeLabel(r, "toType")
			}},
		{pattern: "GET " + f.properties + "/{type}", dated: d, h: s.listProperties, touches: touchesPath("type"),
			label: func(r *http.Request) string { return "properties " + s.typeLabel(r, "type") }},
		{pattern: "GET " + f.owners, dated: d, h: s.listOwners, touches: touchesFixed("owners"), label: fixed("owners")},
		{pattern: "GET " + f.owners + "/{$}", dated: d, h: s.listOwners, touches: touchesFixed("owners"), label: fixed("owners")},
		{pattern: "GET " + f.pipelines + "/{type}", dated: d, h: s.listPipelines, touches: touchesPath("type"),
			label: func(r *http.Request) string { return "pipelines " + s.typeLabel(r, "type") }},
		{pattern: "GET " + f.account + "/details", dated: d, touches: touchesFixed("account"), label: fixed("account"),
			h: func(r *http.Request) *response { return s.accountDetails(r, d) }},
	}
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c := w.(*capture)
		c.rt, c.req = notFoundRoute, r
	})
	routes := append(s.crmRoutes(legacyPaths), s.crmRoutes(datedPaths)...)
	// Legacy only: no date-based path exists for these.
	routes = append(routes,
		&route{pattern: "GET /crm/v4/objects/{type}/{id}/associations/{toType}", h: s.v4RecordAssociations, touches: touchesPath("type", "toType"),
			label: func(r *http.Request) string {
				return "record associations " + s.typeLabel(r, "type") + "->" + s.typeLabel(r, "toType")
			}},
		&route{pattern: "GET /marketing/v3/forms", h: s.listForms, touches: touchesFixed("forms"), label: fixed("forms")},
		&route{pattern: "GET /marketing/v3/forms/{$}", h: s.listForms, touches: touchesFixed("forms"), label: fixed("forms")},
		&route{pattern: "GET /form-integrations/v1/submissions/forms/{formGuid}", h: s.listSubmissions,
			touches: touchesFixed("forms", "form_submissions"), label: fixed("form submissions")},
		&route{pattern: "GET /crm-object-schemas/v3/schemas", touches: touchesFixed("schemas"), label: fixed("schemas"),
			h: func(r *http.Request) *response { return s.listSchemas(r, false) }},
		&route{pattern: "GET /crm-object-schemas/" + DatedVersion + "/schemas", dated: true, touches: touchesFixed("schemas"), label: fixed("schemas"),
			h: func(r *http.Request) *response { return s.listSchemas(r, true) }},
		&route{pattern: "GET /email/public/v1/events", h: s.listEmailEvents, touches: touchesFixed("email_events"), label: fixed("email events")},
	)
	for _, rt := range routes {
		s.handle(rt)
	}
}

// HideDated makes date-based paths answer as routes no API serves (a bare
// 404), as a portal or region where they are not rolled out yet would: all
// of them when called without prefixes, else those whose path starts with
// one of prefixes (e.g. "/crm/associations/2026-09/"). Calls add up;
// ShowDated undoes them all. Legacy paths are never hidden.
func (s *Server) HideDated(prefixes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(prefixes) == 0 {
		s.hideAll = true
		return
	}
	s.hidePrefixes = append(s.hidePrefixes, prefixes...)
}

// ShowDated serves every date-based path again.
func (s *Server) ShowDated() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hideAll, s.hidePrefixes = false, nil
}

// hidden reports whether a matched route is hidden by HideDated.
func (s *Server) hidden(rt *route, path string) bool {
	if !rt.dated {
		return false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.hideAll {
		return true
	}
	for _, p := range s.hidePrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
