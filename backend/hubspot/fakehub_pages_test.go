package hubspot_test

// Against backend/fakehub on a shared fake clock: every endpoint paged to
// its last page and compared with the fake's ground truth, and every field
// of every shape decoded and checked (the fidelity test).

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
)

// readPairs reads every association of ids through the v4 batch endpoint,
// following each input's own cursor; start gives per-id cursors to begin at.
func readPairs(t testing.TB, c *hubspot.Client, from, to string, ids []string, start map[string]string) map[[2]string]bool {
	t.Helper()
	var pending []hubspot.AssociationInput
	for _, id := range ids {
		pending = append(pending, hubspot.AssociationInput{ID: id, After: start[id]})
	}
	pairs := map[[2]string]bool{}
	for len(pending) > 0 {
		n := min(len(pending), hubspot.MaxAssociationInputs)
		batch := pending[:n]
		pending = pending[n:]
		res, err := c.BatchReadAssociations(context.Background(), from, to, batch)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Failed) > 0 {
			t.Fatalf("associations %s→%s failed: %v", from, to, res.Failed)
		}
		for _, r := range res.Results {
			for _, o := range r.To {
				pairs[[2]string{r.FromID, o.ID}] = true
				for _, ty := range o.Types {
					if !slices.Contains([]string{"HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"}, ty.Category) || ty.TypeID <= 0 {
						t.Errorf("association type %+v", ty)
					}
				}
			}
			if r.Next != "" {
				pending = append(pending, hubspot.AssociationInput{ID: r.FromID, After: r.Next})
			}
		}
	}
	return pairs
}

func pairSet(pairs [][2]string) map[[2]string]bool {
	m := make(map[[2]string]bool, len(pairs))
	for _, p := range pairs {
		m[p] = true
	}
	return m
}

