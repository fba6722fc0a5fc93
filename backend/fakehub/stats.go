package fakehub

import (
	"encoding/json"
	"maps"
	"net/http"
	"sync"
)

// Stats counts the calls the fake received.
type Stats struct {
	Calls        map[string]int `json:"calls"`   // by endpoint, e.g. "GET /crm/v3/objects/{type}", "GET /crm/objects/2026-09/{type}"
	ByType       map[string]int `json:"by_type"` // e.g. "list contacts", "search deals", "associations contacts->companies" (both path families)
	Total        int            `json:"total"`
	Dated        int            `json:"dated"`     // calls to date-based paths (DatedVersion) that are served
	Legacy       int            `json:"legacy"`    // calls to legacy paths (v1, v3, v4); the rest went to routes no API serves
	Dated404     int            `json:"dated_404"` // calls to date-based paths answered the bare 404 of a route no API serves (HideDated, or a path the fake lacks)
	Status429    int            `json:"status_429"`
	StatusErrors int            `json:"status_errors"` // other answers ≥ 400, plus drops, cut and non-JSON bodies
}

type statsState struct {
	mu sync.Mutex
	s  Stats
}

func (st *statsState) reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s = Stats{Calls: map[string]int{}, ByType: map[string]int{}}
}

func (st *statsState) begin(rt *route, r *http.Request) {
	label := rt.label(r)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.Total++
	st.s.Calls[rt.pattern]++
	st.s.ByType[label]++
	switch {
	case rt == notFoundRoute:
	case rt.dated:
		st.s.Dated++
	default:
		st.s.Legacy++
	}
}

// end records how the call was answered; broken means no usable answer,
// dated404 a date-based path refused as an unknown route.
func (st *statsState) end(status int, broken, dated404 bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if dated404 {
		st.s.Dated404++
	}
	switch {
	case status == http.StatusTooManyRequests:
		st.s.Status429++
	case status >= 400 || broken:
		st.s.StatusErrors++
	}
}

func (st *statsState) snapshot() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return Stats{
		Calls: maps.Clone(st.s.Calls), ByType: maps.Clone(st.s.ByType),
		Total: st.s.Total, Dated: st.s.Dated, Legacy: st.s.Legacy, Dated404: st.s.Dated404, Status429: st.s.Status429, StatusErrors: st.s.StatusErrors,
	}
}

// Stats returns a copy of the call counts since New or ResetStats.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the call counts.
func (s *Server) ResetStats() { s.stats.reset() }

func (s *Server) serveStats(w http.ResponseWriter) {
	b, _ := json.MarshalIndent(s.Stats(), "", "  ")
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}
