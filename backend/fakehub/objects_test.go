package fakehub

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// listAll pages GET /crm/v3/objects/{type} to the last page.
func (f *fixture) listAll(typ, query string) (ids []string, pages int) {
	f.t.Helper()
	after := ""
	for {
		path := "/crm/v3/objects/" + typ + "?limit=100" + query
		if after != "" {
			path += "&after=" + url.QueryEscape(after)
		}
		var page objectPage
		f.ok("GET", path, nil, &page)
		pages++
		for _, r := range page.Results {
			ids = append(ids, r.ID)
		}
		if after = page.Paging.after(); after == "" {
			return ids, pages
		}
		if pages > 10_000 {
			f.t.Fatal("paging does not end")
		}
	}
}

func TestListPagesEveryTypeToTheEnd(t *testing.T) {
	f := newFixture(t, Config{Scale: 250})
	tr := f.s.Truth()
	for _, typ := range tr.Types() {
		for _, archived := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/archived=%v", typ, archived), func(t *testing.T) {
				f := f.with(t)
				q := ""
				if archived {
					q = "&archived=true"
				}
				ids, pages := f.listAll(typ, q)
				want := tr.IDs(typ, archived)
				if !slices.Equal(ids, want) {
					t.Fatalf("listed %d ids, truth has %d", len(ids), len(want))
				}
				if wantPages := max(1, (len(want)+99)/100); pages != wantPages {
					t.Errorf("pages = %d, want %d", pages, wantPages)
				}
			})
		}
	}
	if n := len(tr.IDs("contacts", false)); n != 250 {
		t.Errorf("active contacts = %d, want the scale 250", n)
	}
	if n := len(tr.IDs("contacts", true)); n != 5 {
		t.Errorf("archived contacts = %d, want 2%% of 250", n)
	}
}

