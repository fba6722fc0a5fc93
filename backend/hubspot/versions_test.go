package hubspot_test

// The API versions: the table of operations, the fallback from a
// date-based route HubSpot does not serve, and the rate-limit exemptions.

import (
	"context"
	"errors"
	"fmt"
	"hubextract/backend/fakehub"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

func TestParseAPIVersion(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want hubspot.APIVersion
		ok   bool
	}{
		{"", hubspot.Version202609, true},
		{"2026-09", hubspot.Version202609, true},
		{" Legacy ", hubspot.VersionLegacy, true},
		{"v3", "", false},
		{"2026-03", "", false},
	} {
		got, err := hubspot.ParseAPIVersion(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseAPIVersion(%q) = %q, %v; want %q (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestOperationsTable(t *testing.T) {
	legacy, dated := hubspot.Operations(hubspot.VersionLegacy), hubspot.Operations(hubspot.Version202609)
	if len(legacy) != len(dated) || len(dated) < 11 {
		t.Fatalf("%d legacy and %d dated operations", len(legacy), len(dated))
	}
	datedOps := 0
	for i, d := range dated {
		l := legacy[i]
		if l.Version != hubspot.VersionLegacy || strings.Contains(l.Path, "2026-09") || l.Spec == "" || l.Scopes == "" {
			t.Errorf("legacy %+v", l)
		}
		switch d.Version {
		case hubspot.Version202609:
			datedOps++
			if !strings.Contains(d.Path, "/2026-09") || !strings.Contains(d.Spec, "/2026-09/") {
				t.Errorf("dated %+v", d)
			}
		case hubspot.VersionLegacy: // no date-based route published: the legacy one
			if d.Path != l.Path {
				t.Errorf("%s: %s without a dated route, want the legacy %s", d.Name, d.Path, l.Path)
			}
		}
	}
	if datedOps != 9 {
		t.Errorf("%d operations with a 2026-09 route, want 9 (all but forms, submissions, email events)", datedOps)
	}
	exempt := map[string][2]bool{} // name → legacy, dated
	for i := range dated {
		exempt[dated[i].Name] = [2]bool{legacy[i].Exempt, dated[i].Exempt}
	}
	want := map[string][2]bool{"search records": {true, true}, "batch read associations": {false, true}, "list records": {false, false}}
	for name, w := range want {
		if exempt[name] != w {
			t.Errorf("%s exempt (legacy, 2026-09) = %v, want %v", name, exempt[name], w)
		}
	}
}

// routeServer serves the legacy contacts list and, unless missing, the
// 2026-09 one; a missing route answers as HubSpot's gateway does (a bare
// 404), a missing record as HubSpot does (its JSON error).
type routeServer struct {
	mu      sync.Mutex
	paths   []string
	missing bool
}

func (s *routeServer) handler(t *testing.T) http.Handler {
	page := `{"results":[{"id":"1","properties":{},"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-01-17T19:55:04.281Z","archived":false}]}`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /crm/v3/objects/contacts", func(w http.ResponseWriter, r *http.Request) {
		s.note(r)
		_, _ = io.WriteString(w, page)
	})
	mux.HandleFunc("GET /crm/objects/2026-09/contacts", func(w http.ResponseWriter, r *http.Request) {
		s.note(r)
		s.mu.Lock()
		missing := s.missing
		s.mu.Unlock()
		if missing {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = io.WriteString(w, page)
	})
	mux.HandleFunc("GET /crm/objects/2026-09/widgets", func(w http.ResponseWriter, r *http.Request) {
		s.note(r)
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"status":"error","message":"Unable to infer object type from: widgets","category":"OBJECT_NOT_FOUND"}`)
	})
	return mux
}

func (s *routeServer) note(r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
}

func (s *routeServer) took() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.paths
	s.paths = nil
	return out
}

func TestDatedRouteFallsBackOncePerSession(t *testing.T) {
	srv := &routeServer{missing: true}
	base := testkit.Serve(t, srv.handler(t))
	h := newHarness(base)
	ctx := context.Background()
	for range 3 {
		if _, err := h.client.ListObjects(ctx, "contacts", hubspot.ListParams{}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"/crm/objects/2026-09/contacts", "/crm/v3/objects/contacts", "/crm/v3/objects/contacts", "/crm/v3/objects/contacts"}
	if got := srv.took(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths %v, want %v", got, want)
	}
	var told []hubspot.CallInfo
	for _, ci := range h.rec.All() {
		if ci.FallbackTo != "" {
			told = append(told, ci)
		}
		if ci.WillRetry || ci.Attempt != 1 {
			t.Errorf("a fallback is no retry: %+v", ci)
		}
	}
	if len(told) != 1 || told[0].FallbackTo != "/crm/v3/objects/contacts" || told[0].Path != "/crm/objects/2026-09/contacts" || !told[0].Dated {
		t.Errorf("fallback told %+v, want once", told)
	}
	if n := h.client.Calls(); n != 4 {
		t.Errorf("%d calls counted, want 4 (the refused one too)", n)
	}

	// A new session (the next run) tries the date-based route again: it
	// may be served by now.
	srv.mu.Lock()
	srv.missing = false
	srv.mu.Unlock()
	next := h.client.Session(nil, hubspot.RetryPolicy{})
	if _, err := next.ListObjects(ctx, "contacts", hubspot.ListParams{}); err != nil {
		t.Fatal(err)
	}
	if got := srv.took(); len(got) != 1 || got[0] != "/crm/objects/2026-09/contacts" {
		t.Errorf("next session took %v", got)
	}
}

func TestMissingObjectIsNoMissingRoute(t *testing.T) {
	srv := &routeServer{}
	h := newHarness(testkit.Serve(t, srv.handler(t)))
	_, err := h.client.ListObjects(context.Background(), "widgets", hubspot.ListParams{})
	var nf *hubspot.NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "Unable to infer object type") {
		t.Fatalf("err %v, want HubSpot's not found", err)
	}
	if got := srv.took(); len(got) != 1 {
		t.Errorf("paths %v: an object HubSpot does not know is not a reason to try the legacy route", got)
	}
}

func TestLegacyVersionCallsLegacyRoutes(t *testing.T) {
	srv := &routeServer{}
	h := newHarness(testkit.Serve(t, srv.handler(t)), hubspot.WithAPIVersion(hubspot.VersionLegacy))
	if _, err := h.client.ListObjects(context.Background(), "contacts", hubspot.ListParams{}); err != nil {
		t.Fatal(err)
	}
	if got := srv.took(); len(got) != 1 || got[0] != "/crm/v3/objects/contacts" {
		t.Errorf("paths %v", got)
	}
	if ci := h.rec.All()[0]; ci.Dated {
		t.Errorf("call %+v marked dated", ci)
	}
}

// TestExemptCallsTakeNoTenSecondToken runs the same calls with the
// exemptions honoured and charged: 60 exempt association reads among 60
// list pages take no ten-second tokens, so on the virtual clock they finish
// in about the time of the list pages alone.
func TestExemptCallsTakeNoTenSecondToken(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /crm/objects/2026-09/contacts", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"results":[]}`)
	})
	mux.HandleFunc("POST /crm/associations/2026-09/contacts/companies/batch/read", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"status":"COMPLETE","results":[]}`)
	})
	base := testkit.Serve(t, mux)
	run := func(opts ...hubspot.Option) (time.Duration, int) {
		h := newHarness(base, opts...)
		ctx := context.Background()
		start := h.clock.Now()
		for range 60 {
			if _, err := h.client.ListObjects(ctx, "contacts", hubspot.ListParams{}); err != nil {
				t.Fatal(err)
			}
			if _, err := h.client.BatchReadAssociations(ctx, "contacts", "companies", []hubspot.AssociationInput{{ID: "1"}}); err != nil {
				t.Fatal(err)
			}
		}
		exempt := 0
		for _, ci := range h.rec.All() {
			if ci.Exempt {
				exempt++
			}
		}
		return h.clock.Now().Sub(start), exempt
	}
	honoured, exempt := run()
	charged, chargedExempt := run(hubspot.ChargeExemptCalls())
	if exempt != 60 || chargedExempt != 0 {
		t.Errorf("%d calls exempt when honoured, %d when charged; want 60 and 0", exempt, chargedExempt)
	}
	rate := hubspot.SustainedRate(hubspot.DefaultRatePer10s)
	if floor := time.Duration(59 / rate * float64(time.Second)); honoured > floor+time.Second {
		t.Errorf("honoured: %s for 60 counted calls, want about %s", honoured, floor)
	}
	if charged < 2*honoured-2*time.Second {
		t.Errorf("charged: %s, want about twice the honoured %s", charged, honoured)
	}
}

// TestEveryOperationOnEachVersion calls every operation against the fake in
// each version and checks the path each went to and that the answers agree.
func TestEveryOperationOnEachVersion(t *testing.T) {
	answers := map[hubspot.APIVersion]string{}
	for _, v := range hubspot.APIVersions {
		t.Run(string(v), func(t *testing.T) {
			s, h := fakePortal(t, fakehub.Config{Seed: 7, Scale: 30, Forms: 2, EmailEvents: 20}, hubspot.WithAPIVersion(v))
			c, ctx := h.client, context.Background()
			var got strings.Builder
			say := func(format string, args ...any) { fmt.Fprintf(&got, format+"\n", args...) }
			page, err := c.ListObjects(ctx, "contacts", hubspot.ListParams{Properties: []string{"email"}, Associations: []string{"companies"}})
			if err != nil {
				t.Fatal(err)
			}
			say("list %s %d", page.Results[0].ID, len(page.Results))
			sp, err := c.SearchObjects(ctx, "contacts", hubspot.SearchRequest{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			say("search total %d", sp.Total)
			ids := []string{page.Results[0].ID, page.Results[1].ID}
			objs, err := c.BatchReadObjects(ctx, "contacts", ids, []string{"email"}, false, false)
			if err != nil {
				t.Fatal(err)
			}
			say("batch %d %s", len(objs), *objs[0].Properties["email"])
			ab, err := c.BatchReadAssociations(ctx, "contacts", "companies", []hubspot.AssociationInput{{ID: ids[0]}, {ID: ids[1]}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range ab.Results {
				for _, to := range r.To {
					say("association %s→%s %v", r.FromID, to.ID, to.Types)
				}
			}
			for _, level := range []string{hubspot.NonSensitive, hubspot.Sensitive, hubspot.HighlySensitive} {
				defs, err := c.Properties(ctx, "contacts", level)
				if err != nil {
					t.Fatal(err)
				}
				say("properties %s %d", level, len(defs))
			}
			owners, err := c.ListOwners(ctx, "", false)
			if err != nil {
				t.Fatal(err)
			}
			say("owners %d", len(owners.Results))
			pl, err := c.Pipelines(ctx, "deals")
			if err != nil {
				t.Fatal(err)
			}
			say("pipelines %d %s", len(pl), pl[0].Stages[0].ID)
			acct, err := c.AccountDetails(ctx)
			if err != nil {
				t.Fatal(err)
			}
			say("account %d %s", acct.PortalID, acct.TimeZone)
			forms, err := c.ListForms(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			say("forms %d", len(forms.Results))
			subs, err := c.ListFormSubmissions(ctx, forms.Results[0].ID, "")
			if err != nil {
				t.Fatal(err)
			}
			say("submissions %d", len(subs.Results))
			ev, err := c.ListEmailEvents(ctx, hubspot.EmailEventParams{})
			if err != nil {
				t.Fatal(err)
			}
			say("events %d", len(ev.Events))
			answers[v] = got.String()

			routes := map[string]bool{}
			for _, o := range hubspot.Operations(v) {
				routes[o.Method+" "+o.Path] = true
			}
			for _, ci := range h.rec.All() {
				if ci.Err != nil || ci.FallbackTo != "" {
					t.Errorf("call %+v", ci)
				}
				if !routes[ci.Method+" "+templateOf(ci.Path)] {
					t.Errorf("%s %s is no %s route", ci.Method, ci.Path, v)
				}
			}
			if n := len(h.rec.All()); n != 13 || s.Stats().Total != 13 {
				t.Errorf("%d calls, the fake saw %d; want 13", n, s.Stats().Total)
			}
		})
	}
	if answers[hubspot.Version202609] != answers[hubspot.VersionLegacy] {
		t.Errorf("the versions disagree:\n2026-09:\n%s\nlegacy:\n%s", answers[hubspot.Version202609], answers[hubspot.VersionLegacy])
	}
}

// templateOf turns a called path back into its route's template.
func templateOf(path string) string {
	for _, r := range []struct{ prefix, template string }{
		{"/crm/v4/associations/contacts/companies/", "/crm/v4/associations/{fromObjectType}/{toObjectType}/"},
		{"/crm/associations/2026-09/contacts/companies/", "/crm/associations/2026-09/{fromObjectType}/{toObjectType}/"},
		{"/form-integrations/v1/submissions/forms/", "/form-integrations/v1/submissions/forms/{formGuid}"},
	} {
		if rest, ok := strings.CutPrefix(path, r.prefix); ok {
			if strings.HasSuffix(r.template, "}") {
				return r.template
			}
			return r.template + rest
		}
	}
	for _, typ := range []string{"contacts", "deals"} {
		for _, p := range []string{"/crm/v3/objects/", "/crm/objects/2026-09/", "/crm/v3/properties/", "/crm/properties/2026-09/",
			"/crm/v3/pipelines/", "/crm/pipelines/2026-09/"} {
			if rest, ok := strings.CutPrefix(path, p+typ); ok {
				return p + "{objectType}" + rest
			}
		}
	}
	return path
}
