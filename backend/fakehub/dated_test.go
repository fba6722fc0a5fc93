package fakehub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The 2026-09 date-based paths: the same data as their legacy twins, in
// their own shapes, with the published descriptions' rate-limit exemptions.

// decodeAny decodes a JSON body keeping numbers as written.
func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v\n%s", err, short(b))
	}
	return v
}

// normalise removes what legitimately differs between a legacy answer and
// its date-based twin (links, which name the path; correlation ids and
// batch timings, fresh per call; the 2026-09 record url and account
// members) and makes toObjectId a string in both.
func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			switch k {
			case "link", "correlationId", "startedAt", "completedAt", "url", "portalName":
				continue
			case "createdAt":
				if _, isNum := e.(json.Number); isNum { // the account's (an ISO string elsewhere)
					continue
				}
			case "toObjectId":
				if n, isNum := e.(json.Number); isNum {
					e = n.String()
				}
			}
			out[k] = normalise(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(e)
		}
		return out
	}
	return v
}

type twin struct {
	name           string
	method         string
	legacy, dated  string
	body           any
	wantStatus     int
	datedRecordURL bool // results carry url in the date-based answer
}

func twinCases(f *fixture) []twin {
	tr := f.s.Truth()
	contacts := tr.IDs("contacts", false)
	companies := tr.IDs("companies", false)
	archived := tr.IDs("deals", true)
	search := map[string]any{
		"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "hs_object_id", "operator": "GTE", "value": contacts[3]}}}},
		"sorts":        []string{"hs_object_id"},
		"properties":   []string{"email", "firstname", "health_notes", "national_id_number"},
		"limit":        7,
	}
	page2 := map[string]any{}
	for k, v := range search {
		page2[k] = v
	}
	page2["after"] = "7"
	var inputs []map[string]string
	for _, id := range append(slices.Clone(contacts[:12]), "999999999") {
		inputs = append(inputs, map[string]string{"id": id})
	}
	var companyInputs []map[string]string
	for _, id := range companies {
		companyInputs = append(companyInputs, map[string]string{"id": id})
	}
	return []twin{
		{name: "list", method: "GET", legacy: "/crm/v3/objects/contacts?limit=7&properties=email,date_of_birth_private&associations=companies,deals",
			dated: "/crm/objects/2026-09/contacts?limit=7&properties=email,date_of_birth_private&associations=companies,deals", datedRecordURL: true},
		{name: "list second page", method: "GET", legacy: "/crm/v3/objects/companies?limit=5&after=" + companies[5],
			dated: "/crm/objects/2026-09/companies?limit=5&after=" + companies[5], datedRecordURL: true},
		{name: "list archived", method: "GET", legacy: "/crm/v3/objects/deals?archived=true&limit=100",
			dated: "/crm/objects/2026-09/deals?archived=true&limit=100", datedRecordURL: len(archived) > 0},
		{name: "list engagements by type id", method: "GET", legacy: "/crm/v3/objects/0-46?limit=20&associations=contacts",
			dated: "/crm/objects/2026-09/0-46?limit=20&associations=contacts", datedRecordURL: true},
		{name: "list unknown type", method: "GET", legacy: "/crm/v3/objects/widgets", dated: "/crm/objects/2026-09/widgets", wantStatus: http.StatusBadRequest},
		{name: "search", method: "POST", legacy: "/crm/v3/objects/contacts/search", dated: "/crm/objects/2026-09/contacts/search", body: search, datedRecordURL: true},
		{name: "search second page", method: "POST", legacy: "/crm/v3/objects/contacts/search", dated: "/crm/objects/2026-09/contacts/search", body: page2, datedRecordURL: true},
		{name: "batch read with a missing id", method: "POST", legacy: "/crm/v3/objects/contacts/batch/read", dated: "/crm/objects/2026-09/contacts/batch/read",
			body: map[string]any{"inputs": inputs, "properties": []string{"email", "health_notes", "national_id_number"}}, wantStatus: http.StatusMultiStatus, datedRecordURL: true},
		{name: "associations", method: "POST", legacy: "/crm/v4/associations/companies/contacts/batch/read", dated: "/crm/associations/2026-09/companies/contacts/batch/read",
			body: map[string]any{"inputs": companyInputs}, wantStatus: 0},
		{name: "associations by type id", method: "POST", legacy: "/crm/v4/associations/0-1/0-3/batch/read", dated: "/crm/associations/2026-09/0-1/0-3/batch/read",
			body: map[string]any{"inputs": inputs}, wantStatus: http.StatusMultiStatus},
		{name: "properties", method: "GET", legacy: "/crm/v3/properties/contacts", dated: "/crm/properties/2026-09/contacts"},
		{name: "properties sensitive", method: "GET", legacy: "/crm/v3/properties/deals?dataSensitivity=sensitive", dated: "/crm/properties/2026-09/deals?dataSensitivity=sensitive"},
		{name: "properties highly sensitive", method: "GET", legacy: "/crm/v3/properties/tickets?dataSensitivity=highly_sensitive", dated: "/crm/properties/2026-09/tickets?dataSensitivity=highly_sensitive"},
		{name: "properties bad level", method: "GET", legacy: "/crm/v3/properties/tickets?dataSensitivity=secret", dated: "/crm/properties/2026-09/tickets?dataSensitivity=secret", wantStatus: http.StatusBadRequest},
		{name: "owners", method: "GET", legacy: "/crm/v3/owners?limit=10", dated: "/crm/owners/2026-09?limit=10"},
		{name: "owners trailing slash", method: "GET", legacy: "/crm/v3/owners/?limit=10", dated: "/crm/owners/2026-09/?limit=10"},
		{name: "owners archived", method: "GET", legacy: "/crm/v3/owners?archived=true", dated: "/crm/owners/2026-09?archived=true"},
		{name: "pipelines deals", method: "GET", legacy: "/crm/v3/pipelines/deals", dated: "/crm/pipelines/2026-09/deals"},
		{name: "pipelines tickets", method: "GET", legacy: "/crm/v3/pipelines/tickets", dated: "/crm/pipelines/2026-09/tickets"},
		{name: "account", method: "GET", legacy: "/account-info/v3/details", dated: "/account-info/2026-09/details"},
	}
}