func TestListRecordShapeAndProperties(t *testing.T) {
	f := newFixture(t, Config{Scale: 60, ExtraProperties: 10})
	tr := f.s.Truth()
	cases := []struct {
		name, query string
		want        []string
	}{
		{"defaults", "", []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}},
		{"unknown names ignored", "&properties=email,no_such_property", []string{"createdate", "email", "hs_object_id", "lastmodifieddate"}},
		{"repeated parameter", "&properties=jobtitle&properties=city", []string{"city", "createdate", "hs_object_id", "jobtitle", "lastmodifieddate"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := f.with(t)
			var page objectPage
			f.ok("GET", "/crm/v3/objects/contacts?limit=5"+tc.query, nil, &page)
			if len(page.Results) != 5 {
				t.Fatalf("got %d results", len(page.Results))
			}
			for _, r := range page.Results {
				var names []string
				for k := range r.Properties {
					names = append(names, k)
				}
				slices.Sort(names)
				if !slices.Equal(names, tc.want) {
					t.Fatalf("properties %v, want %v", names, tc.want)
				}
				props, created, updated, archived, ok := tr.Record("contacts", r.ID)
				if !ok || archived || !created.Equal(r.CreatedAt) || !updated.Equal(r.UpdatedAt) {
					t.Fatalf("record %s disagrees with truth", r.ID)
				}
				for k, v := range r.Properties {
					if (v == nil) != (props[k] == nil) || v != nil && *v != *props[k] {
						t.Errorf("%s.%s = %v, truth %v", r.ID, k, deref(v), deref(props[k]))
					}
				}
				if *r.Properties["hs_object_id"] != r.ID || *r.Properties["createdate"] != created.Format("2006-01-02T15:04:05.000Z") {
					t.Errorf("hs_object_id/createdate not consistent with id/createdAt: %v", r.Properties)
				}
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return fmt.Sprintf("%q", *s)
}

func TestListRefusals(t *testing.T) {
	f := newFixture(t, Config{Scale: 20})
	cases := []struct{ path, category string }{
		{"/crm/v3/objects/contacts?limit=101", "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts?limit=0", "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts?limit=ten", "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts?after=abc", "VALIDATION_ERROR"},
		{"/crm/v3/objects/widgets", "OBJECT_NOT_FOUND"},
		{"/crm/v3/objects/contacts?associations=widgets", "OBJECT_NOT_FOUND"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			if eb := f.with(t).fails("GET", tc.path, nil, http.StatusBadRequest); eb.Category != tc.category {
				t.Errorf("category %q, want %q", eb.Category, tc.category)
			}
		})
	}
	if r := f.do("GET", "/crm/v3/nothing/here", nil); r.status != http.StatusNotFound || len(r.body) != 0 {
		t.Errorf("unknown route: %d %q, want a bare 404", r.status, r.body)
	}
}

func TestObjectTypeAliases(t *testing.T) {
	f := newFixture(t, Config{Scale: 20})
	var plural, singular, typeID objectPage
	f.ok("GET", "/crm/v3/objects/companies?limit=3", nil, &plural)
	f.ok("GET", "/crm/v3/objects/company?limit=3", nil, &singular)
	f.ok("GET", "/crm/v3/objects/0-2?limit=3", nil, &typeID)
	if plural.Results[0].ID != singular.Results[0].ID || plural.Results[0].ID != typeID.Results[0].ID {
		t.Fatal("companies, company and 0-2 name different types")
	}
}

func TestBatchRead(t *testing.T) {
	f := newFixture(t, Config{Scale: 100})
	tr := f.s.Truth()
	active, archived := tr.IDs("deals", false), tr.IDs("deals", true)
	t.Run("found and missing", func(t *testing.T) {
		f := f.with(t)
		body := map[string]any{"properties": []string{"dealname", "amount"},
			"inputs": []map[string]string{{"id": active[0]}, {"id": active[5]}, {"id": "999"}, {"id": archived[0]}}}
		var page struct {
			objectPage
			Status    string      `json:"status"`
			NumErrors int         `json:"numErrors"`
			Errors    []errorBody `json:"errors"`
		}
		r := f.ok("POST", "/crm/v3/objects/deals/batch/read", body, &page)
		if r.status != http.StatusMultiStatus || page.Status != "COMPLETE" || len(page.Results) != 2 || page.NumErrors != 1 {
			t.Fatalf("status %d, %s", r.status, short(r.body))
		}
		if got := page.Errors[0].Context["ids"]; !slices.Equal(got, []string{"999", archived[0]}) {
			t.Errorf("missing ids %v", got)
		}
		if _, ok := page.Results[0].Properties["dealname"]; !ok {
			t.Error("asked property missing")
		}
	})
	t.Run("archived", func(t *testing.T) {
		f := f.with(t)
		var page objectPage
		r := f.ok("POST", "/crm/v3/objects/deals/batch/read?archived=true", map[string]any{"inputs": []map[string]string{{"id": archived[0]}}}, &page)
		if r.status != http.StatusOK || len(page.Results) != 1 || !page.Results[0].Archived || page.Results[0].ArchivedAt == nil {
			t.Fatalf("archived batch read: %s", short(r.body))
		}
	})
	t.Run("over 100 inputs", func(t *testing.T) {
		var inputs []map[string]string
		for i := 0; i < 101; i++ {
			inputs = append(inputs, map[string]string{"id": active[i%len(active)]})
		}
		f.with(t).fails("POST", "/crm/v3/objects/deals/batch/read", map[string]any{"inputs": inputs}, http.StatusBadRequest)
	})
	f.fails("POST", "/crm/v3/objects/deals/batch/read", "{not json", http.StatusBadRequest)
}

// TestGeneratedDataIsRealistic checks the awkward values exporters must
// survive, and that references point at real owners and pipeline stages.
func TestGeneratedDataIsRealistic(t *testing.T) {
	f := newFixture(t, Config{Scale: 2000})
	tr := f.s.Truth()
	owners := map[string]bool{}
	for _, o := range tr.Owners() {
		owners[o] = true
	}
	stages := map[string]string{}
	for _, p := range f.s.ds.dealPipelines {
		for _, st := range p.stages {
			stages[st.id] = p.id
		}
	}
	seen := map[string]bool{}
	note := func(what string, ok bool) {
		if ok {
			seen[what] = true
		}
	}
	big := false
	for _, typ := range []string{"contacts", "companies", "deals", "notes"} {
		for _, id := range tr.IDs(typ, false) {
			props, _, _, _, _ := tr.Record(typ, id)
			big = big || len(id) > 10
			for name, v := range props {
				note("null", v == nil)
				if v == nil {
					continue
				}
				s := *v
				note("empty", s == "")
				note("accent", strings.ContainsAny(s, "éüø"))
				note("cjk", strings.ContainsAny(s, "中张王"))
				note("emoji", strings.Contains(s, "🚀") || strings.Contains(s, "🎉"))
				note("comma", strings.Contains(s, ","))
				note("quote", strings.Contains(s, `"`))
				note("newline", strings.Contains(s, "\n"))
				for _, lead := range []string{"=", "+", "-", "@"} {
					note("leading "+lead, strings.HasPrefix(s, lead))
				}
				note("script", strings.Contains(s, "<script>alert(1)</script>"))
				note("html", strings.HasPrefix(s, "<p>"))
				if name == "hubspot_owner_id" && !owners[s] {
					t.Errorf("%s %s references unknown owner %s", typ, id, s)
				}
				if name == "dealstage" && stages[s] != *props["pipeline"] {
					t.Errorf("deal %s: stage %s is not in pipeline %s", id, s, *props["pipeline"])
				}
			}
		}
	}
	for _, want := range []string{"null", "empty", "accent", "cjk", "emoji", "comma", "quote", "newline",
		"leading =", "leading +", "leading -", "leading @", "script", "html"} {
		if !seen[want] {
			t.Errorf("no generated value has: %s", want)
		}
	}
	if !big {
		t.Error("no id above 2^31")
	}
}

func TestGenerationIsDeterministic(t *testing.T) {
	paths := []string{
		"/crm/v3/objects/contacts?limit=100&properties=email,firstname,jobtitle,message&associations=companies",
		"/crm/v3/objects/calls?limit=50&associations=contacts,deals",
		"/crm/v3/owners", "/marketing/v3/forms", "/email/public/v1/events?limit=50",
	}
	bodies := func(seed int64) []string {
		f := newFixture(t, Config{Seed: seed, Scale: 200})
		var out []string
		for _, p := range paths {
			out = append(out, string(f.ok("GET", p, nil, nil).body))
		}
		return out
	}
	a, b, c := bodies(7), bodies(7), bodies(8)
	for i := range paths {
		if norm(a[i]) != norm(b[i]) {
			t.Errorf("%s differs between two servers with seed 7", paths[i])
		}
		if norm(a[i]) == norm(c[i]) {
			t.Errorf("%s is the same for seeds 7 and 8", paths[i])
		}
	}
}

// norm drops the port from paging links.
func norm(s string) string {
	for {
		i := strings.Index(s, "http://127.0.0.1:")
		if i < 0 {
			return s
		}
		j := i + len("http://127.0.0.1:")
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		s = s[:i] + "HOST" + s[j:]
	}
}

func TestModifyArchiveAddReflected(t *testing.T) {
	f := newFixture(t, Config{Scale: 100})
	before := f.s.Truth()
	ids := before.IDs("contacts", false)
	at := t0.Add(time.Hour)
	oldProps, _, _, _, _ := before.Record("contacts", ids[3])

	f.s.Modify("contacts", []string{ids[3], ids[4]}, at)
	f.s.Archive("contacts", []string{ids[10]}, at)
	added := f.s.AddRecords("contacts", 3, at.Add(time.Minute))
	after := f.s.Truth()

	props, _, updated, _, _ := after.Record("contacts", ids[3])
	if !updated.Equal(at) || *props["lastmodifieddate"] != "2025-03-10T13:00:00.000Z" {
		t.Errorf("modified record: updatedAt %v, lastmodifieddate %s", updated, deref(props["lastmodifieddate"]))
	}
	if deref(props["jobtitle"]) == deref(oldProps["jobtitle"]) {
		t.Errorf("Modify changed no property value (jobtitle %s)", deref(props["jobtitle"]))
	}
	if _, _, _, archived, _ := before.Record("contacts", ids[10]); archived {
		t.Error("Truth is not a snapshot: the earlier one sees the archive")
	}
	listed, _ := f.listAll("contacts", "")
	if slices.Contains(listed, ids[10]) || !slices.Equal(listed, after.IDs("contacts", false)) {
		t.Error("list after Archive does not match truth")
	}
	for _, id := range added {
		if !slices.Contains(listed, id) {
			t.Errorf("added record %s not listed", id)
		}
	}
	arch, _ := f.listAll("contacts", "&archived=true")
	if !slices.Contains(arch, ids[10]) {
		t.Error("archived record missing from archived=true list")
	}
	var page objectPage
	f.ok("POST", "/crm/v3/objects/contacts/search", map[string]any{
		"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "lastmodifieddate", "operator": "GTE", "value": fmt.Sprint(at.UnixMilli())}}}},
		"limit":        100,
	}, &page)
	var got []string
	for _, r := range page.Results {
		got = append(got, r.ID)
	}
	want := append([]string{ids[3], ids[4]}, added...)
	if !slices.Equal(got, want) {
		t.Errorf("search for changes = %v, want %v", got, want)
	}
}
