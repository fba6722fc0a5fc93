package reliability

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// t0 is where the virtual clocks of the in-process cases start.
var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

// portal is the fake account of the in-process cases: small enough to run
// in a second, with every kind of stream and overflowing inline
// associations. Two fakes made from the same config on clocks started at
// t0 serve the same data.
func portal(clk *testkit.Clock) fakehub.Config {
	return fakehub.Config{Token: secretToken, Seed: 21, Scale: 200, Clock: clk, InlineAssociationLimit: 3,
		Forms: 3, EmailEvents: 600}
}

// reference extracts the portal, without faults, into a database of its own
// and returns its data.
func reference(t *testing.T, cfg fakehub.Config) snapshot {
	t.Helper()
	clk := testkit.NewClock(t0)
	cfg.Clock = clk
	fake := fakehub.New(cfg)
	path := filepath.Join(dir(t), "reference.db")
	res := runEngine(t, path, testkit.Serve(t, fake), clk)
	if res.Status != store.StatusSucceeded {
		t.Fatalf("the reference run: %s %s", res.Status, res.Error)
	}
	return snap(t, path)
}

// runEngine runs one extraction in this process, on the virtual clock.
func runEngine(t *testing.T, path, url string, clk *testkit.Clock) extract.Result {
	t.Helper()
	return runEngineOpts(t, path, url, clk, extract.Options{})
}

// runEngineFull is runEngine reading everything again (a full run).
func runEngineFull(t *testing.T, path, url string, clk *testkit.Clock) extract.Result {
	t.Helper()
	return runEngineOpts(t, path, url, clk, extract.Options{Full: true})
}

func runEngineOpts(t *testing.T, path, url string, clk *testkit.Clock, opts extract.Options) extract.Result {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := hubspot.New(secretToken, hubspot.WithBaseURL(url), hubspot.WithClock(clk))
	opts.Client, opts.Concurrency = c, concurrency
	res, err := extract.Run(t.Context(), db, opts)
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	return res
}

// TestMixedFaults: a full run against a fake that faults one call in ten,
// every kind mixed (429s, 500/502/503/504, connection resets, bodies cut
// short, HTML instead of JSON, two-second stalls; on the virtual clock, so
// backoffs and stalls take no real time), ends succeeded with exactly the
// data of a run without faults.
func TestMixedFaults(t *testing.T) {
	suite(t, false)
	f := &finding{Area: areaFaults, Seed: 42,
		Case: "a full run with 10% of calls faulted: 429, 500, 502, 503, 504, resets, cut bodies, HTML bodies, 2-second stalls (virtual clock)"}
	record(t, f)
	cfg := portal(nil)
	cfg.Scale = 800 // a few hundred calls, a few dozen faults
	want := reference(t, cfg)
	f.Runs++

	clk := testkit.NewClock(t0)
	cfg.Clock, cfg.SlowDelay = clk, 2*time.Second
	cfg.Faults = fakehub.Faults{Rate: 0.10, Seed: 42}
	fake := fakehub.New(cfg)
	path := filepath.Join(dir(t), "faults.db")
	res := runEngine(t, path, testkit.Serve(t, fake), clk)
	f.Runs++
	st := fake.Stats()
	f.Faults = st.Status429 + st.StatusErrors
	if res.Status != store.StatusSucceeded {
		t.Fatalf("run under faults: %s %q", res.Status, res.Error)
	}
	lost, extra, sample := diff(want, snap(t, path))
	f.Lost, f.Extra = lost, extra
	if lost != 0 || extra != 0 {
		t.Errorf("%d bytes lost, %d extra against the run without faults:%s", lost, extra, sample)
	}
	sound(t, path)
	if res.Retries == 0 || f.Faults < 10 {
		t.Errorf("%d faults answered, %d retries: want a run that meets (and retries) more than ten", f.Faults, res.Retries)
	}
	f.Outcome = fmt.Sprintf("succeeded with exactly the data of a run without faults (%d rows): %d calls, %d answered with a fault "+
		"(%d 429s), %d retries, stalls besides", want.rows(), st.Total, f.Faults, st.Status429, res.Retries)
	t.Log(f.Outcome)
}

// refuser passes calls on to the fake until `after` calls that match have
// passed, then answers every call that matches with the refusal, until
// lifted.
type refuser struct {
	next   http.Handler
	after  int64
	match  func(*http.Request) bool
	status int
	body   string
	calls  atomic.Int64
	hits   atomic.Int64
	lifted atomic.Bool
}

func (r *refuser) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if r.match != nil && !r.match(req) || r.lifted.Load() {
		r.next.ServeHTTP(w, req)
		return
	}
	if n := r.calls.Add(1); n > r.after {
		r.hits.Add(1)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(r.status)
		fmt.Fprint(w, r.body)
		return
	}
	r.next.ServeHTTP(w, req)
}

// HubSpot's answers to a key it no longer accepts and to one that lacks a
// scope, as its documentation shows them.
const (
	body401 = `{"status":"error","message":"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview","correlationId":"4f6a1b9e-0c2d-4e8f-9a7b-1c2d3e4f5a6b","category":"INVALID_AUTHENTICATION"}`
	body403 = `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.deals.read"]}}]}`
)

