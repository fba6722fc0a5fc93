package hubspot_test

// Staying inside HubSpot's limits against backend/fakehub: no 429 at the
// default settings against a true rolling window, and no 414 with 600
// properties.

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

// mixedLoad makes calls calls: list pages cycling through types, with a
// search page every fifth call. Small pages: the pace matters, not the size.
func mixedLoad(t testing.TB, c *hubspot.Client, types []string, calls int64) {
	t.Helper()
	ctx := context.Background()
	after := map[string]string{}
	searchAfter := ""
	for i := 0; c.Calls() < calls; i++ {
		if i%5 == 4 {
			p, err := c.SearchObjects(ctx, "contacts", hubspot.SearchRequest{After: searchAfter, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			searchAfter = p.Next
			continue
		}
		typ := types[i%len(types)]
		p, err := c.ListObjects(ctx, typ, hubspot.ListParams{After: after[typ], Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		after[typ] = p.Next
	}
}

func TestFakeNo429AtDefaultLimits(t *testing.T) {
	s, h := fakePortal(t, fakehub.Config{Seed: 5, Scale: 300, RatePer10s: 100, SearchRatePerSec: 4})
	start := h.clock.Now()
	mixedLoad(t, h.client, s.Truth().Types(), 1500)
	elapsed := h.clock.Now().Sub(start)
	st := s.Stats()
	if st.Status429 != 0 || h.client.Retries() != 0 {
		t.Errorf("%d 429s, %d retries in %d calls", st.Status429, h.client.Retries(), st.Total)
	}
	// Searches are exempt from the ten-second budget: the others keep to it.
	counted := 0
	for _, ci := range h.rec.All() {
		if !ci.Exempt {
			counted++
		}
	}
	if perSec := float64(counted) / elapsed.Seconds(); perSec < 9.3 || perSec > 10 {
		t.Errorf("sustained %.2f counted calls/s against 100 per 10 s", perSec)
	}
}

func TestFakeNo429OnSearchBursts(t *testing.T) {
	s, h := fakePortal(t, fakehub.Config{Seed: 5, Scale: 50, RatePer10s: 100, SearchRatePerSec: 4})
	start := h.clock.Now()
	for range 400 {
		if _, err := h.client.SearchObjects(context.Background(), "deals", hubspot.SearchRequest{Limit: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if st := s.Stats(); st.Status429 != 0 {
		t.Errorf("%d 429s in %d searches", st.Status429, st.Total)
	}
	if perSec := 400 / h.clock.Now().Sub(start).Seconds(); perSec < 3.8 {
		t.Errorf("searches at %.2f/s, want ≈ 4", perSec)
	}
}

// TestFake414Avoided: 600 custom properties make a URL of ~15,000
// characters; the fake is wrapped with a 414 above 12,000, as HubSpot
// answers somewhere past there.
func TestFake414Avoided(t *testing.T) {
	clk := testkit.NewClock(epoch)
	s := fakehub.New(fakehub.Config{Token: token, Seed: 9, Scale: 150, ExtraProperties: 600, Clock: clk})
	var tooLong atomic.Int32
	base := testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len("http://"+r.Host+r.RequestURI) > hubspot.MaxURLLength {
			tooLong.Add(1)
			http.Error(w, `{"status":"error","message":"URI Too Long"}`, http.StatusRequestURITooLong)
			return
		}
		s.ServeHTTP(w, r)
	}))
	h := newHarnessOn(clk, base)
	truth := s.Truth()
	props := truth.Properties("contacts")
	if len(props) < 600 || hubspot.PropertiesFitURL(props) {
		t.Fatalf("%d properties, fit one URL: %v", len(props), hubspot.PropertiesFitURL(props))
	}
	pages := listAll(t, h.client, "contacts", hubspot.ListParams{Properties: props, Associations: []string{"companies"}})
	if tooLong.Load() != 0 {
		t.Fatalf("%d requests drew 414", tooLong.Load())
	}
	n := 0
	for _, p := range pages {
		for _, o := range p.Results {
			n++
			want, _, _, _, _ := truth.Record("contacts", o.ID)
			if len(o.Properties) != len(want) {
				t.Fatalf("contact %s has %d of %d properties", o.ID, len(o.Properties), len(want))
			}
			for name, v := range want {
				if got := o.Properties[name]; (got == nil) != (v == nil) || (got != nil && *got != *v) {
					t.Fatalf("contact %s.%s = %v, want %v", o.ID, name, deref(got), deref(v))
				}
			}
		}
	}
	if want := len(truth.IDs("contacts", false)); n != want {
		t.Errorf("%d contacts, want %d", n, want)
	}
	st := s.Stats()
	if lists := st.ByType["list contacts"]; lists != 2*len(pages) || st.Total != lists {
		t.Errorf("%d list calls (of %d in all) for %d pages, want two per page", lists, st.Total, len(pages))
	}
}

// TestFakeTransportResendsAreCounted: a dropped reused connection makes
// net/http resend a GET by itself; the client must still count that request
// and charge it to the limiter, or such resends bypass it and draw 429s; and
// the observer must see it, or per-stream call counts fall short of the total.
func TestFakeTransportResendsAreCounted(t *testing.T) {
	var observed atomic.Int64
	s, h := fakePortal(t, fakehub.Config{Seed: 4, Scale: 300, RatePer10s: 100,
		Faults: fakehub.Faults{Rate: 0.15, Seed: 42, Kinds: []fakehub.Fault{fakehub.FaultDrop}}})
	c := h.with(observerFunc(func(hubspot.CallInfo) { observed.Add(1) }), hubspot.RetryPolicy{}).client
	for c.Calls() < 1000 {
		for _, typ := range s.Truth().Types() {
			if got, want := objectIDs(listAll(t, c, typ, hubspot.ListParams{Limit: 20})), s.Truth().IDs(typ, false); !slices.Equal(got, want) {
				t.Fatalf("%s: %d ids, want %d", typ, len(got), len(want))
			}
		}
	}
	st := s.Stats()
	if st.Total != int(c.Calls()) || st.Status429 != 0 || st.StatusErrors < 100 {
		t.Errorf("fake saw %d calls (%d dropped, %d 429s), client counted %d", st.Total, st.StatusErrors, st.Status429, c.Calls())
	}
	if observed.Load() != c.Calls() {
		t.Errorf("observer saw %d calls, client counted %d", observed.Load(), c.Calls())
	}
}
