package fakehub

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

type filterSpec = map[string]any

func group(filters ...filterSpec) map[string]any { return map[string]any{"filters": filters} }

func flt(prop, op string, value any) filterSpec {
	return filterSpec{"propertyName": prop, "operator": op, "value": value}
}

// searchPage runs one search call that must succeed.
func (f *fixture) searchPage(typ string, body map[string]any) objectPage {
	f.t.Helper()
	var page objectPage
	f.ok("POST", "/crm/v3/objects/"+typ+"/search", body, &page)
	return page
}

// searchAll pages one query to its end (which must stay under 10,000).
func (f *fixture) searchAll(typ string, body map[string]any) (ids []string, total int) {
	f.t.Helper()
	after := ""
	for {
		b := map[string]any{"limit": 200}
		for k, v := range body {
			b[k] = v
		}
		if after != "" {
			b["after"] = after
		}
		page := f.searchPage(typ, b)
		total = *page.Total
		for _, r := range page.Results {
			ids = append(ids, r.ID)
		}
		if after = page.Paging.after(); after == "" {
			return ids, total
		}
	}
}

func TestSearchRefusals(t *testing.T) {
	f := newFixture(t, Config{Scale: 30})
	many := func(n int) []filterSpec {
		var out []filterSpec
		for i := 0; i < n; i++ {
			out = append(out, flt("hs_object_id", "GT", i))
		}
		return out
	}
	groups := func(sizes ...int) []any {
		var out []any
		for _, n := range sizes {
			out = append(out, map[string]any{"filters": many(n)})
		}
		return out
	}
	var longIn []string
	for i := 0; len(strings.Join(longIn, `","`)) < 3100; i++ {
		longIn = append(longIn, fmt.Sprintf("value-%d", i))
	}
	cases := []struct {
		name string
		body any
	}{
		{"limit over 200", map[string]any{"limit": 201}},
		{"six filter groups", map[string]any{"filterGroups": groups(1, 1, 1, 1, 1, 1)}},
		{"seven filters in a group", map[string]any{"filterGroups": groups(7)}},
		{"nineteen filters", map[string]any{"filterGroups": groups(5, 5, 5, 4)}},
		{"body over 3000 characters", map[string]any{"filterGroups": []any{group(filterSpec{"propertyName": "email", "operator": "IN", "values": longIn})}}},
		{"past 10000", map[string]any{"limit": 200, "after": "9900"}},
		{"unknown property", map[string]any{"filterGroups": []any{group(flt("no_such_property", "EQ", "x"))}}},
		{"unknown operator", map[string]any{"filterGroups": []any{group(flt("email", "LIKE", "x"))}}},
		{"two sorts", map[string]any{"sorts": []any{"createdate", "email"}}},
		{"not JSON", "{filterGroups"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.with(t).fails("POST", "/crm/v3/objects/contacts/search", tc.body, http.StatusBadRequest)
		})
	}
	// The edges themselves are allowed.
	f.searchPage("contacts", map[string]any{"filterGroups": groups(5, 5, 5, 3)})
	f.searchPage("contacts", map[string]any{"limit": 200, "after": "9800"})
	f.searchPage("contacts", map[string]any{"filterGroups": groups(6)})
}

func TestSearchCapsAtTenThousand(t *testing.T) {
	f := newFixture(t, Config{Scale: 50})
	f.s.AddRecords("contacts", 10_500, t0.Add(time.Hour))
	body := map[string]any{"limit": 200}
	var got int
	after := ""
	for {
		if after != "" {
			body["after"] = after
		}
		r := f.do("POST", "/crm/v3/objects/contacts/search", body)
		if r.status == http.StatusBadRequest {
			break
		}
		var page objectPage
		f.ok("POST", "/crm/v3/objects/contacts/search", body, &page)
		if *page.Total != 10_550 {
			t.Fatalf("total = %d", *page.Total)
		}
		got += len(page.Results)
		if after = page.Paging.after(); after == "" {
			t.Fatal("paging ended before the cap")
		}
	}
	if got != 10_000 || after != "10000" {
		t.Fatalf("read %d records before the 400 (next after %q), want 10000", got, after)
	}
}

// TestSearchResultCapOption: tests may lower the cap to exercise slicing
// without generating tens of thousands of records.
func TestSearchResultCapOption(t *testing.T) {
	f := newFixture(t, Config{Scale: 500, SearchResultCap: 300})
	f.searchPage("contacts", map[string]any{"limit": 200, "after": "100"})
	f.fails("POST", "/crm/v3/objects/contacts/search", map[string]any{"limit": 200, "after": "200"}, http.StatusBadRequest)
}

