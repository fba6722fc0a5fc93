package fakehub

import (
	"net/http"
)

// typeLabel names a path's object type for Stats.ByType.
func typeLabel(r *http.Request, key string) string {
	if t, ok := typeIndex(r.PathValue(key)); ok {
		return objTypes[t].name
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

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c := w.(*capture)
		c.rt, c.req = notFoundRoute, r
	})
	routes := []*route{
		{pattern: "GET /crm/v3/objects/{type}", h: s.listObjects, touches: touchesPath("type"),
			label: func(r *http.Request) string {
				if r.URL.Query().Get("archived") == "true" {
					return "list archived " + typeLabel(r, "type")
				}
				return "list " + typeLabel(r, "type")
			}},
		{pattern: "POST /crm/v3/objects/{type}/search", h: s.search, search: true, touches: touchesPath("type"),
			label: func(r *http.Request) string { return "search " + typeLabel(r, "type") }},
		{pattern: "POST /crm/v3/objects/{type}/batch/read", h: s.batchRead, touches: touchesPath("type"),
			label: func(r *http.Request) string { return "batch read " + typeLabel(r, "type") }},
		{pattern: "POST /crm/v4/associations/{fromType}/{toType}/batch/read", h: s.v4BatchRead, touches: touchesPath("fromType", "toType"),
			label: func(r *http.Request) string {
				return "associations " + typeLabel(r, "fromType") + "->" + typeLabel(r, "toType")
			}},
		{pattern: "GET /crm/v4/objects/{type}/{id}/associations/{toType}", h: s.v4RecordAssociations, touches: touchesPath("type", "toType"),
			label: func(r *http.Request) string {
				return "record associations " + typeLabel(r, "type") + "->" + typeLabel(r, "toType")
			}},
		{pattern: "GET /crm/v3/properties/{type}", h: s.listProperties, touches: touchesPath("type"),
			label: func(r *http.Request) string { return "properties " + typeLabel(r, "type") }},
		{pattern: "GET /crm/v3/owners", h: s.listOwners, touches: touchesFixed("owners"), label: fixed("owners")},
		{pattern: "GET /crm/v3/owners/{$}", h: s.listOwners, touches: touchesFixed("owners"), label: fixed("owners")},
		{pattern: "GET /crm/v3/pipelines/{type}", h: s.listPipelines, touches: touchesPath("type"),
			label: func(r *http.Request) string { return "pipelines " + typeLabel(r, "type") }},
		{pattern: "GET /account-info/v3/details", h: s.accountDetails, touches: touchesFixed("account"), label: fixed("account")},
		{pattern: "GET /marketing/v3/forms", h: s.listForms, touches: touchesFixed("forms"), label: fixed("forms")},
		{pattern: "GET /marketing/v3/forms/{$}", h: s.listForms, touches: touchesFixed("forms"), label: fixed("forms")},
		{pattern: "GET /form-integrations/v1/submissions/forms/{formGuid}", h: s.listSubmissions,
			touches: touchesFixed("forms", "form_submissions"), label: fixed("form submissions")},
		{pattern: "GET /email/public/v1/events", h: s.listEmailEvents, touches: touchesFixed("email_events"), label: fixed("email events")},
	}
	for _, rt := range routes {
		s.handle(rt)
	}
}
