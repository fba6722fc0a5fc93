package fakehub

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFailNextEachKind(t *testing.T) {
	cases := []struct {
		fault Fault
		check func(t *testing.T, r reply)
	}{
		{Fault429, func(t *testing.T, r reply) {
			if r.status != 429 || !strings.Contains(string(r.body), `"policyName":"TEN_SECONDLY_ROLLING"`) {
				t.Fatalf("%d %s", r.status, r.body)
			}
		}},
		{Fault500, statusIs(500)}, {Fault502, statusIs(502)}, {Fault503, statusIs(503)}, {Fault504, statusIs(504)},
		{FaultDrop, func(t *testing.T, r reply) {
			if r.err == nil {
				t.Fatalf("dropped connection answered %d", r.status)
			}
		}},
		{FaultCut, func(t *testing.T, r reply) {
			if r.err == nil || r.status != 200 || json.Valid(r.body) {
				t.Fatalf("cut body: status %d err %v valid %v", r.status, r.err, json.Valid(r.body))
			}
		}},
		{FaultNotJSON, func(t *testing.T, r reply) {
			if r.status != 200 || json.Valid(r.body) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %q", r.status, r.body)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			f := newFixture(t, Config{Scale: 10})
			f.s.FailNext(1, tc.fault, "/crm/v3/owners")
			f.ok("GET", "/account-info/v3/details", nil, nil) // another path is not affected
			tc.check(t, f.do("GET", "/crm/v3/owners", nil))
			f.ok("GET", "/crm/v3/owners", nil, nil) // only the next one
		})
	}
	t.Run("slow", func(t *testing.T) {
		f := newFixture(t, Config{Scale: 10, SlowDelay: 30 * time.Second})
		f.s.FailNext(2, FaultSlow, "")
		before := f.clk.Now()
		f.ok("GET", "/crm/v3/owners", nil, nil)
		f.ok("GET", "/crm/v3/owners", nil, nil)
		if d := f.clk.Now().Sub(before); d != time.Minute {
			t.Fatalf("two slow calls took %v of virtual time", d)
		}
	})
}

func statusIs(code int) func(t *testing.T, r reply) {
	return func(t *testing.T, r reply) {
		var eb errorBody
		if r.status != code || json.Unmarshal(r.body, &eb) != nil || eb.CorrelationID == "" || eb.Category == "" {
			t.Fatalf("status %d body %s", r.status, r.body)
		}
	}
}

// TestRandomFaultsReplay: the same seed gives the same faults for the same
// sequence of calls.
func TestRandomFaultsReplay(t *testing.T) {
	run := func(seed int64) []int {
		f := newFixture(t, Config{Scale: 10, Faults: Faults{Rate: 0.3, Seed: seed}})
		var out []int
		for i := 0; i < 60; i++ {
			r := f.do("GET", "/crm/v3/pipelines/deals", nil)
			code := r.status
			if r.err != nil {
				code = -1
			} else if !json.Valid(r.body) {
				code = -2
			}
			out = append(out, code)
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatal("different seeds gave the same faults")
	}
	bad := 0
	for _, code := range a {
		if code != 200 {
			bad++
		}
	}
	if bad < 6 || bad > 30 {
		t.Errorf("%d of 60 calls faulted at rate 0.3", bad)
	}
}

// TestFaultKinds: Faults.Kinds limits the random faults to those kinds, and
// a zero rate injects none.
func TestFaultKinds(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		status int
	}{
		{"only 503s", Faults{Rate: 1, Kinds: []Fault{Fault503}}, http.StatusServiceUnavailable},
		{"only 500s", Faults{Rate: 1, Kinds: []Fault{Fault500}}, http.StatusInternalServerError},
		{"rate zero", Faults{Kinds: []Fault{Fault503}}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Config{Scale: 10, Faults: tc.faults})
			for range 5 {
				if r := f.do("GET", "/crm/v3/owners", nil); r.err != nil || r.status != tc.status {
					t.Fatalf("status %d (%v), want %d", r.status, r.err, tc.status)
				}
			}
		})
	}
}

func TestDenyScope(t *testing.T) {
	f := newFixture(t, Config{Scale: 30})
	f.s.DenyScope("emails", "sales-email-read")
	denied := []struct{ method, path string }{
		{"GET", "/crm/v3/objects/emails"},
		{"GET", "/crm/v3/objects/email?limit=5"},
		{"POST", "/crm/v3/objects/emails/search"},
		{"POST", "/crm/v4/associations/contacts/emails/batch/read"},
		{"GET", "/crm/v3/properties/emails"},
	}
	for _, d := range denied {
		t.Run(d.path, func(t *testing.T) {
			eb := f.with(t).fails(d.method, d.path, map[string]any{"inputs": []any{}}, http.StatusForbidden)
			scopes, _ := json.Marshal(eb.Errors)
			if eb.Category != "MISSING_SCOPES" || !strings.Contains(string(scopes), `"requiredGranularScopes":["sales-email-read"]`) {
				t.Fatalf("403 body: %+v", eb)
			}
		})
	}
	f.ok("GET", "/crm/v3/objects/calls", nil, nil)
	f.ok("GET", "/crm/v3/objects/contacts?associations=companies", nil, nil)
}

func TestStats(t *testing.T) {
	f := newFixture(t, Config{Scale: 10})
	f.ok("GET", "/crm/v3/objects/contacts", nil, nil)
	f.ok("GET", "/crm/v3/objects/contacts?archived=true", nil, nil)
	f.ok("POST", "/crm/v3/objects/deals/search", map[string]any{}, nil)
	f.ok("POST", "/crm/v4/associations/companies/contacts/batch/read", map[string]any{"inputs": []any{}}, nil)
	f.fails("GET", "/crm/v3/objects/contacts?limit=500", nil, 400)
	f.s.FailNext(1, Fault429, "")
	f.do("GET", "/crm/v3/owners", nil)
	st := f.s.Stats()
	wantCalls := map[string]int{
		"GET /crm/v3/objects/{type}": 3, "POST /crm/v3/objects/{type}/search": 1,
		"POST /crm/v4/associations/{fromType}/{toType}/batch/read": 1, "GET /crm/v3/owners": 1,
	}
	for k, n := range wantCalls {
		if st.Calls[k] != n {
			t.Errorf("Calls[%q] = %d, want %d (%v)", k, st.Calls[k], n, st.Calls)
		}
	}
	if st.ByType["list contacts"] != 2 || st.ByType["list archived contacts"] != 1 || st.ByType["search deals"] != 1 ||
		st.ByType["associations companies->contacts"] != 1 {
		t.Errorf("ByType %v", st.ByType)
	}
	if st.Total != 6 || st.Status429 != 1 || st.StatusErrors != 1 {
		t.Errorf("totals %+v", st)
	}
	resp, err := f.http.Get(f.base + "/__stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var served Stats
	if err := json.Unmarshal(raw, &served); err != nil || served.Total != 6 {
		t.Fatalf("/__stats: %v %s", err, raw)
	}
	f.s.ResetStats()
	if st := f.s.Stats(); st.Total != 0 || len(st.Calls) != 0 {
		t.Errorf("after reset: %+v", st)
	}
}