// TestSearchSlicingReturnsEveryRecordOnce slices a type with 12,000 records
// modified at the same millisecond both by id ranges and by last-modified
// windows (falling back to id ranges inside a window over 10,000).
func TestSearchSlicingReturnsEveryRecordOnce(t *testing.T) {
	f := newFixture(t, Config{Scale: 300})
	same := t0.Add(time.Hour)
	f.s.AddRecords("contacts", 12_000, same)
	f.s.AddRecords("contacts", 700, same.Add(time.Minute))
	f.s.Archive("contacts", f.s.Truth().IDs("contacts", false)[:3], same.Add(2*time.Minute))
	want := f.s.Truth().IDs("contacts", false)

	byID := func(extra ...filterSpec) []string {
		var out []string
		last := "0"
		for {
			filters := append([]filterSpec{flt("hs_object_id", "GT", last)}, extra...)
			body := map[string]any{"filterGroups": []any{group(filters...)},
				"sorts": []any{map[string]string{"propertyName": "hs_object_id", "direction": "ASCENDING"}}}
			var slice []string
			after := ""
			for len(slice) < 9_800 {
				b := map[string]any{"limit": 200}
				for k, v := range body {
					b[k] = v
				}
				if after != "" {
					b["after"] = after
				}
				page := f.searchPage("contacts", b)
				for _, r := range page.Results {
					slice = append(slice, r.ID)
				}
				if after = page.Paging.after(); after == "" {
					break
				}
			}
			out = append(out, slice...)
			if after == "" {
				return out
			}
			last = slice[len(slice)-1]
		}
	}
	t.Run("by hs_object_id", func(t *testing.T) {
		if got := byID(); !slices.Equal(got, want) {
			t.Fatalf("id slicing read %d records, want %d", len(got), len(want))
		}
	})
	t.Run("by lastmodifieddate windows", func(t *testing.T) {
		var got []string
		from := t0.Add(-4 * 365 * 24 * time.Hour)
		for lo := from; lo.Before(same.Add(time.Hour)); lo = lo.Add(90 * 24 * time.Hour) {
			hi := lo.Add(90 * 24 * time.Hour)
			window := []filterSpec{flt("lastmodifieddate", "GTE", lo.UnixMilli()), flt("lastmodifieddate", "LT", hi.UnixMilli())}
			page := f.searchPage("contacts", map[string]any{"filterGroups": []any{group(window...)}, "limit": 0})
			if *page.Total > 10_000 {
				got = append(got, byID(window...)...)
				continue
			}
			ids, _ := f.searchAll("contacts", map[string]any{"filterGroups": []any{group(window...)},
				"sorts": []any{map[string]string{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}}})
			got = append(got, ids...)
		}
		slices.SortFunc(got, func(a, b string) int { return cmpID(a, b) })
		if !slices.Equal(got, want) {
			t.Fatalf("window slicing read %d records (%d distinct), want %d", len(got), len(slices.Compact(slices.Clone(got))), len(want))
		}
	})
}

func cmpID(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return int(x - y)
}

