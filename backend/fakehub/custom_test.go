package fakehub

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// customPartners are the types the custom type is associated with.
var customPartners = []string{"companies", "contacts", "deals"}

func TestCustomTypeNames(t *testing.T) {
	s := New(Config{Seed: 5, Scale: 10, CustomObjects: true, Clock: nil})
	fqn, id := s.CustomTypeName(), s.CustomTypeID()
	if fqn != "p"+strconv.FormatInt(s.ds.portalID, 10)+"_projects" {
		t.Errorf("fullyQualifiedName %q, portal %d", fqn, s.ds.portalID)
	}
	if len(id) != 9 || !strings.HasPrefix(id, "2-") {
		t.Errorf("objectTypeId %q", id)
	}
	if other := New(Config{Seed: 6, Scale: 1, CustomObjects: true}); other.CustomTypeID() == id || other.CustomTypeName() == fqn {
		t.Errorf("seeds 5 and 6 share %s %s", id, fqn)
	}
	tr := s.Truth()
	if types := tr.Types(); len(types) != 16 || types[15] != fqn {
		t.Errorf("types %v", types)
	}
	for _, name := range []string{fqn, strings.ToUpper(fqn), id} {
		if len(tr.IDs(name, false)) != 10 {
			t.Errorf("IDs(%q): %d", name, len(tr.IDs(name, false)))
		}
	}
	for _, name := range []string{"projects", "project", "Projects", "2-1", "p1_projects"} {
		if tr.IDs(name, false) != nil {
			t.Errorf("IDs(%q) resolves", name)
		}
	}
	props := tr.Properties(fqn)
	for _, p := range []string{"budget", "hs_createdate", "hs_lastmodifieddate", "hs_object_id", "hubspot_owner_id", "project_name", "project_status", "start_date"} {
		if !slices.Contains(props, p) {
			t.Errorf("no %s in %v", p, props)
		}
	}
	for _, level := range []string{levelSensitive, levelHighly} {
		if got := tr.PropertiesAt(fqn, level); len(got) != 0 {
			t.Errorf("%s properties: %v", level, got)
		}
	}
}