func TestDatedPathsAnswerLikeTheirLegacyTwins(t *testing.T) {
	f := newFixture(t, Config{Scale: 40, AssociationPageSize: 3, InlineAssociationLimit: 2})
	for _, tc := range twinCases(f) {
		t.Run(tc.name, func(t *testing.T) {
			f := f.with(t)
			legacy, dated := f.do(tc.method, tc.legacy, tc.body), f.do(tc.method, tc.dated, tc.body)
			if legacy.err != nil || dated.err != nil {
				t.Fatal(legacy.err, dated.err)
			}
			if legacy.status != dated.status {
				t.Fatalf("status legacy %d, dated %d", legacy.status, dated.status)
			}
			if tc.wantStatus != 0 && dated.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", dated.status, tc.wantStatus, short(dated.body))
			}
			if tc.wantStatus == 0 && dated.status != http.StatusOK && dated.status != http.StatusMultiStatus {
				t.Fatalf("status %d: %s", dated.status, short(dated.body))
			}
			l, d := decodeAny(t, legacy.body), decodeAny(t, dated.body)
			if !reflect.DeepEqual(normalise(l), normalise(d)) {
				t.Fatalf("answers differ beyond their shapes:\nlegacy %s\ndated  %s", short(legacy.body), short(dated.body))
			}
			if dated.status >= 400 {
				return
			}
			results, _ := d.(map[string]any)["results"].([]any)
			if tc.datedRecordURL {
				if len(results) == 0 {
					t.Fatal("no results to compare")
				}
				for _, r := range results {
					rec := r.(map[string]any)
					if u, _ := rec["url"].(string); !strings.HasPrefix(u, "https://app.hubspot.com/contacts/") || !strings.HasSuffix(u, "/"+rec["id"].(string)) {
						t.Errorf("record url %q", rec["url"])
					}
				}
				for _, r := range l.(map[string]any)["results"].([]any) {
					if _, has := r.(map[string]any)["url"]; has {
						t.Fatal("a legacy record has a url")
					}
				}
			}
		})
	}
}

