package fakehub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The six types added after the first nine, and the types each one is
// associated with.
var newTypes = []struct {
	name, singular, typeID string
	partners               []string
}{
	{"products", "product", "0-7", nil},
	{"line_items", "line_item", "0-8", []string{"deals", "quotes"}},
	{"quotes", "quote", "0-14", []string{"deals", "contacts", "companies", "line_items"}},
	{"leads", "lead", "0-136", []string{"contacts", "companies"}},
	{"communications", "communication", "0-18", []string{"contacts", "companies", "deals", "tickets"}},
	{"postal_mail", "postal_mail", "0-116", []string{"contacts", "companies", "deals", "tickets"}},
}

var families = []struct{ name, objects, associations string }{
	{"legacy", "/crm/v3/objects/", "/crm/v4/associations/"},
	{"2026-09", "/crm/objects/" + DatedVersion + "/", "/crm/associations/" + DatedVersion + "/"},
}

// listEvery pages a list to its end in one family.
func (f *fixture) listEvery(prefix, typ, query string) []objectPage {
	f.t.Helper()
	var pages []objectPage
	after := ""
	for {
		path := prefix + typ + "?limit=100" + query
		if after != "" {
			path += "&after=" + url.QueryEscape(after)
		}
		var page objectPage
		f.ok("GET", path, nil, &page)
		pages = append(pages, page)
		if after = page.Paging.after(); after == "" {
			return pages
		}
	}
}

// sameAsTruth compares one served record with the truth.
func sameAsTruth(t *testing.T, tr *Truth, typ, id string, props map[string]*string, archived bool) {
	t.Helper()
	want, _, _, arch, ok := tr.Record(typ, id)
	if !ok || arch != archived {
		t.Fatalf("%s %s: in truth %v, archived %v", typ, id, ok, arch)
	}
	for name, v := range props {
		if w, has := want[name]; !has || deref(w) != deref(v) || (w == nil) != (v == nil) {
			t.Fatalf("%s %s %s = %q, truth %q", typ, id, name, deref(v), deref(w))
		}
	}
}

// assocPairs reads the pairs of ids toward to through a family's
// associations batch read (toObjectId a number or a string).
func (f *fixture) assocPairs(prefix, from, to string, ids []string) pairSet {
	f.t.Helper()
	pairs := pairSet{}
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		var inputs []map[string]string
		for _, id := range ids[:n] {
			inputs = append(inputs, map[string]string{"id": id})
		}
		ids = ids[n:]
		var rep struct {
			Results []struct {
				From struct{ ID string } `json:"from"`
				To   []struct {
					ToObjectID json.Number `json:"toObjectId"`
				} `json:"to"`
				Paging *pagingShape `json:"paging"`
			} `json:"results"`
		}
		f.ok("POST", prefix+from+"/"+to+"/batch/read", map[string]any{"inputs": inputs}, &rep)
		for _, r := range rep.Results {
			if r.Paging != nil {
				f.t.Fatalf("%s→%s: %s pages its associations", from, to, r.From.ID)
			}
			for _, x := range r.To {
				pairs[[2]string{r.From.ID, strings.Trim(x.ToObjectID.String(), `"`)}] = true
			}
		}
	}
	return pairs
}