func TestFakePaginationEveryEndpoint(t *testing.T) {
	counts := []int{0, 1, 50, 51, 120}
	s, h := fakePortal(t, fakehub.Config{
		Seed: 7, Scale: 250, Forms: 130, FormSubmissionCounts: counts, EmailEvents: 2500,
		InlineAssociationLimit: 2, AssociationPageSize: 3,
	})
	c, ctx := h.client, context.Background()
	truth := s.Truth()

	t.Run("objects", func(t *testing.T) {
		for _, typ := range truth.Types() {
			for _, archived := range []bool{false, true} {
				want := truth.IDs(typ, archived)
				got := objectIDs(listAll(t, c, typ, hubspot.ListParams{Archived: archived}))
				if !slices.Equal(got, want) || len(want) == 0 {
					t.Errorf("%s archived=%v: %d ids, want %d (equal order, none lost or repeated)", typ, archived, len(got), len(want))
				}
			}
		}
	})
	t.Run("search", func(t *testing.T) {
		pages := readAll(t, "search deals", func(after string) (hubspot.SearchPage, string, error) {
			p, err := c.SearchObjects(ctx, "deals", hubspot.SearchRequest{
				Sorts: []hubspot.Sort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}}, After: after,
			})
			return p, p.Next, err
		})
		var got []string
		for _, p := range pages {
			if p.Total != len(truth.IDs("deals", false)) {
				t.Errorf("total %d", p.Total)
			}
			for _, o := range p.Results {
				got = append(got, o.ID)
			}
		}
		if want := truth.IDs("deals", false); !slices.Equal(got, want) || len(pages) < 2 {
			t.Errorf("search: %d ids over %d pages, want %d", len(got), len(pages), len(want))
		}
	})
	t.Run("associations v4", func(t *testing.T) {
		for _, rel := range [][2]string{{"contacts", "companies"}, {"deals", "contacts"}, {"tickets", "companies"}, {"notes", "contacts"}, {"calls", "deals"}} {
			want := pairSet(truth.Pairs(rel[0], rel[1]))
			got := readPairs(t, c, rel[0], rel[1], truth.IDs(rel[0], false), nil)
			if len(want) == 0 || !maps.Equal(got, want) {
				t.Errorf("%s→%s: %d pairs, want %d", rel[0], rel[1], len(got), len(want))
			}
		}
	})
	t.Run("inline associations then v4 for overflow", func(t *testing.T) {
		over := truth.OverflowIDs("contacts", "companies")
		if len(over) == 0 {
			t.Fatal("no overflowing record: the test would prove nothing")
		}
		got := map[[2]string]bool{}
		cont := map[string]string{}
		for _, p := range listAll(t, c, "contacts", hubspot.ListParams{Associations: []string{"companies"}}) {
			for _, o := range p.Results {
				col := o.Associations["companies"]
				for _, r := range col.Results {
					got[[2]string{o.ID, r.ID}] = true
				}
				if col.Next != "" {
					cont[o.ID] = col.Next
				}
			}
		}
		if len(cont) != len(over) {
			t.Errorf("%d records with an inline cursor, want %d", len(cont), len(over))
		}
		maps.Copy(got, readPairs(t, c, "contacts", "companies", slices.Collect(maps.Keys(cont)), cont))
		if want := pairSet(truth.Pairs("contacts", "companies")); !maps.Equal(got, want) {
			t.Errorf("inline + v4: %d pairs, want %d", len(got), len(want))
		}
	})
	t.Run("batch read", func(t *testing.T) {
		ids := append(truth.IDs("companies", false)[:230], "999999999999")
		s.ResetStats()
		objs, err := c.BatchReadObjects(ctx, "companies", ids, []string{"name"}, false, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) != 230 || s.Stats().ByType["batch read companies"] != 3 {
			t.Errorf("%d objects in %d calls, want 230 in 3", len(objs), s.Stats().ByType["batch read companies"])
		}
	})
	t.Run("owners", func(t *testing.T) {
		for _, archived := range []bool{false, true} {
			var got []string
			pages := readAll(t, "owners", func(after string) (hubspot.OwnerPage, string, error) {
				p, err := c.ListOwners(ctx, after, archived)
				return p, p.Next, err
			})
			for _, p := range pages {
				for _, o := range p.Results {
					got = append(got, o.ID)
				}
			}
			want := truth.Owners()
			if archived {
				want = truth.ArchivedOwners()
			}
			slices.Sort(got)
			want = slices.Sorted(slices.Values(want))
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("owners archived=%v: %d, want %d", archived, len(got), len(want))
			}
		}
	})
	t.Run("forms and submissions", func(t *testing.T) {
		pages := readAll(t, "forms", func(after string) (hubspot.FormPage, string, error) {
			p, err := c.ListForms(ctx, after)
			return p, p.Next, err
		})
		var got []string
		for _, p := range pages {
			for _, f := range p.Results {
				got = append(got, f.ID)
			}
		}
		if want := truth.Forms(); !slices.Equal(got, want) || len(pages) != 2 {
			t.Fatalf("%d forms over %d pages, want %d over 2", len(got), len(pages), len(want))
		}
		for i, want := range counts {
			seen := map[string]bool{}
			subs := readAll(t, "submissions of "+got[i], func(after string) (hubspot.SubmissionPage, string, error) {
				p, err := c.ListFormSubmissions(ctx, got[i], after)
				return p, p.Next, err
			})
			for _, p := range subs {
				for _, sub := range p.Results {
					if seen[sub.ConversionID] {
						t.Errorf("form %s: submission %s twice", got[i], sub.ConversionID)
					}
					seen[sub.ConversionID] = true
				}
			}
			if len(seen) != want || truth.Submissions(got[i]) != want {
				t.Errorf("form %s: %d submissions, want %d", got[i], len(seen), want)
			}
		}
	})
	t.Run("email events", func(t *testing.T) {
		var all []hubspot.EmailEvent
		pages := eventsAll(t, c, hubspot.EmailEventParams{})
		for _, p := range pages {
			all = append(all, p.Events...)
		}
		ids := func(evs []hubspot.EmailEvent) []string {
			out := make([]string, len(evs))
			for i, e := range evs {
				out[i] = e.ID
			}
			return out
		}
		if want := truth.EmailEventIDs(time.UnixMilli(0), time.UnixMilli(1<<50)); !slices.Equal(ids(all), want) || len(want) != 2500 || len(pages) != 3 {
			t.Fatalf("%d events over %d pages, want %d over 3", len(all), len(pages), len(want))
		}
		// A window, inclusive at both ends, newest first.
		start, end := all[1900].Created, all[100].Created
		var win []hubspot.EmailEvent
		winPages := eventsAll(t, c, hubspot.EmailEventParams{Start: start, End: end, Limit: 300})
		for _, p := range winPages {
			win = append(win, p.Events...)
		}
		want := truth.EmailEventIDs(start, end)
		if !slices.Equal(ids(win), want) || len(want) < 1800 || len(winPages) != (len(want)+299)/300 {
			t.Errorf("window: %d events over %d pages, want %d over %d", len(win), len(winPages), len(want), (len(want)+299)/300)
		}
	})
}