// The custom type answers every objects and associations endpoint like
// the standard types, by its objectTypeId and its fullyQualifiedName, in
// both families; inline associations name it by its fullyQualifiedName.
func TestCustomTypeServedLikeTheOthers(t *testing.T) {
	f := newFixture(t, Config{Seed: 5, Scale: 120, CustomObjects: true})
	tr := f.s.Truth()
	fqn, typeID := f.s.CustomTypeName(), f.s.CustomTypeID()
	active, archived := tr.IDs(fqn, false), tr.IDs(fqn, true)
	if len(active) != 120 || len(archived) == 0 {
		t.Fatalf("%d active, %d archived", len(active), len(archived))
	}
	all := tr.Properties(fqn)
	for _, fam := range families {
		for _, name := range []string{fqn, typeID} {
			t.Run(fam.name+"/"+name, func(t *testing.T) {
				f := f.with(t)
				// List, active and archived, every property, inline associations.
				for _, arch := range []bool{false, true} {
					q := "&properties=" + strings.Join(all, ",") + "&associations=" + strings.Join(customPartners, ",")
					if arch {
						q += "&archived=true"
					}
					var ids []string
					inline := map[string]pairSet{}
					for _, page := range f.listEvery(fam.objects, name, q) {
						for _, r := range page.Results {
							ids = append(ids, r.ID)
							sameAsTruth(t, tr, fqn, r.ID, r.Properties, arch)
							if len(r.Properties) != len(all) {
								t.Fatalf("%s: %d properties, want %d", r.ID, len(r.Properties), len(all))
							}
							for key, a := range r.Associations {
								if inline[key] == nil {
									inline[key] = pairSet{}
								}
								for _, x := range a.Results {
									inline[key][[2]string{r.ID, x.ID}] = true
								}
							}
						}
					}
					want := active
					if arch {
						want = archived
					}
					if !slices.Equal(ids, want) {
						t.Fatalf("archived=%v: listed %d ids, truth %d", arch, len(ids), len(want))
					}
					for _, p := range customPartners {
						w := toSet(tr.Pairs(fqn, p))
						if arch {
							w = pairSet{}
						}
						if (len(w) == 0) != arch || !mapsEqual(inline[p], w) {
							t.Errorf("archived=%v inline →%s: %d pairs, truth %d", arch, p, len(inline[p]), len(w))
						}
					}
				}
				// The partners list it inline under its fullyQualifiedName.
				for _, p := range customPartners {
					got := pairSet{}
					for _, page := range f.listEvery(fam.objects, p, "&associations="+name) {
						for _, r := range page.Results {
							for key, a := range r.Associations {
								if key != fqn {
									t.Fatalf("%s inline key %q", p, key)
								}
								for _, x := range a.Results {
									got[[2]string{r.ID, x.ID}] = true
								}
							}
						}
					}
					if w := toSet(tr.Pairs(p, fqn)); !mapsEqual(got, w) {
						t.Errorf("inline %s→custom: %d pairs, truth %d", p, len(got), len(w))
					}
				}
				// Search by last modified, sorted by id.
				cut := tr.v.st.recs[tProjects].updated
				since := slices.Sorted(slices.Values(cut))[len(cut)/2]
				var got []string
				after := ""
				for {
					body := map[string]any{"limit": 50, "properties": all,
						"filterGroups": []any{group(flt("hs_lastmodifieddate", "GTE", strconv.FormatInt(since, 10)))},
						"sorts":        []any{map[string]string{"propertyName": "hs_object_id", "direction": "ASCENDING"}}}
					if after != "" {
						body["after"] = after
					}
					var page objectPage
					f.ok("POST", fam.objects+name+"/search", body, &page)
					if page.Total == nil {
						t.Fatal("search without total")
					}
					for _, r := range page.Results {
						got = append(got, r.ID)
						sameAsTruth(t, tr, fqn, r.ID, r.Properties, false)
					}
					if after = page.Paging.after(); after == "" {
						break
					}
				}
				var want []string
				for _, id := range active {
					if _, _, u, _, _ := tr.Record(fqn, id); u.UnixMilli() >= since {
						want = append(want, id)
					}
				}
				if len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("search: %d ids, truth %d", len(got), len(want))
				}
				// Batch read, active and archived.
				for _, arch := range []bool{false, true} {
					ids, q := active[:100], ""
					if arch {
						ids, q = archived, "?archived=true"
					}
					var inputs []map[string]string
					for _, id := range ids {
						inputs = append(inputs, map[string]string{"id": id})
					}
					var page objectPage
					f.ok("POST", fam.objects+name+"/batch/read"+q, map[string]any{"inputs": inputs, "properties": all}, &page)
					if len(page.Results) != len(ids) {
						t.Fatalf("batch read archived=%v: %d results, want %d", arch, len(page.Results), len(ids))
					}
					for _, r := range page.Results {
						sameAsTruth(t, tr, fqn, r.ID, r.Properties, arch)
					}
				}
				// Associations batch read, both directions.
				for _, p := range customPartners {
					if got, want := f.assocPairs(fam.associations, name, p, active), toSet(tr.Pairs(fqn, p)); !mapsEqual(got, want) {
						t.Errorf("batch custom→%s: %d pairs, truth %d", p, len(got), len(want))
					}
					if got, want := f.assocPairs(fam.associations, p, name, tr.IDs(p, false)), toSet(tr.Pairs(p, fqn)); !mapsEqual(got, want) {
						t.Errorf("batch %s→custom: %d pairs, truth %d", p, len(got), len(want))
					}
				}
				// Properties at every level: none sensitive.
				for _, level := range []string{"", "non_sensitive", "sensitive", "highly_sensitive"} {
					var rep struct{ Results []struct{ Name string } }
					q := ""
					if level != "" {
						q = "?dataSensitivity=" + level
					}
					f.ok("GET", strings.Replace(fam.objects, "objects", "properties", 1)+name+q, nil, &rep)
					want := tr.PropertiesAt(fqn, level)
					if len(rep.Results) != len(want) {
						t.Errorf("properties %q: %d, truth %d", level, len(rep.Results), len(want))
					}
				}
			})
		}
	}
	st := f.s.Stats()
	if st.ByType["list "+fqn] == 0 || st.ByType["search "+fqn] == 0 || st.ByType["batch read "+fqn] == 0 ||
		st.ByType["associations "+fqn+"->contacts"] == 0 || st.ByType["associations deals->"+fqn] == 0 || st.ByType["properties "+fqn] == 0 {
		t.Errorf("stats by type: %v", st.ByType)
	}
}

