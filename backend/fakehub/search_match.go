package fakehub

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// How a search matches and orders records: its filters compiled against a
// type's schema, HubSpot's comparison operators, and the one sort rule.

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