func TestFakeFidelity(t *testing.T) {
	s, h := fakePortal(t, fakehub.Config{Seed: 11, Scale: 120, Forms: 3, FormSubmissionCounts: []int{5, 5, 5}, EmailEvents: 400})
	c, ctx := h.client, context.Background()
	truth := s.Truth()

	t.Run("objects", func(t *testing.T) {
		withOptions := 0 // owner references are enumerations without options, as in HubSpot
		for _, typ := range truth.Types() {
			props := truth.Properties(typ)
			var defs []hubspot.Property
			for _, level := range []string{hubspot.NonSensitive, hubspot.Sensitive, hubspot.HighlySensitive} {
				ds, err := c.Properties(ctx, typ, level)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range ds {
					if d.DataSensitivity != level {
						t.Errorf("%s.%s listed at %s is %s", typ, d.Name, level, d.DataSensitivity)
					}
				}
				defs = append(defs, ds...)
			}
			var names []string
			for _, d := range defs {
				names = append(names, d.Name)
				if d.Label == "" || d.Type == "" || d.FieldType == "" || d.GroupName == "" {
					t.Errorf("%s property %+v lacks a field", typ, d)
				}
				if d.Type == "enumeration" && len(d.Options) > 0 {
					withOptions++
				}
				for _, o := range d.Options {
					if o.Label == "" || o.Value == "" && d.Type != "bool" {
						t.Errorf("%s.%s option %+v", typ, d.Name, o)
					}
				}
			}
			if slices.Sort(names); !slices.Equal(names, props) {
				t.Errorf("%s: properties %d, want %d", typ, len(names), len(props))
			}
			for _, archived := range []bool{false, true} {
				page, err := c.ListObjects(ctx, typ, hubspot.ListParams{Properties: props, Archived: archived, Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page.Results {
					want, created, updated, arch, ok := truth.Record(typ, o.ID)
					if !ok || arch != archived || o.Archived != archived || !o.CreatedAt.Equal(created) || !o.UpdatedAt.Equal(updated) ||
						o.ArchivedAt.IsZero() == archived {
						t.Errorf("%s %s: %+v (truth created %v updated %v archived %v)", typ, o.ID, o, created, updated, arch)
					}
					for name, v := range want {
						got, present := o.Properties[name]
						if !present || (got == nil) != (v == nil) || (got != nil && *got != *v) {
							t.Errorf("%s %s.%s = %v, want %v", typ, o.ID, name, deref(got), deref(v))
						}
					}
				}
			}
		}
		if withOptions == 0 {
			t.Error("no enumeration property with options")
		}
	})
	t.Run("owners", func(t *testing.T) {
		for _, archived := range []bool{false, true} {
			page, err := c.ListOwners(ctx, "", archived)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page.Results {
				if o.ID == "" || !strings.Contains(o.Email, "@") || o.FirstName == "" || o.LastName == "" || o.UserID <= 0 ||
					o.Archived != archived || o.CreatedAt.IsZero() || o.UpdatedAt.Before(o.CreatedAt) {
					t.Errorf("owner %+v", o)
				}
			}
		}
	})
	t.Run("pipelines", func(t *testing.T) {
		for _, typ := range []string{"deals", "tickets"} {
			pls, err := c.Pipelines(ctx, typ)
			if err != nil || len(pls) == 0 {
				t.Fatalf("%s: %v %v", typ, pls, err)
			}
			for _, p := range pls {
				if p.ID == "" || p.Label == "" || p.Archived || len(p.Stages) == 0 {
					t.Errorf("pipeline %+v", p)
				}
				for i, st := range p.Stages {
					key := map[string]string{"deals": "probability", "tickets": "ticketState"}[typ]
					if st.ID == "" || st.Label == "" || st.DisplayOrder != i || st.Metadata[key] == "" {
						t.Errorf("%s stage %+v", typ, st)
					}
				}
			}
		}
	})
	t.Run("account", func(t *testing.T) {
		a, err := c.AccountDetails(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a.PortalID <= 0 || a.TimeZone == "" || a.CompanyCurrency != "USD" || a.UIDomain == "" || a.DataHostingLocation == "" ||
			a.AccountType == "" || len(a.UTCOffset) != 6 {
			t.Errorf("account %+v", a)
		}
	})
	t.Run("forms, submissions, email events", func(t *testing.T) {
		forms, err := c.ListForms(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range forms.Results {
			if f.ID == "" || f.Name == "" || f.FormType == "" || f.CreatedAt.IsZero() || f.UpdatedAt.IsZero() || f.Archived ||
				!strings.Contains(string(f.Raw), `"fieldGroups"`) {
				t.Errorf("form %+v", f)
			}
			subs, err := c.ListFormSubmissions(ctx, f.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, sub := range subs.Results {
				if sub.ConversionID == "" || sub.SubmittedAt.IsZero() || sub.PageURL == "" || len(sub.Values) == 0 || sub.Values[0].Name == "" {
					t.Errorf("submission %+v", sub)
				}
			}
		}
		events, err := c.ListEmailEvents(ctx, hubspot.EmailEventParams{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		types := []string{"SENT", "DROPPED", "PROCESSED", "DELIVERED", "DEFERRED", "BOUNCE", "OPEN", "CLICK", "PRINT", "FORWARD", "STATUSCHANGE", "SPAMREPORT", "UNBOUNCE"}
		for i, e := range events.Events {
			if e.ID == "" || !slices.Contains(types, e.Type) || e.Created.IsZero() || !strings.Contains(e.Recipient, "@") ||
				strings.Trim(e.CampaignID, "0123456789") != "" || e.CampaignID == "" || len(e.Raw) == 0 ||
				(i > 0 && e.Created.After(events.Events[i-1].Created)) {
				t.Errorf("email event %+v", e)
			}
		}
		if !events.HasMore || events.Offset == "" {
			t.Errorf("page 1 of 2: hasMore %v offset %q", events.HasMore, events.Offset)
		}
	})
}
