package extract

// A run on each API version, the fallback from date-based routes HubSpot
// does not serve, and what the rate-limit exemptions save.

import (
	"context"
	"strings"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

func TestRunOnEachVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		version hubspot.APIVersion
		hide    []string // date-based routes the fake does not serve; nil: none
		dated   bool     // the run calls date-based routes
		legacy  bool     // ... and legacy ones
		told    []string // fallbacks the run log tells of
	}{
		{name: "2026-09", version: hubspot.Version202609, dated: true, legacy: true /* forms, submissions, events */},
		{name: "legacy", version: hubspot.VersionLegacy, legacy: true},
		{name: "2026-09 associations missing", version: hubspot.Version202609, hide: []string{"/crm/associations/2026-09/"},
			dated: true, legacy: true, told: []string{"associations"}},
		{name: "2026-09 missing", version: hubspot.Version202609, hide: []string{"/"}, legacy: true,
			told: []string{"list", "search", "properties", "owners", "pipelines", "associations"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A small inline page makes associations overflow into batch
			// reads. No rate limit: the routes are the point, and a 429 among
			// concurrent virtual sleepers would add a retry to the count.
			f := newFixture(t, fakehub.Config{Scale: 150, InlineAssociationLimit: 2})
			if tc.hide != nil {
				f.fake.HideDated(tc.hide...)
			}
			db := testkit.OpenDB(t)
			events := &testkit.Events{}
			res := f.run(context.Background(), db, Options{
				Client:   hubspot.New("demo-token", hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk), hubspot.WithAPIVersion(tc.version)),
				Progress: events,
			})
			if res.Status != "succeeded" {
				t.Fatalf("run %s: %s", res.Status, res.Error)
			}
			checkTruth(t, db, f.fake.Truth(), catalog.All())
			st := f.fake.Stats()
			if (st.Dated > 0) != tc.dated || (st.Legacy > 0) != tc.legacy {
				t.Errorf("the fake saw %d date-based and %d legacy calls", st.Dated, st.Legacy)
			}
			var told []string
			for _, l := range events.Logs() {
				if strings.Contains(l, "does not serve the date-based route") {
					told = append(told, l)
				}
			}
			// One line per operation and endpoint name: each type's list,
			// for instance, falls back once.
			for _, want := range tc.told {
				found := false
				for _, l := range told {
					found = found || strings.Contains(l, want)
				}
				if !found {
					t.Errorf("no fallback told for %s in %q", want, told)
				}
			}
			if len(tc.told) == 0 && len(told) > 0 {
				t.Errorf("fallbacks told: %q", told)
			}
			if len(told) > 0 && len(told) > len(operationsTold(told)) {
				t.Errorf("a fallback told twice: %q", told)
			}
			// Every call but those refused for their route is one the data
			// needed. Each fallback told follows at least one refusal (calls
			// of the operation already under way may meet one too).
			refused := int64(st.Total - st.Dated - st.Legacy)
			if res.APICalls-refused != res.MinimumCalls || refused < int64(len(told)) {
				t.Errorf("%d calls, %d refused routes, minimum %d, %d fallbacks told", res.APICalls, refused, res.MinimumCalls, len(told))
			}
		})
	}
}

// operationsTold is the distinct operations among fallback lines.
func operationsTold(lines []string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lines {
		_, op, _ := strings.Cut(l, ": ")
		out[op] = true
	}
	return out
}

// TestExemptionsShortenTheRun: the same run with HubSpot's published
// exemptions honoured (searches, 2026-09 association reads) and with every
// call charged to the ten-second budget makes the same calls, and the first
// finishes sooner on the virtual clock.
func TestExemptionsShortenTheRun(t *testing.T) {
	t.Parallel()
	run := func(charge bool) (Result, time.Duration) {
		f := newFixture(t, fakehub.Config{Scale: 300, InlineAssociationLimit: 2, RatePer10s: 100, SearchRatePerSec: 5, ChargeExempt: charge})
		opts := []hubspot.Option{hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk)}
		if charge {
			opts = append(opts, hubspot.ChargeExemptCalls())
		}
		db := testkit.OpenDB(t)
		start := f.clk.Now()
		res := f.run(context.Background(), db, Options{Client: hubspot.New("demo-token", opts...), Concurrency: 1,
			Objects: []string{"contacts", "companies", "deals"}})
		if res.Status != "succeeded" {
			t.Fatalf("run %s: %s", res.Status, res.Error)
		}
		return res, f.clk.Now().Sub(start)
	}
	honoured, fast := run(false)
	charged, slow := run(true)
	// Retries aside (a 429 would add one), both runs make the same calls.
	if honoured.APICalls-honoured.Retries != charged.APICalls-charged.Retries || honoured.ExemptCalls == 0 || charged.ExemptCalls != 0 {
		t.Fatalf("calls %d/%d, exempt %d/%d", honoured.APICalls, charged.APICalls, honoured.ExemptCalls, charged.ExemptCalls)
	}
	if fast >= slow {
		t.Errorf("with exemptions %s, without %s: want sooner", fast, slow)
	}
	// The first call needs no token: n calls span n−1 intervals (a
	// millisecond for the float rounding).
	interval := time.Duration(float64(time.Second) / hubspot.SustainedRate(hubspot.DefaultRatePer10s))
	if floor := time.Duration(honoured.FloorSeconds * float64(time.Second)); fast < floor-interval-time.Millisecond {
		t.Errorf("finished in %s, under its floor %s", fast, floor)
	}
	t.Logf("%d calls, %d exempt: %s with exemptions honoured, %s charged", honoured.APICalls, honoured.ExemptCalls, fast, slow)
}