// The date-based associations answer: toObjectId a JSON string (a JSON
// number in v4), paging only while there are more, without a link; its
// cursors page like v4's.
func TestDatedAssociationsShape(t *testing.T) {
	f := newFixture(t, Config{Scale: 40, AssociationPageSize: 2})
	tr := f.s.Truth()
	type raw struct {
		Results []struct {
			From struct{ ID string } `json:"from"`
			To   []struct {
				ToObjectID json.RawMessage `json:"toObjectId"`
			} `json:"to"`
			Paging json.RawMessage `json:"paging"`
		} `json:"results"`
	}
	read := func(path string, inputs []map[string]string) raw {
		var out raw
		f.ok("POST", path, map[string]any{"inputs": inputs}, &out)
		return out
	}
	for _, tc := range []struct {
		name, prefix string
		dated        bool
	}{
		{"v4", "/crm/v4/associations/", false},
		{"2026-09", "/crm/associations/2026-09/", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pairSet{}
			var inputs []map[string]string
			for _, id := range tr.IDs("companies", false) {
				inputs = append(inputs, map[string]string{"id": id})
			}
			sawPaging, sawLast := false, false
			for calls := 0; len(inputs) > 0; calls++ {
				if calls > 1000 {
					t.Fatal("paging does not end")
				}
				rep := read(tc.prefix+"companies/contacts/batch/read", inputs)
				inputs = nil
				for _, res := range rep.Results {
					for _, to := range res.To {
						var id string
						if tc.dated {
							if err := json.Unmarshal(to.ToObjectID, &id); err != nil {
								t.Fatalf("toObjectId %s is not a JSON string", to.ToObjectID)
							}
						} else {
							var n int64
							if err := json.Unmarshal(to.ToObjectID, &n); err != nil {
								t.Fatalf("toObjectId %s is not a JSON number", to.ToObjectID)
							}
							id = strconv.FormatInt(n, 10)
						}
						got[[2]string{res.From.ID, id}] = true
					}
					if res.Paging == nil {
						sawLast = true
						continue
					}
					sawPaging = true
					var p struct {
						Next map[string]string `json:"next"`
					}
					if err := json.Unmarshal(res.Paging, &p); err != nil || p.Next["after"] == "" {
						t.Fatalf("paging %s", res.Paging)
					}
					if _, hasLink := p.Next["link"]; hasLink == tc.dated {
						t.Errorf("paging %s: link present %v, want %v", res.Paging, hasLink, !tc.dated)
					}
					inputs = append(inputs, map[string]string{"id": res.From.ID, "after": p.Next["after"]})
				}
			}
			if !sawPaging || !sawLast {
				t.Fatalf("paging seen %v, last pages seen %v: the test needs both", sawPaging, sawLast)
			}
			want := pairSet{}
			for _, p := range tr.Pairs("companies", "contacts") {
				want[p] = true
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d pairs, truth %d", len(got), len(want))
			}
		})
	}
}

