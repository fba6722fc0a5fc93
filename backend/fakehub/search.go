package fakehub

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// POST /crm/v3/objects/{type}/search with HubSpot's limits: at most 5
// filter groups, 6 filters per group and 18 in all, one sort, 200 results
// per page, a body of at most 3,000 characters, and never past the 10,000th
// result. Archived records never appear; no associations are returned.

const (
	searchMaxGroups   = 5
	searchMaxFilters  = 6
	searchMaxTotal    = 18
	searchMaxLimit    = 200
	searchMaxBody     = 3000
	searchMaxResults  = 10000
	searchProblemText = "There was a problem with the request."
)

type searchFilter struct {
	PropertyName string            `json:"propertyName"`
	Operator     string            `json:"operator"`
	Value        json.RawMessage   `json:"value"`
	HighValue    json.RawMessage   `json:"highValue"`
	Values       []json.RawMessage `json:"values"`
}

type searchRequest struct {
	FilterGroups []struct {
		Filters []searchFilter `json:"filters"`
	} `json:"filterGroups"`
	Sorts      []json.RawMessage `json:"sorts"`
	Properties []string          `json:"properties"`
	Limit      *int              `json:"limit"`
	After      json.RawMessage   `json:"after"`
	Query      string            `json:"query"`
}

// searchRequired are the body members the 2026-09 description lists as
// required (PublicObjectSearchRequest; v3 requires none). after is required
// there too, but a first page has none to send, so its absence is
// accepted.
var searchRequired = []string{"filterGroups", "limit", "properties", "sorts"}

// missingSearchFields names the required members absent (or null) from a
// date-based search body.
func missingSearchFields(raw []byte) ([]string, bool) {
	var members map[string]json.RawMessage
	if len(raw) > 0 && json.Unmarshal(raw, &members) != nil {
		return nil, false
	}
	var missing []string
	for _, k := range searchRequired {
		if v, ok := members[k]; !ok || string(v) == "null" {
			missing = append(missing, k)
		}
	}
	return missing, true
}

// POST /crm/v3/objects/{type}/search and /crm/objects/2026-09/{type}/search;
// the date-based one refuses a body without its required members.
func (s *Server) search(r *http.Request, dated bool) *response {
	t, ok := s.ds.typeOf(r.PathValue("type"))
	if !ok {
		return s.badType(r.PathValue("type"))
	}
	raw, err := readBody(r)
	if err != nil {
		return s.badRequest("Could not read the request body")
	}
	if n := utf8.RuneCount(raw); n > searchMaxBody {
		return s.badRequest("The request body is " + itoa(n) + " characters long; search request bodies may have at most 3000 characters.")
	}
	var req searchRequest
	if len(raw) > 0 && json.Unmarshal(raw, &req) != nil {
		return s.badRequest("Invalid input JSON on the search request body")
	}
	if dated {
		if missing, _ := missingSearchFields(raw); len(missing) > 0 {
			details := make([]errorDetail, len(missing))
			for k, m := range missing {
				details[k] = errorDetail{Message: m + " is required", In: m, Code: "REQUIRED_FIELD"}
			}
			return s.errorResp(http.StatusBadRequest, "VALIDATION_ERROR",
				"Invalid input JSON on line 1: Some required fields were not set: ["+strings.Join(missing, ", ")+"]", details)
		}
	}
	sc := s.ds.schemas[t]
	if len(req.FilterGroups) > searchMaxGroups {
		return s.badRequest("Too many filter groups: " + itoa(len(req.FilterGroups)) + " given, at most 5 are allowed.")
	}
	var groups [][]*filter
	total := 0
	for _, g := range req.FilterGroups {
		if len(g.Filters) > searchMaxFilters {
			return s.badRequest("Too many filters in a filter group: " + itoa(len(g.Filters)) + " given, at most 6 are allowed.")
		}
		total += len(g.Filters)
		var cg []*filter
		for _, f := range g.Filters {
			c, ok := compileFilter(sc, f)
			if !ok {
				return s.badRequest(searchProblemText)
			}
			cg = append(cg, c)
		}
		groups = append(groups, cg)
	}
	if total > searchMaxTotal {
		return s.badRequest("Too many filters: " + itoa(total) + " given, at most 18 are allowed across all filter groups.")
	}
	if len(req.Sorts) > 1 {
		return s.badRequest("Only one sort is allowed per search request.")
	}
	var rule sortRule
	if len(req.Sorts) == 1 {
		if rule, ok = parseSort(sc, req.Sorts[0]); !ok {
			return s.badRequest(searchProblemText)
		}
	}
	limit := 10
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 0 || limit > searchMaxLimit {
		return s.limitError(limit, searchMaxLimit)
	}
	after := 0
	if a := rawID(req.After); len(req.After) > 0 && a != "" && a != "null" {
		if after, err = strconv.Atoi(a); err != nil || after < 0 {
			return s.badRequest(searchProblemText)
		}
	}
	if after+limit > s.cfg.SearchResultCap {
		return s.badRequest(searchProblemText)
	}
	v := s.view()
	matches := v.searchMatches(t, groups, strings.ToLower(req.Query))
	if rule.p != nil && rule.p.special != spID {
		v.sortMatches(t, matches, rule)
	} else if rule.desc {
		slices.Reverse(matches)
	}
	props := s.selectProps(t, req.Properties)
	b := append(make([]byte, 0, 64*1024), `{"total":`...)
	b = strconv.AppendInt(b, int64(len(matches)), 10)
	b = append(b, `,"results":[`...)
	end := min(after+limit, len(matches))
	scr := &scratch{}
	for k := after; k < end; k++ {
		if k > after {
			b = append(b, ',')
		}
		b = append(v.appendRecord(b, scr, t, int(matches[k]), props, dated), '}')
	}
	b = append(b, ']')
	if end < len(matches) {
		b = appendPaging(append(b, ','), strconv.Itoa(end), "")
	}
	return &response{status: http.StatusOK, body: append(b, '}')}
}