// A project has one company, one to three contacts and up to two deals.
func TestCustomTypeFanOut(t *testing.T) {
	s := New(Config{Seed: 8, Scale: 300, CustomObjects: true})
	tr := s.Truth()
	fqn := s.CustomTypeName()
	count := map[string]map[string]int{}
	for _, p := range customPartners {
		count[p] = map[string]int{}
		for _, pair := range tr.Pairs(fqn, p) {
			count[p][pair[0]]++
		}
	}
	hist := map[string]map[int]int{"companies": {}, "contacts": {}, "deals": {}}
	for _, id := range tr.IDs(fqn, false) {
		for _, p := range customPartners {
			hist[p][count[p][id]]++
		}
	}
	for _, c := range []struct {
		partner string
		lo, hi  int
	}{{"companies", 1, 1}, {"contacts", 1, 3}, {"deals", 0, 2}} {
		for n := range hist[c.partner] {
			if n < c.lo || n > c.hi {
				t.Errorf("%s: %d projects have %d", c.partner, hist[c.partner][n], n)
			}
		}
		if c.hi > c.lo && len(hist[c.partner]) < 2 {
			t.Errorf("%s: no spread %v", c.partner, hist[c.partner])
		}
	}
}

type schemaReply struct {
	Results []map[string]json.RawMessage `json:"results"`
}

