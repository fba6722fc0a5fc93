package fakehub

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

type v4Reply struct {
	Status  string `json:"status"`
	Results []struct {
		From struct {
			ID string `json:"id"`
		} `json:"from"`
		To []struct {
			ToObjectID       int64 `json:"toObjectId"` // a JSON number, as HubSpot sends it
			AssociationTypes []struct {
				Category string  `json:"category"`
				TypeID   int     `json:"typeId"`
				Label    *string `json:"label"`
			} `json:"associationTypes"`
		} `json:"to"`
		Paging *pagingShape `json:"paging"`
	} `json:"results"`
	NumErrors int         `json:"numErrors"`
	Errors    []errorBody `json:"errors"`
}

type pairSet map[[2]string]bool

// v4All reads the associations of ids through the v4 batch endpoint, 1,000
// inputs a call, following each input's own cursor.
func (f *fixture) v4All(from, to string, ids []string) (pairs pairSet, none []string, labels map[string]int, calls int) {
	f.t.Helper()
	pairs, labels = pairSet{}, map[string]int{}
	type input struct {
		ID    string `json:"id"`
		After string `json:"after,omitempty"`
	}
	var pending []input
	for _, id := range ids {
		pending = append(pending, input{ID: id})
	}
	for len(pending) > 0 {
		n := min(len(pending), 1000)
		batch := pending[:n]
		pending = pending[n:]
		var rep v4Reply
		r := f.ok("POST", "/crm/v4/associations/"+from+"/"+to+"/batch/read", map[string]any{"inputs": batch}, &rep)
		calls++
		if (r.status == http.StatusMultiStatus) != (len(rep.Errors) > 0) || rep.Status != "COMPLETE" {
			f.t.Fatalf("status %d with %d errors", r.status, len(rep.Errors))
		}
		for _, res := range rep.Results {
			for _, to := range res.To {
				pairs[[2]string{res.From.ID, strconv.FormatInt(to.ToObjectID, 10)}] = true
				for _, at := range to.AssociationTypes {
					label := "null"
					if at.Label != nil {
						label = *at.Label
					}
					labels[at.Category+"/"+label]++
				}
			}
			if a := res.Paging.after(); a != "" {
				pending = append(pending, input{ID: res.From.ID, After: a})
			}
		}
		for _, e := range rep.Errors {
			if e.SubCategory != "crm.associations.NO_ASSOCIATIONS_FOUND" {
				f.t.Fatalf("unexpected error %+v", e)
			}
			none = append(none, e.Context["fromObjectId"]...)
		}
	}
	return pairs, none, labels, calls
}

func toSet(pairs [][2]string) pairSet {
	s := pairSet{}
	for _, p := range pairs {
		s[p] = true
	}
	return s
}

func TestTruthPairsAreSymmetric(t *testing.T) {
	f := newFixture(t, Config{Scale: 300})
	tr := f.s.Truth()
	types := tr.Types()
	related := 0
	for _, a := range types {
		for _, b := range types {
			ab, ba := tr.Pairs(a, b), tr.Pairs(b, a)
			if len(ab) != len(ba) {
				t.Fatalf("%s->%s has %d pairs, %s->%s %d", a, b, len(ab), b, a, len(ba))
			}
			rev := pairSet{}
			for _, p := range ba {
				rev[[2]string{p[1], p[0]}] = true
			}
			for _, p := range ab {
				if !rev[p] {
					t.Fatalf("%s->%s pair %v has no reverse", a, b, p)
				}
			}
			if len(toSet(ab)) != len(ab) {
				t.Fatalf("%s->%s pairs are not deduplicated", a, b)
			}
			if len(ab) > 0 {
				related++
			}
		}
	}
	if related != 80 { // 40 relations (25 among the first nine types), both directions
		t.Errorf("%d related type pairs, want 80", related)
	}
}

// TestInlinePlusV4EqualsTruth extracts associations the way the extractor
// does (inline on list, completing overflowing collections through v4) and
// compares them with the truth, for every relation of the design.
func TestInlinePlusV4EqualsTruth(t *testing.T) {
	f := newFixture(t, Config{Scale: 450})
	f.s.Archive("companies", f.s.Truth().IDs("companies", false)[:2], t0)
	tr := f.s.Truth()
	plan := map[string][]string{
		"contacts": {"companies"}, "companies": {"contacts"}, "deals": {"contacts", "companies"},
		"tickets": {"contacts", "companies"}, "calls": {"contacts", "companies", "deals", "tickets"},
		"notes": {"contacts", "companies", "deals", "tickets"},
	}
	for from, tos := range plan {
		t.Run(from, func(t *testing.T) {
			f := f.with(t)
			got := map[string]pairSet{}
			overflow := map[string][]string{}
			after := ""
			for {
				path := "/crm/v3/objects/" + from + "?limit=100&properties=hs_object_id&associations=" + url.QueryEscape(strings.Join(tos, ","))
				if after != "" {
					path += "&after=" + after
				}
				var page objectPage
				f.ok("GET", path, nil, &page)
				for _, r := range page.Results {
					for to, coll := range r.Associations {
						if got[to] == nil {
							got[to] = pairSet{}
						}
						if len(coll.Results) == 0 {
							t.Fatalf("%s %s has an empty %s collection: absent means none", from, r.ID, to)
						}
						for _, a := range coll.Results {
							got[to][[2]string{r.ID, a.ID}] = true
						}
						if coll.Paging.after() != "" {
							overflow[to] = append(overflow[to], r.ID)
						}
					}
				}
				if after = page.Paging.after(); after == "" {
					break
				}
			}
			for _, to := range tos {
				if !slices.Equal(overflow[to], tr.OverflowIDs(from, to)) {
					t.Errorf("%s->%s: inline overflow %v, truth %v", from, to, overflow[to], tr.OverflowIDs(from, to))
				}
				if len(overflow[to]) > 0 {
					rest, _, _, _ := f.v4All(from, to, overflow[to])
					for p := range rest {
						got[to][p] = true
					}
				}
				want := toSet(tr.Pairs(from, to))
				if len(got[to]) != len(want) {
					t.Fatalf("%s->%s: extracted %d pairs, truth %d", from, to, len(got[to]), len(want))
				}
				for p := range want {
					if !got[to][p] {
						t.Fatalf("%s->%s: pair %v missing", from, to, p)
					}
				}
			}
		})
	}
	if len(tr.OverflowIDs("companies", "contacts")) < 2 {
		t.Error("too few companies overflow their inline contacts page")
	}
}