func TestSearchOperators(t *testing.T) {
	f := newFixture(t, Config{Scale: 400})
	tr := f.s.Truth()
	ids := tr.IDs("deals", false)
	cut := tr.IDs("deals", false)[200]
	mid := t0.Add(-200 * 24 * time.Hour)
	str := func(p map[string]*string, k string) string {
		if p[k] == nil {
			return ""
		}
		return *p[k]
	}
	num := func(p map[string]*string, k string) (float64, bool) {
		n, err := strconv.ParseFloat(str(p, k), 64)
		return n, err == nil
	}
	cases := []struct {
		name   string
		groups []any
		want   func(id string, p map[string]*string, updated time.Time) bool
	}{
		{"EQ enumeration", []any{group(flt("dealstage", "EQ", "closedwon"))},
			func(_ string, p map[string]*string, _ time.Time) bool { return str(p, "dealstage") == "closedwon" }},
		{"NEQ", []any{group(flt("pipeline", "NEQ", "default"))},
			func(_ string, p map[string]*string, _ time.Time) bool { return str(p, "pipeline") != "default" }},
		{"IN", []any{group(filterSpec{"propertyName": "dealstage", "operator": "IN", "values": []string{"closedwon", "closedlost"}})},
			func(_ string, p map[string]*string, _ time.Time) bool {
				return str(p, "dealstage") == "closedwon" || str(p, "dealstage") == "closedlost"
			}},
		{"NOT_IN", []any{group(filterSpec{"propertyName": "dealstage", "operator": "NOT_IN", "values": []string{"closedwon", "closedlost"}})},
			func(_ string, p map[string]*string, _ time.Time) bool {
				return str(p, "dealstage") != "closedwon" && str(p, "dealstage") != "closedlost"
			}},
		{"HAS_PROPERTY", []any{group(filterSpec{"propertyName": "amount", "operator": "HAS_PROPERTY"})},
			func(_ string, p map[string]*string, _ time.Time) bool { return str(p, "amount") != "" }},
		{"NOT_HAS_PROPERTY", []any{group(filterSpec{"propertyName": "amount", "operator": "NOT_HAS_PROPERTY"})},
			func(_ string, p map[string]*string, _ time.Time) bool { return str(p, "amount") == "" }},
		{"GT compares numbers as numbers", []any{group(flt("amount", "GT", "99999.5"))},
			func(_ string, p map[string]*string, _ time.Time) bool {
				n, ok := num(p, "amount")
				return ok && n > 99999.5
			}},
		{"LTE on hs_object_id", []any{group(flt("hs_object_id", "LTE", cut))},
			func(id string, _ map[string]*string, _ time.Time) bool { return cmpID(id, cut) <= 0 }},
		{"BETWEEN ISO instants", []any{group(filterSpec{"propertyName": "hs_lastmodifieddate", "operator": "BETWEEN",
			"value": mid.Format(time.RFC3339), "highValue": t0.Format(time.RFC3339)})},
			func(_ string, _ map[string]*string, u time.Time) bool { return !u.Before(mid) && !u.After(t0) }},
		{"CONTAINS_TOKEN", []any{group(flt("dealname", "CONTAINS_TOKEN", "*hooli*"))},
			func(_ string, p map[string]*string, _ time.Time) bool {
				return strings.Contains(strings.ToLower(str(p, "dealname")), "hooli")
			}},
		{"groups are ORed, filters ANDed", []any{
			group(flt("dealstage", "EQ", "closedwon"), flt("amount", "LT", 50000)),
			group(flt("pipeline", "EQ", "1289412"))},
			func(_ string, p map[string]*string, _ time.Time) bool {
				n, ok := num(p, "amount")
				return str(p, "dealstage") == "closedwon" && ok && n < 50000 || str(p, "pipeline") == "1289412"
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := f.with(t)
			var want []string
			for _, id := range ids {
				p, _, updated, _, _ := tr.Record("deals", id)
				if tc.want(id, p, updated) {
					want = append(want, id)
				}
			}
			got, total := f.searchAll("deals", map[string]any{"filterGroups": tc.groups})
			if !slices.Equal(got, want) || total != len(want) {
				t.Fatalf("got %d ids (total %d), want %d", len(got), total, len(want))
			}
			if len(want) == 0 || len(want) == len(ids) {
				t.Fatalf("case selects %d of %d records: not a test", len(want), len(ids))
			}
		})
	}
}

func TestSearchSortsAndShape(t *testing.T) {
	f := newFixture(t, Config{Scale: 300})
	tr := f.s.Truth()
	all, total := f.searchAll("tickets", map[string]any{"properties": []string{"subject"}, "associations": []string{"contacts"}})
	if !slices.Equal(all, tr.IDs("tickets", false)) || total != len(all) {
		t.Fatal("search without filters does not return exactly the active records in id order")
	}
	page := f.searchPage("tickets", map[string]any{"limit": 5})
	for _, r := range page.Results {
		if r.Associations != nil || r.Archived {
			t.Fatal("search results carry associations or archived records")
		}
	}
	r := f.do("POST", "/crm/v3/objects/tickets/search", map[string]any{"limit": 1})
	if r.header.Get("X-HubSpot-RateLimit-Remaining") != "" {
		t.Error("search answers carry rate-limit headers")
	}
	cases := []struct {
		sort any
		key  func(id string) string
		desc bool
	}{
		{map[string]string{"propertyName": "hs_lastmodifieddate", "direction": "DESCENDING"}, func(id string) string {
			_, _, u, _, _ := tr.Record("tickets", id)
			return u.Format(time.RFC3339Nano)
		}, true},
		{"-hs_object_id", func(id string) string { return fmt.Sprintf("%020s", id) }, true},
		{map[string]string{"propertyName": "subject"}, func(id string) string {
			p, _, _, _, _ := tr.Record("tickets", id)
			if p["subject"] == nil || *p["subject"] == "" {
				return "\uffff" // no value sorts last
			}
			return strings.ToLower(*p["subject"])
		}, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.sort), func(t *testing.T) {
			ids, _ := f.with(t).searchAll("tickets", map[string]any{"sorts": []any{tc.sort}})
			if len(ids) != len(all) {
				t.Fatalf("sorted search read %d, want %d", len(ids), len(all))
			}
			for i := 1; i < len(ids); i++ {
				a, b := tc.key(ids[i-1]), tc.key(ids[i])
				if tc.desc && a < b || !tc.desc && a > b && b != "\uffff" {
					t.Fatalf("out of order at %d: %q then %q", i, a, b)
				}
			}
		})
	}
}