func TestSchemasEndpoint(t *testing.T) {
	f := newFixture(t, Config{Seed: 5, Scale: 20, CustomObjects: true, ExtraProperties: 4})
	fqn, typeID := f.s.CustomTypeName(), f.s.CustomTypeID()
	legacy, dated := "/crm-object-schemas/v3/schemas", "/crm-object-schemas/"+DatedVersion+"/schemas"
	cases := []struct {
		name, path, props          string
		dated, defs, assocs, audit bool
	}{
		{"legacy", legacy, "/crm/v3/properties/", false, true, true, true},
		{"legacy ignores include flags", legacy + "?includePropertyDefinitions=false", "/crm/v3/properties/", false, true, true, true},
		{"2026-09", dated, "/crm/properties/" + DatedVersion + "/", true, true, true, true},
		{"2026-09 flags true", dated + "?includeAssociationDefinitions=true&includeAuditMetadata=true&includePropertyDefinitions=true",
			"/crm/properties/" + DatedVersion + "/", true, true, true, true},
		{"2026-09 without properties", dated + "?includePropertyDefinitions=false", "", true, false, true, true},
		{"2026-09 without associations", dated + "?includeAssociationDefinitions=false", "", true, true, false, true},
		{"2026-09 without audit", dated + "?includeAuditMetadata=false", "", true, true, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := f.with(t)
			var rep schemaReply
			r := f.ok("GET", c.path, nil, &rep)
			if strings.Contains(string(r.body), `"paging"`) || len(rep.Results) != 1 {
				t.Fatalf("answer: %s", short(r.body))
			}
			sc := rep.Results[0]
			str := func(k string) string {
				var s string
				if err := json.Unmarshal(sc[k], &s); err != nil {
					t.Fatalf("%s: %s", k, sc[k])
				}
				return s
			}
			strs := func(k string) []string {
				var s []string
				if err := json.Unmarshal(sc[k], &s); err != nil || s == nil {
					t.Fatalf("%s: %s", k, sc[k])
				}
				return s
			}
			if str("objectTypeId") != typeID || str("fullyQualifiedName") != fqn || str("name") != "projects" ||
				"2-"+str("id") != typeID || str("primaryDisplayProperty") != "project_name" || str("description") == "" ||
				string(sc["labels"]) != `{"singular":"Project","plural":"Projects"}` || string(sc["archived"]) != "false" {
				t.Errorf("schema: %v", sc)
			}
			if !slices.Equal(strs("secondaryDisplayProperties"), []string{"project_status", "budget"}) ||
				len(strs("searchableProperties")) == 0 || len(strs("requiredProperties")) == 0 {
				t.Errorf("display/searchable/required: %s %s %s", sc["secondaryDisplayProperties"], sc["searchableProperties"], sc["requiredProperties"])
			}
			if a, has := sc["allowsSensitiveProperties"]; has != c.dated || has && string(a) != "false" {
				t.Errorf("allowsSensitiveProperties %q in %s", a, c.name)
			}
			_, hasCreated := sc["createdAt"]
			_, hasUpdated := sc["updatedAt"]
			if hasCreated != c.audit || hasUpdated != c.audit {
				t.Errorf("audit metadata: %v %v", hasCreated, hasUpdated)
			}
			var props []any
			_ = json.Unmarshal(sc["properties"], &props)
			if !c.defs {
				if props == nil || len(props) != 0 {
					t.Errorf("properties: %s", short(sc["properties"]))
				}
			} else {
				if len(props) != len(f.s.Truth().Properties(fqn)) {
					t.Errorf("%d properties, truth %d", len(props), len(f.s.Truth().Properties(fqn)))
				}
				if c.props != "" {
					for _, name := range []string{fqn, typeID} {
						var ep struct{ Results []any }
						f.ok("GET", c.props+name, nil, &ep)
						a, _ := json.Marshal(props)
						b, _ := json.Marshal(ep.Results)
						if string(a) != string(b) {
							t.Errorf("schema properties differ from the properties endpoint's (%s)", name)
						}
					}
				}
			}
			var assocs []map[string]string
			if err := json.Unmarshal(sc["associations"], &assocs); err != nil || assocs == nil {
				t.Fatalf("associations: %s", sc["associations"])
			}
			if !c.assocs {
				if len(assocs) != 0 {
					t.Errorf("associations: %v", assocs)
				}
				return
			}
			var to []string
			for _, a := range assocs {
				if a["id"] == "" || a["fromObjectTypeId"] != typeID || a["name"] == "" || (a["createdAt"] != "") != c.audit {
					t.Errorf("association %v", a)
				}
				to = append(to, a["toObjectTypeId"])
			}
			slices.Sort(to)
			if !slices.Equal(to, []string{"0-1", "0-2", "0-3"}) {
				t.Errorf("associated with %v", to)
			}
		})
	}
	for _, bad := range []string{dated + "?includePropertyDefinitions=maybe", legacy + "?archived=x"} {
		f.fails("GET", bad, nil, http.StatusBadRequest)
	}
	if got := string(f.ok("GET", legacy+"?archived=true", nil, nil).body); got != `{"results":[]}` {
		t.Errorf("archived schemas: %s", got)
	}
	if st := f.s.Stats(); st.ByType["schemas"] != len(cases)+3 {
		t.Errorf("stats: %v", st.ByType)
	}
}