func TestV4BatchRead(t *testing.T) {
	f := newFixture(t, Config{Scale: 1200, InlineAssociationLimit: 100, AssociationPageSize: 40})
	tr := f.s.Truth()
	contacts := tr.IDs("contacts", false)
	t.Run("every contact, 1000 per call", func(t *testing.T) {
		f := f.with(t)
		pairs, none, labels, calls := f.v4All("contacts", "companies", contacts)
		if want := toSet(tr.Pairs("contacts", "companies")); len(pairs) != len(want) {
			t.Fatalf("v4 read %d pairs, truth %d", len(pairs), len(want))
		}
		if len(none) == 0 || calls != 2 {
			t.Errorf("%d contacts without companies in errors, %d calls", len(none), calls)
		}
		for _, l := range []string{"HUBSPOT_DEFINED/null", "HUBSPOT_DEFINED/Primary", "USER_DEFINED/Billing contact"} {
			if labels[l] == 0 {
				t.Errorf("no association type %s", l)
			}
		}
	})
	t.Run("per-input paging", func(t *testing.T) {
		f := f.with(t)
		hubs := tr.OverflowIDs("companies", "contacts")
		pairs, _, _, calls := f.v4All("companies", "contacts", hubs)
		if calls < 3 { // 40 a page: every hub needs several
			t.Errorf("%d calls for %d hubs", calls, len(hubs))
		}
		want := pairSet{}
		for _, p := range tr.Pairs("companies", "contacts") {
			if slices.Contains(hubs, p[0]) {
				want[p] = true
			}
		}
		if len(pairs) != len(want) {
			t.Fatalf("read %d pairs of hubs, want %d", len(pairs), len(want))
		}
	})
	t.Run("all found is 200 without errors", func(t *testing.T) {
		var rep v4Reply
		id := tr.Pairs("deals", "contacts")[0][0]
		r := f.with(t).ok("POST", "/crm/v4/associations/deals/contacts/batch/read", map[string]any{"inputs": []map[string]string{{"id": id}}}, &rep)
		if r.status != http.StatusOK || rep.Errors != nil || len(rep.Results) != 1 {
			t.Fatalf("status %d: %s", r.status, short(r.body))
		}
	})
	t.Run("over 1000 inputs", func(t *testing.T) {
		var inputs []map[string]string
		for i := 0; i < 1001; i++ {
			inputs = append(inputs, map[string]string{"id": contacts[i%len(contacts)]})
		}
		f.with(t).fails("POST", "/crm/v4/associations/contacts/companies/batch/read", map[string]any{"inputs": inputs}, http.StatusBadRequest)
	})
	t.Run("unknown type", func(t *testing.T) {
		f.with(t).fails("POST", "/crm/v4/associations/contacts/widgets/batch/read", map[string]any{"inputs": []any{}}, http.StatusBadRequest)
	})
	t.Run("inline link is followable", func(t *testing.T) {
		f := f.with(t)
		hub := tr.OverflowIDs("companies", "contacts")[0]
		var page objectPage
		f.ok("POST", "/crm/v3/objects/companies/batch/read", map[string]any{"inputs": []map[string]string{{"id": hub}}}, nil)
		f.ok("GET", "/crm/v3/objects/companies?limit=100&associations=contacts", nil, &page)
		n := 0
		for _, r := range page.Results {
			if r.ID != hub {
				continue
			}
			link := r.Associations["contacts"].Paging.Next.Link
			u, err := url.Parse(link)
			if err != nil || u.Path != "/crm/v4/objects/companies/"+hub+"/associations/contacts" {
				t.Fatalf("link %q", link)
			}
			var rest struct {
				Results []struct {
					ToObjectID int64 `json:"toObjectId"`
				} `json:"results"`
			}
			f.ok("GET", u.RequestURI(), nil, &rest)
			n = len(r.Associations["contacts"].Results) + len(rest.Results)
		}
		var want int
		for _, p := range tr.Pairs("companies", "contacts") {
			if p[0] == hub {
				want++
			}
		}
		if want <= 100 || n < want-10 { // inline entries count primary pairs twice
			t.Errorf("hub %s: read %d entries, truth %d contacts", hub, n, want)
		}
	})
}

func TestArchivedRecordsLeaveAssociations(t *testing.T) {
	f := newFixture(t, Config{Scale: 200})
	pair := f.s.Truth().Pairs("contacts", "companies")[0]
	f.s.Archive("companies", []string{pair[1]}, t0.Add(time.Minute))
	tr := f.s.Truth()
	for _, p := range tr.Pairs("contacts", "companies") {
		if p[1] == pair[1] {
			t.Fatal("an archived company still has associations")
		}
	}
	pairs, _, _, _ := f.v4All("contacts", "companies", []string{pair[0]})
	if pairs[pair] {
		t.Fatal("v4 returns an association to an archived company")
	}
}
