package fakehub

import (
	"cmp"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
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

// compiled filter: numeric properties (numbers, dates, ids) compare as
// numbers, the rest as case-insensitive strings.
type filter struct {
	p         *propDef
	op        string
	numeric   bool
	str, high string
	num, hnum float64
	strs      []string
	nums      []float64
}

func isNumeric(p *propDef) bool {
	return p.special != spNone || p.kind == kindNumber || p.kind == kindDatetime || p.kind == kindDate
}

// toNumber parses a number, a millisecond timestamp, an ISO 8601 instant or
// a date.
func toNumber(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return float64(t.UnixMilli()), true
		}
	}
	return 0, false
}

var searchOps = map[string]bool{"EQ": true, "NEQ": true, "LT": true, "LTE": true, "GT": true, "GTE": true,
	"BETWEEN": true, "IN": true, "NOT_IN": true, "HAS_PROPERTY": true, "NOT_HAS_PROPERTY": true,
	"CONTAINS_TOKEN": true, "NOT_CONTAINS_TOKEN": true}

func compileFilter(sc *typeSchema, f searchFilter) (*filter, bool) {
	p, ok := sc.byName[f.PropertyName]
	if !ok || !searchOps[f.Operator] {
		return nil, false
	}
	c := &filter{p: p, op: f.Operator, numeric: isNumeric(p) && f.Operator != "CONTAINS_TOKEN" && f.Operator != "NOT_CONTAINS_TOKEN"}
	c.str, c.high = strings.ToLower(rawID(f.Value)), strings.ToLower(rawID(f.HighValue))
	for _, v := range f.Values {
		c.strs = append(c.strs, strings.ToLower(rawID(v)))
	}
	if c.numeric {
		switch c.op {
		case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
		case "IN", "NOT_IN":
			for _, v := range c.strs {
				n, ok := toNumber(v)
				if !ok {
					return nil, false
				}
				c.nums = append(c.nums, n)
			}
		default:
			if c.num, ok = toNumber(rawID(f.Value)); !ok {
				return nil, false
			}
			if c.op == "BETWEEN" {
				if c.hnum, ok = toNumber(rawID(f.HighValue)); !ok {
					return nil, false
				}
			}
		}
	}
	return c, true
}

// numValue is a record's numeric value of p, without generating anything
// for the id and timestamps.
func (v view) numValue(t, i int, p *propDef) (float64, bool) {
	rs := v.st.recs[t]
	switch p.special {
	case spID:
		return float64(v.ds.idOf(t, i)), true
	case spCreated:
		return float64(rs.created[i]), true
	case spUpdated:
		return float64(rs.updated[i]), true
	}
	s, ok := v.value(t, i, p)
	if !ok || s == "" {
		return 0, false
	}
	return toNumber(s)
}

func (v view) match(t, i int, f *filter) bool {
	if f.numeric {
		x, ok := v.numValue(t, i, f.p)
		return matchOp(f.op, ok, x, f.num, f.hnum, f.nums)
	}
	s, ok := v.value(t, i, f.p)
	ok = ok && s != ""
	s = strings.ToLower(s)
	switch token := strings.Trim(f.str, "*"); f.op {
	case "CONTAINS_TOKEN":
		return ok && strings.Contains(s, token)
	case "NOT_CONTAINS_TOKEN":
		return !ok || !strings.Contains(s, token)
	}
	return matchOp(f.op, ok, s, f.str, f.high, f.strs)
}

// matchOp applies a comparison operator to a record's value x (has=false
// when it has none, which only the negative operators accept).
func matchOp[T cmp.Ordered](op string, has bool, x, val, high T, set []T) bool {
	switch op {
	case "HAS_PROPERTY":
		return has
	case "NOT_HAS_PROPERTY":
		return !has
	case "NEQ":
		return !has || x != val
	case "NOT_IN":
		return !has || !slices.Contains(set, x)
	}
	if !has {
		return false
	}
	switch op {
	case "EQ":
		return x == val
	case "LT":
		return x < val
	case "LTE":
		return x <= val
	case "GT":
		return x > val
	case "GTE":
		return x >= val
	case "BETWEEN":
		return x >= val && x <= high
	case "IN":
		return slices.Contains(set, x)
	}
	return false
}

type sortRule struct {
	p    *propDef
	desc bool
}

// parseSort reads the one sort rule, given as {"propertyName","direction"}
// or as a name with an optional leading "-".
func parseSort(sc *typeSchema, raw json.RawMessage) (sortRule, bool) {
	var obj struct{ PropertyName, Direction string }
	var name string
	desc := false
	if json.Unmarshal(raw, &name) == nil {
		name, desc = strings.TrimPrefix(name, "-"), strings.HasPrefix(name, "-")
	} else if json.Unmarshal(raw, &obj) == nil {
		name = obj.PropertyName
		switch strings.ToUpper(obj.Direction) {
		case "", "ASCENDING":
		case "DESCENDING":
			desc = true
		default:
			return sortRule{}, false
		}
	}
	p, ok := sc.byName[name]
	return sortRule{p: p, desc: desc}, ok
}

// sortKey orders records: numbers and instants numerically, strings by
// their lower-case form; records without a value (null or "") sort last.
type sortKey struct {
	i    int32
	has  bool
	num  float64
	text string
}

func (v view) sortMatches(t int, idx []int32, rule sortRule) {
	keys := make([]sortKey, len(idx))
	for k, i := range idx {
		key := sortKey{i: i}
		if isNumeric(rule.p) {
			key.num, key.has = v.numValue(t, int(i), rule.p)
		} else {
			s, ok := v.value(t, int(i), rule.p)
			key.has, key.text = ok && s != "", strings.ToLower(s)
		}
		keys[k] = key
	}
	numeric := isNumeric(rule.p)
	slices.SortStableFunc(keys, func(a, b sortKey) int {
		if a.has != b.has {
			if a.has {
				return -1
			}
			return 1
		}
		c := 0
		switch {
		case numeric && a.num < b.num, !numeric && a.text < b.text:
			c = -1
		case numeric && a.num > b.num, !numeric && a.text > b.text:
			c = 1
		}
		if rule.desc {
			c = -c
		}
		if c == 0 { // ties in id order, so paging is stable
			return int(a.i - b.i)
		}
		return c
	})
	for k := range keys {
		idx[k] = keys[k].i
	}
}

func (s *Server) search(r *http.Request) *response {
	t, ok := typeIndex(r.PathValue("type"))
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
	if after+limit > searchMaxResults {
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
		b = append(v.appendRecord(b, scr, t, int(matches[k]), props), '}')
	}
	b = append(b, ']')
	if end < len(matches) {
		b = append(b, `,"paging":{"next":{"after":`...)
		b = appendStr(b, strconv.Itoa(end))
		b = append(b, `}}`...)
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