// Without CustomObjects (the default) there is no custom type, the
// schemas list is empty, and every type's data are as they were.
func TestCustomObjectsOff(t *testing.T) {
	// Fingerprints of the fifteen standard types computed before the custom
	// type existed: turning it on or off changes none of them.
	pinned := []struct {
		cfg  Config
		want string
	}{
		{Config{Seed: 1, Scale: 60}, "31750a302aaada7ca4557b6ba07d5dfd5b6554c775764f5ee3229385c36f6a2f"},
		{Config{Seed: 9, Scale: 40, Sizes: RealisticSizes(40), ExtraProperties: 3}, "8ce7556845cd6fdde7a7106b473bdf2894d76fc3161fa62241e15fede9f33dc0"},
	}
	for _, p := range pinned {
		for _, on := range []bool{false, true} {
			cfg := p.cfg
			cfg.CustomObjects = on
			f := newFixture(t, cfg)
			tr := f.s.Truth()
			types := tr.Types()
			if got := truthFingerprint(tr, types[:15]); got != p.want {
				t.Errorf("seed %d custom %v: fingerprint %s", cfg.Seed, on, got)
			}
			if on != (len(types) == 16) || on != (f.s.CustomTypeName() != "") || on != (f.s.CustomTypeID() != "") {
				t.Errorf("custom %v: types %v, name %q", on, types, f.s.CustomTypeName())
			}
			if on {
				continue
			}
			for _, path := range []string{"/crm-object-schemas/v3/schemas", "/crm-object-schemas/" + DatedVersion + "/schemas"} {
				if got := string(f.ok("GET", path, nil, nil).body); got != `{"results":[]}` {
					t.Errorf("%s: %s", path, got)
				}
			}
			for _, name := range []string{customFQNFor(cfg.Seed), customIDFor(cfg.Seed), "projects"} {
				f.fails("GET", "/crm/v3/objects/"+name, nil, http.StatusBadRequest)
				if tr.IDs(name, false) != nil {
					t.Errorf("IDs(%s) without custom objects", name)
				}
			}
		}
	}
}

// Even with the custom type, its plain name, singular and labels are no
// objectType.
func TestCustomTypeResolution(t *testing.T) {
	f := newFixture(t, Config{Seed: 2, Scale: 5, CustomObjects: true})
	fqn, id := f.s.CustomTypeName(), f.s.CustomTypeID()
	for _, c := range []struct {
		name string
		ok   bool
	}{{fqn, true}, {strings.ToUpper(fqn), true}, {id, true}, {"projects", false}, {"project", false},
		{"Projects", false}, {"p1_projects", false}, {"2-1", false}} {
		for _, fam := range families {
			if c.ok {
				f.ok("GET", fam.objects+c.name, nil, nil)
				f.ok("GET", "/crm/v3/objects/contacts?associations="+c.name, nil, nil)
			} else {
				f.fails("GET", fam.objects+c.name, nil, http.StatusBadRequest)
				f.fails("POST", fam.associations+c.name+"/contacts/batch/read", map[string]any{"inputs": []any{}}, http.StatusBadRequest)
			}
		}
	}
}

func TestDenyScopeOnSchemas(t *testing.T) {
	f := newFixture(t, Config{Seed: 4, Scale: 10, CustomObjects: true})
	fqn, id := f.s.CustomTypeName(), f.s.CustomTypeID()
	f.s.DenyScope("schemas", "crm.schemas.custom.read")
	for _, path := range []string{"/crm-object-schemas/v3/schemas", "/crm-object-schemas/" + DatedVersion + "/schemas"} {
		eb := f.fails("GET", path, nil, http.StatusForbidden)
		scopes, _ := json.Marshal(eb.Errors)
		if eb.Category != "MISSING_SCOPES" || !strings.Contains(string(scopes), `"requiredGranularScopes":["crm.schemas.custom.read"]`) {
			t.Errorf("403 body: %+v", eb)
		}
	}
	f.ok("GET", "/crm/v3/objects/"+fqn, nil, nil) // records need their own scope
	f.s.DenyScope(id, "crm.objects.custom.read")
	for _, path := range []string{"/crm/v3/objects/" + fqn, "/crm/objects/" + DatedVersion + "/" + id, "/crm/v3/properties/" + fqn} {
		f.fails("GET", path, nil, http.StatusForbidden)
	}
	f.fails("POST", "/crm/v4/associations/contacts/"+id+"/batch/read", map[string]any{"inputs": []any{}}, http.StatusForbidden)
	f.ok("GET", "/crm/v3/objects/contacts", nil, nil)
	if st := f.s.Stats(); st.ByType["schemas"] != 2 || st.ByType["list "+fqn] != 3 {
		t.Errorf("stats: %v", st.ByType)
	}
}