// idRange narrows a search to the index range its hs_object_id bounds allow
// (ids grow with the index), so slicing by id ranges costs what it returns,
// not a scan of the whole type.
func (v view) idRange(t int, groups [][]*filter) (lo, hi int) {
	n := v.st.recs[t].n()
	if len(groups) == 0 {
		return 0, n
	}
	lo, hi = n, 0
	for _, g := range groups {
		glo, ghi := 0, n
		for _, f := range g {
			if f.p.special != spID || !f.numeric {
				continue
			}
			first := func(x float64) int { return v.ds.firstAtOrAfter(t, int64(math.Ceil(x)), n) }
			after := func(x float64) int { return v.ds.firstAtOrAfter(t, int64(math.Floor(x))+1, n) }
			switch f.op {
			case "GT":
				glo = max(glo, after(f.num))
			case "GTE":
				glo = max(glo, first(f.num))
			case "LT":
				ghi = min(ghi, first(f.num))
			case "LTE":
				ghi = min(ghi, after(f.num))
			case "EQ":
				glo, ghi = max(glo, first(f.num)), min(ghi, after(f.num))
			case "BETWEEN":
				glo, ghi = max(glo, first(f.num)), min(ghi, after(f.hnum))
			}
		}
		if glo < ghi {
			lo, hi = min(lo, glo), max(hi, ghi)
		}
	}
	return lo, hi
}

// searchMatches returns the active records matching any filter group (all
// records when there are none), in id order.
func (v view) searchMatches(t int, groups [][]*filter, query string) []int32 {
	var out []int32
	var qprops []*propDef
	if query != "" {
		for _, name := range objTypes[t].defaults {
			if p := v.ds.schemas[t].byName[name]; p != nil && p.special == spNone {
				qprops = append(qprops, p)
			}
		}
	}
	lo, hi := v.idRange(t, groups)
	for i := lo; i < hi; i++ {
		if !v.active(t, i) {
			continue
		}
		ok := len(groups) == 0
		for _, g := range groups {
			all := true
			for _, f := range g {
				if !v.match(t, i, f) {
					all = false
					break
				}
			}
			if all {
				ok = true
				break
			}
		}
		if ok && query != "" {
			ok = false
			for _, p := range qprops {
				if s, has := v.value(t, i, p); has && strings.Contains(strings.ToLower(s), query) {
					ok = true
					break
				}
			}
		}
		if ok {
			out = append(out, int32(i))
		}
	}
	return out
}