// TestRefusedMidRun: HubSpot refusing mid-run stops it in plain words and
// keeps what was fetched: the daily allowance spent (a DAILY 429) says when
// it resets; a key revoked (401) says so; a scope lost on one stream (403)
// ends the run partial with the other streams complete. Each time the run
// after it (the allowance reset, a new key, the scope given back) brings
// the database to the reference data, association pairs compared without
// their side (pairsOnly): a run after a partial one may store a pair from
// the other type's side.
func TestRefusedMidRun(t *testing.T) {
	suite(t, false)
	cfg := portal(nil)
	want := reference(t, cfg)
	zone, err := time.LoadLocation("US/Eastern")
	if err != nil {
		t.Fatal(err)
	}
	// HubSpot resets the allowance at midnight in the account's zone; the
	// client knows it once it has read the account's details, and until
	// then takes this machine's (backend/hubspot's dailyReset).
	midnight := func(loc *time.Location) string {
		now := time.Now().In(loc)
		return "after " + time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc).Local().Format("Mon 2 Jan 15:04 MST")
	}
	resets := []string{midnight(zone), midnight(time.Local)}
	for _, tc := range []struct {
		name, what string
		daily      bool
		status     int
		body       string
		match      func(*http.Request) bool
		say        []string
		sayOne     []string // one of them
		runStatus  string   // "": failed, or partial when streams finished before
		after      int64    // calls that pass before the refusals
	}{
		{name: "Daily429", what: "the account's DAILY allowance spent mid-run (429, policyName DAILY)", daily: true,
			say: []string{"daily API allowance"}, sayOne: resets},
		{name: "Revoked401", what: "the key revoked mid-run (401)", status: http.StatusUnauthorized, body: body401, after: 40,
			say: []string{"did not accept the access token", "revoked"}},
		{name: "Scope403OneStream", what: "the deals scope lost mid-run (403 on one stream)", status: http.StatusForbidden, body: body403, after: 1,
			// After the first page of the deals list: a scope lost mid-stream
			// (one refused on a type's first call makes it unavailable instead).
			match: func(r *http.Request) bool {
				return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/crm/objects/") && strings.HasSuffix(r.URL.Path, "/deals")
			},
			say: []string{"partial", "crm.objects.deals.read"}, runStatus: "partial"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &finding{Area: areaFaults, Case: tc.what}
			record(t, f)
			c := cfg
			clk := testkit.NewClock(t0)
			c.Clock = clk
			var url string
			var refused func() int64
			var lift func()
			if tc.daily {
				c.DailyLimit = 60
				fake := fakehub.New(c)
				url = testkit.Serve(t, fake)
				refused = func() int64 { return int64(fake.Stats().Status429) }
				lift = func() { clk.Advance(24 * time.Hour) } // the next day in the account's zone
			} else {
				r := &refuser{next: fakehub.New(c), after: tc.after, match: tc.match, status: tc.status, body: tc.body}
				url = testkit.Serve(t, r)
				refused = r.hits.Load
				lift = func() { r.lifted.Store(true) }
			}
			path := filepath.Join(dir(t), "refused.db")
			code, stdout, stderr := runCLI(t, extractArgs(url, path)...)
			f.Runs++
			f.Faults = int(refused())
			last := lastLine(stderr)
			f.Outcome = last
			if code != 1 {
				t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			for _, s := range tc.say {
				if !strings.Contains(stdout+stderr, s) {
					t.Errorf("the output does not say %q; last line %q\nstdout:\n%s", s, last, stdout)
				}
			}
			if len(tc.sayOne) > 0 && !slices.ContainsFunc(tc.sayOne, func(s string) bool { return strings.Contains(last, s) }) {
				t.Errorf("the last line %q says none of %q", last, tc.sayOne)
			}
			db := openRO(t, path)
			var status string
			err := db.QueryRow(`SELECT status FROM runs WHERE id = 1`).Scan(&status)
			if want := tc.runStatus; err != nil || status != want && (want != "" || status != "failed" && status != "partial") {
				t.Errorf("run 1 is %q (%v), want %s", status, err, cmp.Or(want, "failed or partial"))
			}
			kept := snap(t, path)
			if kept.rows() == 0 {
				t.Error("nothing was saved before the refusal: refuse later")
			}
			if _, extra, sample := diff(pairsOnly(want), pairsOnly(kept)); extra != 0 { // what was saved is the reference's
				t.Errorf("rows saved that the reference lacks:%s", sample)
			}
			sound(t, path)

			lift()
			code, stdout, stderr = runCLI(t, extractArgs(url, path)...)
			f.Runs++
			if code != 0 {
				t.Fatalf("the run after the refusal was lifted: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			after := snap(t, path)
			lostKept, _, _ := diff(pairsOnly(kept), pairsOnly(after))
			lost, extra, sample := diff(pairsOnly(want), pairsOnly(after))
			f.Lost, f.Extra = lostKept+lost, extra
			if lostKept != 0 || lost != 0 || extra != 0 {
				t.Errorf("after the next run: %d bytes of what was kept lost, %d of the reference missing, %d extra:%s",
					lostKept, lost, extra, sample)
			}
			sound(t, path)
			f.Outcome = fmt.Sprintf("%s (exit 1, run 1 %s with %d rows kept; the run after it: %s)", last, status,
				kept.rows(), firstLine(stdout))
			t.Log(f.Outcome)
		})
	}
}