// Modify, Archive and AddRecords take the custom type by its names.
func TestModifyArchiveAddOnCustomType(t *testing.T) {
	f := newFixture(t, Config{Seed: 3, Scale: 40, CustomObjects: true})
	fqn, id := f.s.CustomTypeName(), f.s.CustomTypeID()
	ids := f.s.Truth().IDs(fqn, false)
	at := t0.Add(time.Hour)
	f.s.Modify(fqn, ids[:2], at)
	f.s.Archive(id, ids[2:3], at)
	added := f.s.AddRecords(fqn, 3, at)
	tr := f.s.Truth()
	got, total := f.searchAll(id, map[string]any{"filterGroups": []any{group(flt("hs_lastmodifieddate", "GTE", strconv.FormatInt(at.UnixMilli(), 10)))}})
	if want := append(slices.Clone(ids[:2]), added...); !slices.Equal(got, want) || total != 5 {
		t.Errorf("modified since: %v (%d), want %v", got, total, want)
	}
	props, _, _, _, _ := tr.Record(fqn, ids[0])
	if !strings.Contains(deref(props["project_name"]), "(edited 1)") {
		t.Errorf("project_name %q", deref(props["project_name"]))
	}
	if !slices.Contains(tr.IDs(fqn, true), ids[2]) {
		t.Error("archived record not archived")
	}
	for _, a := range added {
		has := false
		for _, p := range tr.Pairs(fqn, "companies") {
			has = has || p[0] == a
		}
		if !has {
			t.Errorf("new project %s has no company", a)
		}
	}
}

// A schema changed between runs: a property added, then the type removed.
func TestSchemaChangesBetweenRuns(t *testing.T) {
	f := newFixture(t, Config{Seed: 6, Scale: 50, CustomObjects: true})
	fqn, id := f.s.CustomTypeName(), f.s.CustomTypeID()
	before := f.s.Truth()
	f.s.AddCustomProperty("delivery_region")
	f.s.AddCustomProperty("delivery_region") // once only
	f.s.AddCustomProperty("budget")          // exists: nothing changes
	tr := f.s.Truth()
	if got, want := len(tr.Properties(fqn)), len(before.Properties(fqn))+1; got != want || !slices.Contains(tr.Properties(fqn), "delivery_region") {
		t.Fatalf("%d properties, want %d", got, want)
	}
	if slices.Contains(before.Properties(fqn), "delivery_region") {
		t.Error("an earlier truth sees the new property")
	}
	var rep schemaReply
	f.ok("GET", "/crm-object-schemas/"+DatedVersion+"/schemas", nil, &rep)
	var props []struct{ Name string }
	_ = json.Unmarshal(rep.Results[0]["properties"], &props)
	var ep struct{ Results []struct{ Name string } }
	f.ok("GET", "/crm/v3/properties/"+id, nil, &ep)
	if !slices.ContainsFunc(props, func(p struct{ Name string }) bool { return p.Name == "delivery_region" }) || !reflect.DeepEqual(props, ep.Results) {
		t.Errorf("schema properties %v, endpoint %v", props, ep.Results)
	}
	values := 0
	for _, page := range f.listEvery("/crm/v3/objects/", fqn, "&properties=delivery_region,project_name") {
		for _, r := range page.Results {
			sameAsTruth(t, tr, fqn, r.ID, r.Properties, false)
			if r.Properties["delivery_region"] != nil {
				values++
			}
		}
	}
	if values < 20 {
		t.Errorf("%d records with a delivery_region", values)
	}
	// Removed: the schemas list none, its names answer as unknown types.
	f.s.RemoveCustomType()
	for _, path := range []string{"/crm-object-schemas/v3/schemas", "/crm-object-schemas/" + DatedVersion + "/schemas"} {
		if got := string(f.ok("GET", path, nil, nil).body); got != `{"results":[]}` {
			t.Errorf("%s: %s", path, got)
		}
	}
	for _, name := range []string{fqn, id} {
		for _, fam := range families {
			f.fails("GET", fam.objects+name, nil, http.StatusBadRequest)
			f.fails("POST", fam.objects+name+"/search", map[string]any{"filterGroups": []any{}, "limit": 1, "after": "0", "sorts": []any{}, "properties": []any{}}, http.StatusBadRequest)
			f.fails("POST", fam.associations+"contacts/"+name+"/batch/read", map[string]any{"inputs": []any{}}, http.StatusBadRequest)
		}
		f.fails("GET", "/crm/v3/objects/contacts?associations="+name, nil, http.StatusBadRequest)
		f.fails("GET", "/crm/v3/properties/"+name, nil, http.StatusBadRequest)
	}
	if f.s.CustomTypeName() != "" || len(f.s.Truth().Types()) != 15 || f.s.Truth().IDs(fqn, false) != nil {
		t.Error("the removed type is still in the truth")
	}
	if len(tr.IDs(fqn, false)) != 50 || len(tr.Types()) != 16 {
		t.Error("a truth taken before the removal lost the type")
	}
	f.s.AddCustomProperty("too_late") // no type: nothing happens
}