func TestNewTypesServedLikeTheOthers(t *testing.T) {
	f := newFixture(t, Config{Seed: 3, Scale: 130})
	tr := f.s.Truth()
	for _, nt := range newTypes {
		props := strings.Join(tr.Properties(nt.name), ",")
		active, archived := tr.IDs(nt.name, false), tr.IDs(nt.name, true)
		if len(active) != 130 || len(archived) == 0 {
			t.Fatalf("%s: %d active, %d archived records", nt.name, len(active), len(archived))
		}
		for _, fam := range families {
			t.Run(nt.name+"/"+fam.name, func(t *testing.T) {
				f := f.with(t)
				// List, active and archived, every property, inline associations.
				for _, arch := range []bool{false, true} {
					q := "&properties=" + props
					if arch {
						q += "&archived=true"
					}
					if len(nt.partners) > 0 {
						q += "&associations=" + strings.Join(nt.partners, ",")
					}
					var ids []string
					inline := map[string]pairSet{}
					for _, p := range nt.partners {
						inline[p] = pairSet{}
					}
					for _, page := range f.listEvery(fam.objects, nt.name, q) {
						for _, r := range page.Results {
							ids = append(ids, r.ID)
							sameAsTruth(t, tr, nt.name, r.ID, r.Properties, arch)
							if len(r.Properties) != len(tr.Properties(nt.name)) {
								t.Fatalf("%s: %d properties, want %d", r.ID, len(r.Properties), len(tr.Properties(nt.name)))
							}
							for key, a := range r.Associations {
								if a.Paging != nil {
									t.Fatalf("%s: inline %s pages", r.ID, key)
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
					for _, p := range nt.partners {
						if arch {
							if len(inline[p]) != 0 {
								t.Errorf("archived records carry %d %s associations", len(inline[p]), p)
							}
							continue
						}
						if w := toSet(tr.Pairs(nt.name, p)); len(w) == 0 || !mapsEqual(inline[p], w) {
							t.Errorf("inline %s→%s: %d pairs, truth %d", nt.name, p, len(inline[p]), len(w))
						}
					}
				}
				// Search by last modified, the 10,000 cap's filter, sorted by id.
				cut := tr.v.st.recs[typeByName(nt.name)].updated
				since := time.UnixMilli(slices.Sorted(slices.Values(cut))[len(cut)/2]).UTC()
				var got []string
				after := ""
				for {
					body := map[string]any{"limit": 50, "properties": tr.Properties(nt.name),
						"filterGroups": []any{group(flt("hs_lastmodifieddate", "GTE", strconv.FormatInt(since.UnixMilli(), 10)))},
						"sorts":        []any{map[string]string{"propertyName": "hs_object_id", "direction": "ASCENDING"}}}
					if after != "" {
						body["after"] = after
					}
					var page objectPage
					f.ok("POST", fam.objects+nt.name+"/search", body, &page)
					for _, r := range page.Results {
						got = append(got, r.ID)
						sameAsTruth(t, tr, nt.name, r.ID, r.Properties, false)
					}
					if after = page.Paging.after(); after == "" {
						break
					}
				}
				var want []string
				for _, id := range active {
					if _, _, u, _, _ := tr.Record(nt.name, id); !u.Before(since) {
						want = append(want, id)
					}
				}
				if len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("search since %v: %d ids, truth %d", since, len(got), len(want))
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
					f.ok("POST", fam.objects+nt.name+"/batch/read"+q, map[string]any{"inputs": inputs, "properties": tr.Properties(nt.name)}, &page)
					if len(page.Results) != len(ids) {
						t.Fatalf("batch read archived=%v: %d results, want %d", arch, len(page.Results), len(ids))
					}
					for _, r := range page.Results {
						sameAsTruth(t, tr, nt.name, r.ID, r.Properties, arch)
					}
				}
				// Associations batch read, both directions.
				for _, p := range nt.partners {
					if got, want := f.assocPairs(fam.associations, nt.name, p, active), toSet(tr.Pairs(nt.name, p)); !mapsEqual(got, want) {
						t.Errorf("batch %s→%s: %d pairs, truth %d", nt.name, p, len(got), len(want))
					}
					if got, want := f.assocPairs(fam.associations, p, nt.name, tr.IDs(p, false)), toSet(tr.Pairs(p, nt.name)); !mapsEqual(got, want) {
						t.Errorf("batch %s→%s: %d pairs, truth %d", p, nt.name, len(got), len(want))
					}
				}
			})
		}
	}
}

func mapsEqual(a, b pairSet) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// The partners' inline associations show the new types too, from the same
// truth.
func TestPartnersListTheNewTypesInline(t *testing.T) {
	f := newFixture(t, Config{Seed: 5, Scale: 90})
	tr := f.s.Truth()
	for _, partner := range []string{"contacts", "companies", "deals", "tickets"} {
		var toward []string
		for _, nt := range newTypes {
			if slices.Contains(nt.partners, partner) {
				toward = append(toward, nt.name)
			}
		}
		got := map[string]pairSet{}
		for _, page := range f.listEvery("/crm/v3/objects/", partner, "&associations="+strings.Join(toward, ",")) {
			for _, r := range page.Results {
				for key, a := range r.Associations {
					if got[key] == nil {
						got[key] = pairSet{}
					}
					for _, x := range a.Results {
						got[key][[2]string{r.ID, x.ID}] = true
					}
				}
			}
		}
		for _, typ := range toward {
			if want := toSet(tr.Pairs(partner, typ)); len(want) == 0 || !mapsEqual(got[typ], want) {
				t.Errorf("%s→%s inline: %d pairs, truth %d", partner, typ, len(got[typ]), len(want))
			}
		}
	}
}

func TestNewTypeNamesResolve(t *testing.T) {
	f := newFixture(t, Config{Scale: 20})
	for _, nt := range newTypes {
		first := func(name string) string {
			var page objectPage
			f.ok("GET", "/crm/v3/objects/"+name+"?limit=1", nil, &page)
			return page.Results[0].ID
		}
		if a, b, c := first(nt.name), first(nt.singular), first(nt.typeID); a != b || a != c {
			t.Errorf("%s, %s and %s name different types", nt.name, nt.singular, nt.typeID)
		}
		for _, name := range []string{nt.name, nt.singular, nt.typeID, strings.ToUpper(nt.name)} {
			if typeByName(name) != typeByName(nt.name) || typeByName(name) < tProducts {
				t.Errorf("%s does not resolve to %s", name, nt.name)
			}
		}
		var props struct{ Results []propDefShape }
		f.ok("GET", "/crm/properties/"+DatedVersion+"/"+nt.singular, nil, &props)
		if len(props.Results) != len(f.s.Truth().Properties(nt.name)) {
			t.Errorf("%s: %d properties listed, truth %d", nt.name, len(props.Results), len(f.s.Truth().Properties(nt.name)))
		}
	}
	// Pipelines stay those of deals and tickets.
	var ps struct{ Results []any }
	f.ok("GET", "/crm/v3/pipelines/leads", nil, &ps)
	if len(ps.Results) != 0 {
		t.Errorf("leads have %d pipelines", len(ps.Results))
	}
}

// TestCommerceFanOuts: the association shapes of a real account.
func TestCommerceFanOuts(t *testing.T) {
	for _, cfg := range []Config{{Seed: 1, Scale: 200}, {Seed: 2, Scale: 200, Sizes: RealisticSizes(400)}} {
		t.Run(fmt.Sprint(cfg.Sizes != nil), func(t *testing.T) {
			cfg.Clock = newFixture(t, Config{Scale: 1}).clk
			s := New(cfg)
			tr := s.Truth()
			count := func(from, to string) map[string]int {
				m := map[string]int{}
				for _, id := range tr.IDs(from, false) {
					m[id] = 0
				}
				for _, p := range tr.Pairs(from, to) {
					m[p[0]]++
				}
				return m
			}
			between := func(from, to string, lo, hi int) {
				for id, n := range count(from, to) {
					if n < lo || n > hi {
						t.Errorf("%s %s has %d %s, want %d–%d", from, id, n, to, lo, hi)
						return
					}
				}
			}
			between("line_items", "deals", 1, 1)
			between("deals", "line_items", 0, maxLineItems)
			between("quotes", "deals", 1, 1)
			between("quotes", "contacts", 1, 2)
			between("quotes", "companies", 1, 1)
			between("leads", "contacts", 1, 1)
			between("leads", "companies", 0, 1)
			between("products", "deals", 0, 0)
			// A quote holds exactly the line items of its deal.
			items := map[string][]string{}
			for _, p := range tr.Pairs("deals", "line_items") {
				items[p[0]] = append(items[p[0]], p[1])
			}
			quoteItems := map[string][]string{}
			for _, p := range tr.Pairs("quotes", "line_items") {
				quoteItems[p[0]] = append(quoteItems[p[0]], p[1])
			}
			for _, p := range tr.Pairs("quotes", "deals") {
				if !slices.Equal(quoteItems[p[0]], items[p[1]]) {
					t.Fatalf("quote %s has line items %v, its deal %s %v", p[0], quoteItems[p[0]], p[1], items[p[1]])
				}
			}
			// Line items copy a generated product; amount = quantity × price.
			products := map[string]map[string]*string{}
			for _, id := range tr.IDs("products", false) {
				products[id], _, _, _, _ = tr.Record("products", id)
			}
			for _, id := range tr.IDs("products", true) {
				products[id], _, _, _, _ = tr.Record("products", id)
			}
			for _, id := range tr.IDs("line_items", false) {
				li, _, _, _, _ := tr.Record("line_items", id)
				prod := products[str(li["hs_product_id"])]
				if prod == nil || deref(prod["name"]) != deref(li["name"]) || deref(prod["price"]) != deref(li["price"]) {
					t.Fatalf("line item %s: product %q, name %q, price %q", id, deref(li["hs_product_id"]), deref(li["name"]), deref(li["price"]))
				}
				q, _ := strconv.ParseInt(str(li["quantity"]), 10, 64)
				p, _ := strconv.ParseFloat(str(li["price"]), 64)
				a, _ := strconv.ParseFloat(str(li["amount"]), 64)
				if q < 1 || fmt.Sprintf("%.2f", float64(q)*p) != fmt.Sprintf("%.2f", a) {
					t.Fatalf("line item %s: %d × %s = %s", id, q, deref(li["price"]), deref(li["amount"]))
				}
			}
			// Lead stages and channel types are HubSpot's values.
			for _, id := range tr.IDs("leads", false)[:20] {
				l, _, _, _, _ := tr.Record("leads", id)
				if !strings.HasSuffix(str(l["hs_pipeline_stage"]), "-stage-id") || str(l["hs_pipeline"]) != "lead-pipeline-id" {
					t.Fatalf("lead %s: %q in %q", id, deref(l["hs_pipeline_stage"]), deref(l["hs_pipeline"]))
				}
			}
			for _, id := range tr.IDs("communications", false)[:20] {
				c, _, _, _, _ := tr.Record("communications", id)
				if ch := str(c["hs_communication_channel_type"]); ch != "WHATS_APP" && ch != "LINKEDIN_MESSAGE" && ch != "SMS" {
					t.Fatalf("communication %s: channel %q", id, ch)
				}
				if c["hs_timestamp"] == nil {
					t.Fatalf("communication %s has no hs_timestamp", id)
				}
			}
		})
	}
}

func TestDenyScopeOnANewType(t *testing.T) {
	f := newFixture(t, Config{Scale: 30})
	f.s.DenyScope("line_item", "e-commerce")
	for _, fam := range families {
		for _, d := range []struct{ method, path string }{
			{"GET", fam.objects + "line_items"},
			{"GET", fam.objects + "0-8?limit=5"},
			{"POST", fam.objects + "line_items/search"},
			{"POST", fam.objects + "line_items/batch/read"},
			{"POST", fam.associations + "deals/line_items/batch/read"},
		} {
			t.Run(d.path, func(t *testing.T) {
				eb := f.with(t).fails(d.method, d.path, map[string]any{"inputs": []any{}}, http.StatusForbidden)
				scopes, _ := json.Marshal(eb.Errors)
				if eb.Category != "MISSING_SCOPES" || !strings.Contains(string(scopes), `"requiredGranularScopes":["e-commerce"]`) {
					t.Fatalf("403 body: %+v", eb)
				}
			})
		}
	}
	f.fails("GET", "/crm/v3/properties/line_items", nil, http.StatusForbidden)
	f.ok("GET", "/crm/v3/objects/products", nil, nil)
	f.ok("GET", "/crm/v3/objects/deals", nil, nil)
	st := f.s.Stats()
	if st.ByType["list line_items"] != 4 || st.ByType["associations deals->line_items"] != 2 || st.ByType["list products"] != 1 {
		t.Errorf("stats by type: %v", st.ByType)
	}
}

func TestModifyArchiveAddOnNewTypes(t *testing.T) {
	f := newFixture(t, Config{Scale: 40})
	tr := f.s.Truth()
	at := t0.Add(time.Hour)
	for _, nt := range newTypes {
		id := tr.IDs(nt.name, false)[3]
		before, _, _, _, _ := tr.Record(nt.name, id)
		f.s.Modify(nt.name, []string{id}, at)
		after, _, u, _, _ := f.s.Truth().Record(nt.name, id)
		mut := objTypes[typeByName(nt.name)].mutable
		if !u.Equal(at) || deref(after[mut]) == deref(before[mut]) {
			t.Errorf("%s %s: modified at %v, %s %q → %q", nt.name, id, u, mut, deref(before[mut]), deref(after[mut]))
		}
		victim := tr.IDs(nt.name, false)[5]
		f.s.Archive(nt.name, []string{victim}, at)
		now := f.s.Truth()
		if !slices.Contains(now.IDs(nt.name, true), victim) || slices.Contains(now.IDs(nt.name, false), victim) {
			t.Errorf("%s %s not archived", nt.name, victim)
		}
		for _, p := range nt.partners {
			for _, pair := range now.Pairs(p, nt.name) {
				if pair[1] == victim {
					t.Errorf("%s still associated with archived %s %s", p, nt.name, victim)
				}
			}
		}
		added := f.s.AddRecords(nt.name, 2, at)
		now = f.s.Truth()
		if len(added) != 2 || !slices.Contains(now.IDs(nt.name, false), added[1]) {
			t.Fatalf("%s: added %v", nt.name, added)
		}
	}
	// A new line item always belongs to a deal.
	now := f.s.Truth()
	added := now.IDs("line_items", false)
	last := added[len(added)-1]
	n := 0
	for _, p := range now.Pairs("line_items", "deals") {
		if p[0] == last {
			n++
		}
	}
	if n != 1 {
		t.Errorf("added line item %s has %d deals", last, n)
	}
}

func TestSizes(t *testing.T) {
	clk := newFixture(t, Config{Scale: 1}).clk
	s := New(Config{Scale: 50, Clock: clk, Sizes: map[string]int{"emails": 120, "meeting": 7, "0-7": 5, "quotes": 0, "nonsense": 3}})
	tr := s.Truth()
	want := map[string]int{"contacts": 50, "emails": 120, "meetings": 7, "products": 5, "quotes": 0, "leads": 50, "postal_mail": 50}
	for typ, n := range want {
		if got := len(tr.IDs(typ, false)); got != n {
			t.Errorf("%s: %d active records, want %d", typ, got, n)
		}
	}
	if len(tr.Types()) != 15 {
		t.Errorf("types %v", tr.Types())
	}

	r := RealisticSizes(1000)
	for _, typ := range tr.Types() {
		if r[typ] < 1 {
			t.Errorf("RealisticSizes(1000) has no %s", typ)
		}
	}
	less := [][2]string{{"meetings", "emails"}, {"meetings", "notes"}, {"products", "deals"}, {"deals", "line_items"},
		{"quotes", "deals"}, {"communications", "calls"}, {"postal_mail", "meetings"}, {"leads", "contacts"}}
	for _, l := range less {
		if r[l[0]]*2 > r[l[1]] {
			t.Errorf("RealisticSizes(1000): %d %s, %d %s: want far fewer %[2]s", r[l[0]], l[0], r[l[1]], l[1])
		}
	}
	if li := float64(r["line_items"]) / float64(r["deals"]); li < 2 || li > 3 {
		t.Errorf("%.1f line items per deal", li)
	}
	if ld := float64(r["leads"]) / float64(r["contacts"]); ld < 0.25 || ld > 0.4 {
		t.Errorf("%.2f leads per contact", ld)
	}
	if small := RealisticSizes(10); small["products"] < 5 {
		t.Errorf("RealisticSizes(10) has %d products", small["products"])
	}
}

// With Growth, the last year holds more records than the one before.
func TestGrowthCrowdsRecentDates(t *testing.T) {
	clk := newFixture(t, Config{Scale: 1}).clk
	for _, growth := range []bool{false, true} {
		tr := New(Config{Scale: 2000, Clock: clk, Growth: growth}).Truth()
		for _, typ := range []string{"emails", "deals"} {
			recent, earlier := 0, 0
			for _, id := range tr.IDs(typ, false) {
				_, c, _, _, _ := tr.Record(typ, id)
				switch age := t0.Sub(c); {
				case age < 365*24*time.Hour:
					recent++
				case age < 2*365*24*time.Hour:
					earlier++
				}
			}
			if ratio := float64(recent) / float64(earlier); growth && ratio < 1.3 || !growth && (ratio < 0.9 || ratio > 1.1) {
				t.Errorf("growth %v %s: %d records in the last year, %d in the one before", growth, typ, recent, earlier)
			}
		}
	}
}

// Ids of different types never meet, up to tens of millions of records a
// type.
func TestIDRangesDoNotOverlap(t *testing.T) {
	const n = 50_000_000
	type span struct {
		name   string
		lo, hi int64
	}
	var spans []span
	for ti := range objTypes {
		o := &objTypes[ti]
		lo := o.base
		hi := o.base + (n*o.step+o.step)*idMult(ti)
		if sharedEngagementID(ti) {
			lo, hi = engBase, engBase+(n*engStep+engStep)*5
		}
		spans = append(spans, span{o.name, lo, hi})
	}
	for i, a := range spans {
		for _, b := range spans[i+1:] {
			if a.lo == engBase && b.lo == engBase {
				continue // the shared space: id mod 5 tells them apart
			}
			if a.lo < b.hi && b.lo < a.hi {
				t.Errorf("%s [%d, %d) meets %s [%d, %d)", a.name, a.lo, a.hi, b.name, b.lo, b.hi)
			}
		}
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