// Neither family pages the properties list; the 2026-09 answer has no
// paging member at all.
func TestPropertiesHaveNoPaging(t *testing.T) {
	f := newFixture(t, Config{Scale: 5, ExtraProperties: 150})
	for _, path := range []string{"/crm/properties/2026-09/contacts", "/crm/v3/properties/contacts"} {
		for _, level := range []string{"", "?dataSensitivity=non_sensitive", "?dataSensitivity=sensitive", "?dataSensitivity=highly_sensitive"} {
			var m map[string]json.RawMessage
			f.ok("GET", path+level, nil, &m)
			if _, has := m["paging"]; has || len(m) != 1 || m["results"] == nil {
				t.Errorf("%s%s: members %v, want results only", path, level, keys(m))
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The 2026-09 search body requires filterGroups, limit, properties and
// sorts (after may be left out of a first page); v3 requires none.
func TestDatedSearchRequiresItsMembers(t *testing.T) {
	f := newFixture(t, Config{Scale: 20})
	full := func() map[string]any {
		return map[string]any{"filterGroups": []any{}, "sorts": []any{}, "properties": []string{"email"}, "limit": 5}
	}
	without := func(drop ...string) map[string]any {
		b := full()
		for _, k := range drop {
			delete(b, k)
		}
		return b
	}
	withNull := full()
	withNull["sorts"] = nil
	cases := []struct {
		name    string
		body    any
		missing []string // nil: accepted
	}{
		{"complete without after", full(), nil},
		{"complete with after", map[string]any{"filterGroups": []any{}, "sorts": []any{}, "properties": []string{}, "limit": 5, "after": "5"}, nil},
		{"no limit", without("limit"), []string{"limit"}},
		{"no filterGroups", without("filterGroups"), []string{"filterGroups"}},
		{"no sorts", without("sorts"), []string{"sorts"}},
		{"null sorts", withNull, []string{"sorts"}},
		{"no properties", without("properties"), []string{"properties"}},
		{"only limit", map[string]any{"limit": 5}, []string{"filterGroups", "properties", "sorts"}},
		{"empty object", map[string]any{}, []string{"filterGroups", "limit", "properties", "sorts"}},
		{"no body", nil, []string{"filterGroups", "limit", "properties", "sorts"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := f.with(t)
			if r := f.do("POST", "/crm/v3/objects/contacts/search", tc.body); r.status != http.StatusOK {
				t.Fatalf("legacy search: %d %s", r.status, short(r.body))
			}
			if tc.missing == nil {
				f.ok("POST", "/crm/objects/2026-09/contacts/search", tc.body, nil)
				return
			}
			eb := f.fails("POST", "/crm/objects/2026-09/contacts/search", tc.body, http.StatusBadRequest)
			var in []string
			for _, e := range eb.Errors {
				in = append(in, e.In)
			}
			if eb.Category != "VALIDATION_ERROR" || !slices.Equal(in, tc.missing) ||
				!strings.Contains(eb.Message, "["+strings.Join(tc.missing, ", ")+"]") {
				t.Errorf("error %+v, want VALIDATION_ERROR naming %v", eb, tc.missing)
			}
		})
	}
}

// Calls the descriptions exempt from the ten-second limit (search in both
// families, the 2026-09 associations batch read) neither count in the
// window nor are refused by it, unless ChargeExempt; they still count
// toward the daily limit.
func TestTenSecondExemptions(t *testing.T) {
	body := map[string]any{"filterGroups": []any{}, "sorts": []any{}, "properties": []string{}, "limit": 1}
	assoc := map[string]any{"inputs": []map[string]string{{"id": "1"}}}
	cases := []struct {
		name, path string
		body       any
		exempt     bool
		headers    bool // rate-limit headers on its answer
	}{
		{"v3 search", "/crm/v3/objects/contacts/search", body, true, false},
		{"2026-09 search", "/crm/objects/2026-09/contacts/search", body, true, false},
		{"2026-09 associations", "/crm/associations/2026-09/contacts/companies/batch/read", assoc, true, true},
		{"v4 associations", "/crm/v4/associations/contacts/companies/batch/read", assoc, false, true},
		{"2026-09 list", "/crm/objects/2026-09/contacts?limit=1", nil, false, true},
		{"2026-09 batch read", "/crm/objects/2026-09/contacts/batch/read", map[string]any{"inputs": []any{}}, false, true},
	}
	for _, tc := range cases {
		for _, charge := range []bool{false, true} {
			t.Run(tc.name+" charge="+strconv.FormatBool(charge), func(t *testing.T) {
				f := newFixture(t, Config{Scale: 10, RatePer10s: 3, ChargeExempt: charge})
				method := "POST"
				if tc.body == nil {
					method = "GET"
				}
				counted := !tc.exempt || charge
				// Three calls of the kind, then a list: the list fits only
				// when they were not counted.
				for i := 0; i < 3; i++ {
					r := f.do(method, tc.path, tc.body)
					if r.status != http.StatusOK && r.status != http.StatusMultiStatus {
						t.Fatalf("call %d: %d %s", i, r.status, short(r.body))
					}
					if has := r.header.Get("X-HubSpot-RateLimit-Remaining") != ""; has != tc.headers {
						t.Fatalf("call %d: rate-limit headers %v, want %v", i, r.header, tc.headers)
					} else if has && r.header.Get("X-HubSpot-RateLimit-Remaining") != strconv.Itoa(map[bool]int{true: 2 - i, false: 3}[counted]) {
						t.Errorf("call %d: remaining %s", i, r.header.Get("X-HubSpot-RateLimit-Remaining"))
					}
				}
				r := f.do("GET", "/crm/v3/owners", nil)
				if got := r.status == http.StatusTooManyRequests; got != counted {
					t.Fatalf("a list after three calls: status %d, want 429 %v", r.status, counted)
				}
				// With the window full, the kind is refused only if counted.
				f.clk.Advance(time.Second)
				for i := 0; i < 4; i++ {
					f.do("GET", "/crm/v3/owners", nil)
				}
				r = f.do(method, tc.path, tc.body)
				if got := r.status == http.StatusTooManyRequests; got != counted {
					t.Fatalf("with the window full: status %d, want 429 %v", r.status, counted)
				}
			})
		}
	}
	t.Run("exempt calls count toward the daily limit", func(t *testing.T) {
		f := newFixture(t, Config{Scale: 10, RatePer10s: 1, DailyLimit: 3})
		for i := 0; i < 3; i++ {
			f.ok("POST", "/crm/associations/2026-09/contacts/companies/batch/read", assoc, nil)
		}
		if eb := f.fails("POST", "/crm/objects/2026-09/contacts/search", body, http.StatusTooManyRequests); eb.PolicyName != "DAILY" {
			t.Errorf("policy %q, want DAILY", eb.PolicyName)
		}
	})
	t.Run("searches still count toward the search limit", func(t *testing.T) {
		f := newFixture(t, Config{Scale: 10, RatePer10s: 1, SearchRatePerSec: 2})
		f.ok("POST", "/crm/objects/2026-09/contacts/search", body, nil)
		f.ok("POST", "/crm/v3/objects/contacts/search", body, nil)
		if eb := f.fails("POST", "/crm/objects/2026-09/contacts/search", body, http.StatusTooManyRequests); eb.PolicyName != "SECONDLY" {
			t.Errorf("policy %q, want SECONDLY", eb.PolicyName)
		}
	})
}

// bare asserts HubSpot's answer to a route no API serves: 404, no body.
func bare(t *testing.T, r reply, what string) {
	t.Helper()
	if r.err != nil || r.status != http.StatusNotFound || len(r.body) != 0 || r.header.Get("Content-Type") != "" {
		t.Errorf("%s: %d %q %v, want a bare 404", what, r.status, short(r.body), r.header.Get("Content-Type"))
	}
}

var datedProbes = []struct{ method, path string }{
	{"GET", "/crm/objects/2026-09/contacts?limit=1"},
	{"POST", "/crm/objects/2026-09/contacts/search"},
	{"POST", "/crm/objects/2026-09/contacts/batch/read"},
	{"POST", "/crm/associations/2026-09/contacts/companies/batch/read"},
	{"GET", "/crm/properties/2026-09/contacts"},
	{"GET", "/crm/owners/2026-09"},
	{"GET", "/crm/pipelines/2026-09/deals"},
	{"GET", "/account-info/2026-09/details"},
}

func probeBody(method string) any {
	if method == "GET" {
		return nil
	}
	return map[string]any{"inputs": []any{}, "filterGroups": []any{}, "sorts": []any{}, "properties": []any{}, "limit": 1}
}

func TestHideDated(t *testing.T) {
	cases := []struct {
		name   string
		cfg    Config
		hide   []string
		call   bool // call HideDated(hide...)
		hidden func(path string) bool
	}{
		{"all", Config{}, nil, true, func(string) bool { return true }},
		{"config", Config{HideDated: true}, nil, false, func(string) bool { return true }},
		{"prefix / hides every date-based path", Config{}, []string{"/"}, true, func(string) bool { return true }},
		{"associations only", Config{}, []string{"/crm/associations/2026-09/"}, true,
			func(p string) bool { return strings.HasPrefix(p, "/crm/associations/") }},
		{"two prefixes", Config{}, []string{"/crm/properties/2026-09/", "/account-info/2026-09/"}, true,
			func(p string) bool {
				return strings.HasPrefix(p, "/crm/properties/") || strings.HasPrefix(p, "/account-info/")
			}},
		{"a legacy prefix hides nothing", Config{}, []string{"/crm/v3/"}, true, func(string) bool { return false }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Scale = 10
			f := newFixture(t, tc.cfg)
			if tc.call {
				f.s.HideDated(tc.hide...)
			}
			wantDated := 0
			for _, p := range datedProbes {
				r := f.do(p.method, p.path, probeBody(p.method))
				if tc.hidden(p.path) {
					bare(t, r, p.path)
				} else {
					wantDated++
					if r.status != http.StatusOK {
						t.Errorf("%s: %d %s, want it served", p.path, r.status, short(r.body))
					}
				}
				legacy := strings.NewReplacer("/crm/objects/2026-09", "/crm/v3/objects", "/crm/associations/2026-09", "/crm/v4/associations",
					"/crm/properties/2026-09", "/crm/v3/properties", "/crm/owners/2026-09", "/crm/v3/owners",
					"/crm/pipelines/2026-09", "/crm/v3/pipelines", "/account-info/2026-09", "/account-info/v3").Replace(p.path)
				if r := f.do(p.method, legacy, probeBody(p.method)); r.status != http.StatusOK {
					t.Errorf("%s: %d, want the legacy path served", legacy, r.status)
				}
			}
			st := f.s.Stats()
			if st.Dated != wantDated || st.Legacy != len(datedProbes) || st.Total != 2*len(datedProbes) || st.Dated404 != len(datedProbes)-wantDated {
				t.Errorf("stats dated %d legacy %d total %d refused %d, want %d, %d, %d, %d", st.Dated, st.Legacy, st.Total, st.Dated404,
					wantDated, len(datedProbes), 2*len(datedProbes), len(datedProbes)-wantDated)
			}
			f.s.ShowDated()
			for _, p := range datedProbes {
				if r := f.do(p.method, p.path, probeBody(p.method)); r.status != http.StatusOK {
					t.Errorf("after ShowDated, %s: %d", p.path, r.status)
				}
			}
		})
	}
}

// A route no API serves answers a bare 404; an object that does not exist
// answers HubSpot's JSON error.
func TestUnknownRouteVersusUnknownObject(t *testing.T) {
	f := newFixture(t, Config{Scale: 10})
	for _, p := range []struct{ method, path string }{
		{"GET", "/crm/v3/nothing/here"},
		{"GET", "/crm/objects/2026-03/contacts"}, // a version the fake does not serve
		{"GET", "/crm/objects/2026-09/contacts/51"},
		{"GET", "/crm/v3/objects/contacts/search"}, // the wrong method
		{"POST", "/crm/associations/2026-09/contacts/companies/batch/archive"},
		{"GET", "/marketing/forms/2026-09"}, // forms, submissions and email events have no date-based path
		{"GET", "/form-integrations/2026-09/submissions/forms/x"},
		{"GET", "/email/public/2026-09/events"},
		{"GET", "/"},
	} {
		bare(t, f.do(p.method, p.path, probeBody(p.method)), p.method+" "+p.path)
	}
	eb := f.fails("GET", "/form-integrations/v1/submissions/forms/no-such-form", nil, http.StatusNotFound)
	if eb.Category != "OBJECT_NOT_FOUND" {
		t.Errorf("unknown form: category %q", eb.Category)
	}
	st := f.s.Stats()
	if st.ByType["other"] != 9 || st.Dated != 0 || st.Legacy != 1 || st.Dated404 != 5 {
		t.Errorf("stats %+v", st)
	}
}

type propDefShape struct {
	Name                    string    `json:"name"`
	DataSensitivity         string    `json:"dataSensitivity"`
	SensitiveDataCategories *[]string `json:"sensitiveDataCategories"`
}

func TestDataSensitivityLevels(t *testing.T) {
	f := newFixture(t, Config{Scale: 30, ExtraProperties: 7})
	tr := f.s.Truth()
	levels := []string{"", "non_sensitive", "sensitive", "highly_sensitive"}
	for _, typ := range tr.Types() {
		for _, prefix := range []string{"/crm/v3/properties/", "/crm/properties/2026-09/"} {
			for _, level := range levels {
				t.Run(prefix+typ+"?"+level, func(t *testing.T) {
					f := f.with(t)
					path := prefix + typ
					if level != "" {
						path += "?dataSensitivity=" + level
					}
					var page struct{ Results []propDefShape }
					f.ok("GET", path, nil, &page)
					want := level
					if want == "" {
						want = "non_sensitive"
					}
					var names []string
					for _, p := range page.Results {
						names = append(names, p.Name)
						if p.DataSensitivity != want || p.SensitiveDataCategories == nil || len(*p.SensitiveDataCategories) != 0 {
							t.Errorf("%s: dataSensitivity %q categories %v", p.Name, p.DataSensitivity, p.SensitiveDataCategories)
						}
					}
					if truth := tr.PropertiesAt(typ, level); !slices.Equal(names, truth) && !(len(names) == 0 && len(truth) == 0) {
						t.Errorf("listed %v, truth %v", names, truth)
					}
					wantN := map[string]int{"sensitive": 2, "highly_sensitive": 1}[want]
					if len(sensitiveProps(typeByName(typ))) == 0 { // activities and the commerce types have none
						wantN = 0
					}
					if want != "non_sensitive" && len(names) != wantN {
						t.Errorf("%d %s properties, want %d", len(names), want, wantN)
					}
				})
			}
			t.Run(prefix+typ+" bad level", func(t *testing.T) {
				for _, bad := range []string{"secret", "SENSITIVE", ""} {
					eb := f.with(t).fails("GET", prefix+typ+"?dataSensitivity="+bad, nil, http.StatusBadRequest)
					if eb.Category != "VALIDATION_ERROR" || eb.Message != "Unable to parse value for query parameter: dataSensitivity" {
						t.Errorf("%q: %+v", bad, eb)
					}
				}
			})
		}
		// Properties is every level; the levels do not overlap.
		all := slices.Concat(tr.PropertiesAt(typ, "non_sensitive"), tr.PropertiesAt(typ, "sensitive"), tr.PropertiesAt(typ, "highly_sensitive"))
		slices.Sort(all)
		if !slices.Equal(all, tr.Properties(typ)) {
			t.Errorf("%s: the levels hold %d properties, Properties %d", typ, len(all), len(tr.Properties(typ)))
		}
	}
}

// Sensitive values are generated like any other, served when asked for,
// and part of the truth.
func TestSensitiveValuesInRecordsAndTruth(t *testing.T) {
	f := newFixture(t, Config{Scale: 40})
	tr := f.s.Truth()
	for _, typ := range []string{"contacts", "companies", "deals", "tickets"} {
		sens := slices.Concat(tr.PropertiesAt(typ, "sensitive"), tr.PropertiesAt(typ, "highly_sensitive"))
		var page objectPage
		f.ok("GET", "/crm/objects/2026-09/"+typ+"?limit=100&properties="+strings.Join(sens, ","), nil, &page)
		nonNull := map[string]int{}
		for _, r := range page.Results {
			props, _, _, _, ok := tr.Record(typ, r.ID)
			if !ok {
				t.Fatalf("%s %s not in the truth", typ, r.ID)
			}
			for _, name := range sens {
				got, has := r.Properties[name]
				if !has || deref(got) != deref(props[name]) {
					t.Errorf("%s %s %s = %s, truth %s", typ, r.ID, name, deref(got), deref(props[name]))
				}
				if got != nil {
					nonNull[name]++
				}
			}
		}
		for _, name := range sens {
			if nonNull[name] == 0 {
				t.Errorf("%s.%s is null on every record", typ, name)
			}
		}
	}
}

func TestDenySensitive(t *testing.T) {
	cases := []struct {
		typ, level, scope string
		hidden, shown     string // a property of the denied level, one of another
	}{
		{"contacts", "highly_sensitive", "crm.objects.contacts.highly_sensitive.read", "national_id_number", "health_notes"},
		{"contacts", "sensitive", "crm.objects.contacts.sensitive.read", "health_notes", "national_id_number"},
		{"companies", "sensitive", "crm.objects.companies.sensitive.read", "credit_rating_internal", "bank_account_iban"},
		{"deals", "highly_sensitive", "crm.objects.deals.highly_sensitive.read", "payment_card_reference", "contract_value_confidential"},
		{"tickets", "sensitive", "tickets.sensitive", "medical_case_notes", "patient_record_number"},
		{"tickets", "highly_sensitive", "tickets.highly_sensitive", "patient_record_number", "callback_phone_private"},
	}
	for _, tc := range cases {
		t.Run(tc.typ+" "+tc.level, func(t *testing.T) {
			f := newFixture(t, Config{Scale: 20})
			f.s.DenySensitive(tc.typ, tc.level)
			other := map[string]string{"sensitive": "highly_sensitive", "highly_sensitive": "sensitive"}[tc.level]
			for _, prefix := range []string{"/crm/v3/properties/", "/crm/properties/2026-09/"} {
				eb := f.fails("GET", prefix+tc.typ+"?dataSensitivity="+tc.level, nil, http.StatusForbidden)
				if got, _ := json.Marshal(eb.Errors); eb.Category != "MISSING_SCOPES" || len(eb.Errors) != 1 ||
					!strings.Contains(string(got), `"requiredGranularScopes":["`+tc.scope+`"]`) {
					t.Errorf("403 body %+v", eb)
				}
				f.ok("GET", prefix+tc.typ, nil, nil)
				f.ok("GET", prefix+tc.typ+"?dataSensitivity="+other, nil, nil)
				f.ok("GET", prefix+"contacts?dataSensitivity="+other, nil, nil)
			}
			if tc.typ != "companies" {
				f.ok("GET", "/crm/v3/properties/companies?dataSensitivity="+tc.level, nil, nil) // another type is not affected
			}
			ids := f.s.Truth().IDs(tc.typ, false)[:5]
			props := []string{tc.hidden, tc.shown, "hs_object_id"}
			var inputs []map[string]string
			for _, id := range ids {
				inputs = append(inputs, map[string]string{"id": id})
			}
			search := map[string]any{"filterGroups": []any{}, "sorts": []any{}, "properties": props, "limit": 5}
			for _, read := range []struct{ method, path string }{
				{"GET", "/crm/v3/objects/" + tc.typ + "?limit=5&properties=" + strings.Join(props, ",")},
				{"GET", "/crm/objects/2026-09/" + tc.typ + "?limit=5&properties=" + strings.Join(props, ",")},
				{"POST", "/crm/v3/objects/" + tc.typ + "/search"},
				{"POST", "/crm/objects/2026-09/" + tc.typ + "/search"},
				{"POST", "/crm/v3/objects/" + tc.typ + "/batch/read"},
				{"POST", "/crm/objects/2026-09/" + tc.typ + "/batch/read"},
			} {
				var body any
				switch {
				case strings.HasSuffix(read.path, "/search"):
					body = search
				case strings.HasSuffix(read.path, "/batch/read"):
					body = map[string]any{"inputs": inputs, "properties": props}
				}
				var page objectPage
				f.ok(read.method, read.path, body, &page)
				if len(page.Results) != 5 {
					t.Fatalf("%s: %d results", read.path, len(page.Results))
				}
				for _, r := range page.Results {
					if _, has := r.Properties[tc.hidden]; has {
						t.Errorf("%s: %s carries %s", read.path, r.ID, tc.hidden)
					}
					if _, has := r.Properties[tc.shown]; !has {
						t.Errorf("%s: %s lacks %s", read.path, r.ID, tc.shown)
					}
				}
			}
			if props, _, _, _, _ := f.s.Truth().Record(tc.typ, ids[0]); props != nil {
				if _, has := props[tc.hidden]; !has {
					t.Errorf("the truth lost %s", tc.hidden)
				}
			}
		})
	}
	t.Run("engagements have no sensitive properties", func(t *testing.T) {
		f := newFixture(t, Config{Scale: 5})
		var page struct{ Results []propDefShape }
		f.ok("GET", "/crm/properties/2026-09/calls?dataSensitivity=highly_sensitive", nil, &page)
		if len(page.Results) != 0 {
			t.Errorf("%d highly sensitive call properties", len(page.Results))
		}
	})
}

// Both families share the Stats labels; Dated and Legacy tell them apart,
// and Calls keys each family's pattern.
func TestStatsByFamily(t *testing.T) {
	f := newFixture(t, Config{Scale: 10})
	f.ok("GET", "/crm/v3/objects/contacts?limit=1", nil, nil)
	f.ok("GET", "/crm/objects/2026-09/contacts?limit=1", nil, nil)
	f.ok("GET", "/crm/objects/2026-09/contacts?limit=1&archived=true", nil, nil)
	f.ok("POST", "/crm/associations/2026-09/contacts/companies/batch/read", map[string]any{"inputs": []any{}}, nil)
	f.ok("GET", "/marketing/v3/forms", nil, nil)
	st := f.s.Stats()
	if st.ByType["list contacts"] != 2 || st.ByType["list archived contacts"] != 1 || st.ByType["associations contacts->companies"] != 1 ||
		st.Dated != 3 || st.Legacy != 2 || st.Total != 5 ||
		st.Calls["GET /crm/objects/2026-09/{type}"] != 2 || st.Calls["GET /crm/v3/objects/{type}"] != 1 ||
		st.Calls["POST /crm/associations/2026-09/{fromType}/{toType}/batch/read"] != 1 {
		t.Errorf("stats %+v", st)
	}
	f.s.ResetStats()
	if st := f.s.Stats(); st.Dated != 0 || st.Legacy != 0 || st.Dated404 != 0 {
		t.Errorf("after reset %+v", st)
	}
}