func TestCustomTypeSizes(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want int
	}{
		{Config{Scale: 30, CustomObjects: true}, 30},
		{Config{Scale: 30, CustomObjects: true, Sizes: map[string]int{"projects": 7}}, 7},
		{Config{Scale: 30, CustomObjects: true, Sizes: map[string]int{customFQNFor(0): 4}}, 4},
		{Config{Scale: 30, CustomObjects: true, Sizes: map[string]int{customIDFor(0): 0}}, 0},
		{Config{Scale: 30, CustomObjects: true, Sizes: RealisticSizes(200)}, 20},
		{Config{Scale: 30, Sizes: RealisticSizes(200)}, -1},
	} {
		s := New(c.cfg)
		tr := s.Truth()
		got := -1
		if name := s.CustomTypeName(); name != "" {
			got = len(tr.IDs(name, false))
		}
		if got != c.want {
			t.Errorf("%+v: %d projects, want %d", c.cfg.Sizes, got, c.want)
		}
	}
}

// Property history reads the custom type as it reads the others.
func TestCustomTypeHistory(t *testing.T) {
	f := newFixture(t, Config{Seed: 7, Scale: 30, CustomObjects: true})
	fqn, id := f.s.CustomTypeName(), f.s.CustomTypeID()
	f.s.Modify(fqn, f.s.Truth().IDs(fqn, false)[:3], t0.Add(time.Minute))
	tr := f.s.Truth()
	for _, fam := range families {
		var page struct {
			Results []struct {
				ID                    string
				PropertiesWithHistory map[string][]struct{ Value string }
			}
		}
		f.ok("GET", fam.objects+id+"?limit=50&propertiesWithHistory=project_name,project_status", nil, &page)
		if len(page.Results) != 30 {
			t.Fatalf("%s: %d records", fam.name, len(page.Results))
		}
		for _, r := range page.Results {
			want := tr.History(fqn, r.ID)
			for _, p := range []string{"project_name", "project_status"} {
				if len(r.PropertiesWithHistory[p]) != len(want[p]) {
					t.Errorf("%s %s %s: %d entries, truth %d", fam.name, r.ID, p, len(r.PropertiesWithHistory[p]), len(want[p]))
				}
			}
		}
	}
}
