package hubspot_test

// Byte-level retry cases against a small scripted server: each attempt
// gets the next scripted reply, then a good page. The fakehub tests cover
// the same ground against the full fake; these pin the exact waits.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

const okPage = `{"results":[{"id":"1","properties":{"email":"a@b.c"},"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-09-11T13:27:39.356Z","archived":false}]}`

type reply struct {
	status int
	header map[string]string
	body   string
	cut    bool          // announce more bytes than are sent
	drop   bool          // close the connection without an answer
	stall  time.Duration // answer only after this long (real time)
}

func errBody(msg string) string {
	return fmt.Sprintf(`{"status":"error","message":%q,"correlationId":"c0ffee00-1111-2222-3333-444455556666","category":"TEST"}`, msg)
}

func rateBody(policy string) string {
	return fmt.Sprintf(`{"status":"error","message":"You have reached your limit.","errorType":"RATE_LIMIT","correlationId":"c0ffee00-1111-2222-3333-444455556666","policyName":%q}`, policy)
}

// script serves the replies in order, then okPage forever.
func script(t *testing.T, replies ...reply) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	base := testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, errBody("bad auth header"), http.StatusUnauthorized)
			return
		}
		i := int(n.Add(1)) - 1
		if i >= len(replies) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(okPage))
			return
		}
		rp := replies[i]
		if rp.stall > 0 {
			select {
			case <-time.After(rp.stall):
			case <-r.Context().Done():
				return
			}
		}
		if rp.drop {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		for k, v := range rp.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		if rp.cut {
			w.Header().Set("Content-Length", strconv.Itoa(len(rp.body)+100))
		}
		w.WriteHeader(rp.status)
		_, _ = w.Write([]byte(rp.body))
	}))
	return base, &n
}

func TestRetryableAnswersAreRetried(t *testing.T) {
	tests := []struct {
		name     string
		fail     reply
		wantWait time.Duration // exact wait before each retry; 0 = backoff
		minWait  time.Duration
	}{
		{name: "423", fail: reply{status: 423, body: errBody("locked")}, minWait: 2 * time.Second},
		{name: "429 ten-secondly", fail: reply{status: 429, body: rateBody("TEN_SECONDLY_ROLLING")}, wantWait: 10 * time.Second},
		{name: "429 secondly", fail: reply{status: 429, body: rateBody("SECONDLY")}, wantWait: time.Second},
		{name: "429 retry-after", fail: reply{status: 429, body: rateBody("TEN_SECONDLY_ROLLING"), header: map[string]string{"Retry-After": "3"}}, wantWait: 3 * time.Second},
		{name: "429 no policy", fail: reply{status: 429, body: `{"status":"error"}`}, wantWait: 10 * time.Second},
		{name: "500", fail: reply{status: 500, body: errBody("internal")}},
		{name: "502", fail: reply{status: 502, body: "<html>bad gateway</html>"}},
		{name: "503", fail: reply{status: 503, body: errBody("unavailable")}},
		{name: "503 retry-after", fail: reply{status: 503, body: errBody("unavailable"), header: map[string]string{"Retry-After": "5"}}, minWait: 5 * time.Second},
		{name: "504", fail: reply{status: 504, body: ""}},
		{name: "521", fail: reply{status: 521, body: ""}},
		{name: "522", fail: reply{status: 522, body: ""}},
		{name: "523", fail: reply{status: 523, body: ""}},
		{name: "524", fail: reply{status: 524, body: ""}},
		{name: "200 not json", fail: reply{status: 200, body: "<html>maintenance</html>"}},
		{name: "200 cut body", fail: reply{status: 200, body: okPage[:40], cut: true}},
		{name: "connection dropped", fail: reply{drop: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base, hits := script(t, tc.fail, tc.fail)
			h := newHarness(base)
			start := h.clock.Now()
			page, err := list(context.Background(), h.client)
			if err != nil {
				t.Fatalf("after two failures: %v", err)
			}
			if len(page.Results) != 1 || page.Results[0].ID != "1" {
				t.Fatalf("page %+v", page)
			}
			if h.client.Calls() != 3 || h.client.Retries() != 2 || hits.Load() != 3 {
				t.Errorf("calls %d retries %d server hits %d, want 3/2/3", h.client.Calls(), h.client.Retries(), hits.Load())
			}
			calls := h.rec.All()
			if len(calls) != 3 {
				t.Fatalf("%d CallInfos, want 3", len(calls))
			}
			var waited time.Duration
			for i, ci := range calls {
				if ci.Attempt != i+1 || ci.Endpoint != "list contacts" || ci.Path != "/crm/objects/2026-09/contacts" || ci.Method != "GET" {
					t.Errorf("call %d: %+v", i, ci)
				}
				if last := i == 2; ci.WillRetry == last || (ci.Err == nil) != last {
					t.Errorf("call %d: WillRetry %v Err %v", i, ci.WillRetry, ci.Err)
				}
				if i < 2 {
					waited += ci.Wait
					if tc.wantWait > 0 && ci.Wait != tc.wantWait {
						t.Errorf("call %d waited %v, want %v", i, ci.Wait, tc.wantWait)
					}
					if ci.Wait < tc.minWait {
						t.Errorf("call %d waited %v, want ≥ %v", i, ci.Wait, tc.minWait)
					}
				}
			}
			if adv := h.clock.Now().Sub(start); adv < waited {
				t.Errorf("clock advanced %v, retries waited %v", adv, waited)
			}
			h.assertNoToken(t, nil)
		})
	}
}

func TestFinalAnswersAreNotRetried(t *testing.T) {
	tests := []struct {
		name   string
		fail   reply
		target any
	}{
		{"400", reply{status: 400, body: errBody("Property values were not valid")}, new(*hubspot.ValidationError)},
		{"401", reply{status: 401, body: errBody("Authentication credentials not found.")}, new(*hubspot.AuthError)},
		{"403", reply{status: 403, body: `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"c0ffee00-1111-2222-3333-444455556666","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.read"]}}]}`}, new(*hubspot.ScopeError)},
		{"404", reply{status: 404, body: errBody("resource not found")}, new(*hubspot.NotFoundError)},
		{"414", reply{status: 414, body: ""}, new(*hubspot.APIError)},
		{"501", reply{status: 501, body: errBody("not implemented")}, new(*hubspot.APIError)},
		{"429 daily", reply{status: 429, body: rateBody("DAILY")}, new(*hubspot.DailyLimitError)},
		{"token echoed", reply{status: 400, body: errBody("token " + token + " is malformed")}, new(*hubspot.ValidationError)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base, hits := script(t, tc.fail)
			h := newHarness(base)
			_, err := list(context.Background(), h.client)
			if err == nil {
				t.Fatal("no error")
			}
			if h.client.Calls() != 1 || h.client.Retries() != 0 || hits.Load() != 1 {
				t.Errorf("calls %d retries %d hits %d, want 1/0/1", h.client.Calls(), h.client.Retries(), hits.Load())
			}
			if !errors.As(err, tc.target) {
				t.Errorf("error %T not a %T: %v", err, tc.target, err)
			}
			var api *hubspot.APIError
			if !errors.As(err, &api) || api.Attempts != 1 || api.Status != tc.fail.status || api.Path != "/crm/objects/2026-09/contacts" {
				t.Fatalf("APIError %+v", api)
			}
			msg := err.Error()
			for _, want := range []string{"GET", "/crm/objects/2026-09/contacts", strconv.Itoa(tc.fail.status), "1 attempt(s)"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
			if strings.Contains(tc.fail.body, "correlationId") && !strings.Contains(msg, "c0ffee00-1111-2222-3333-444455556666") {
				t.Errorf("error %q lacks the correlationId", msg)
			}
			if um := hubspot.UserMessage(err); um == "" || strings.Contains(um, "\n") {
				t.Errorf("user message %q", um)
			}
			h.assertNoToken(t, err)
		})
	}
}

// TestWrongShapeIsNotRetried: a 200 of valid JSON that does not decode
// (here a results member that is not a list) would come back the same.
func TestWrongShapeIsNotRetried(t *testing.T) {
	base, hits := script(t, reply{status: 200, body: `{"results":{"id":"1"}}`})
	h := newHarness(base)
	_, err := list(context.Background(), h.client)
	if err == nil || !strings.Contains(err.Error(), "GET /crm/objects/2026-09/contacts: decode response") {
		t.Fatalf("err %v, want a decode error naming the call", err)
	}
	if hits.Load() != 1 || h.client.Retries() != 0 {
		t.Errorf("%d hits, %d retries; want 1 and 0", hits.Load(), h.client.Retries())
	}
}

func TestScopeAndDailyDetails(t *testing.T) {
	base, _ := script(t, reply{status: 403, body: `{"status":"error","message":"missing scopes","category":"MISSING_SCOPES","context":{"requiredScopes":["sales-email-read"]},"errors":[{"context":{"requiredGranularScopes":["crm.objects.contacts.read"]}}]}`})
	_, err := list(context.Background(), newHarness(base).client)
	var se *hubspot.ScopeError
	if !errors.As(err, &se) || strings.Join(se.Scopes, ",") != "crm.objects.contacts.read,sales-email-read" {
		t.Fatalf("scope error %v scopes %v", err, se)
	}
	if um := hubspot.UserMessage(err); !strings.Contains(um, "crm.objects.contacts.read") {
		t.Errorf("user message does not name the scope: %q", um)
	}

	base, _ = script(t, reply{status: 429, body: rateBody("DAILY")})
	h := newHarness(base)
	_, err = list(context.Background(), h.client)
	var de *hubspot.DailyLimitError
	if !errors.As(err, &de) || !de.ResetAt.After(h.clock.Now()) || de.ResetAt.Sub(h.clock.Now()) > 24*time.Hour {
		t.Fatalf("daily error %v reset %v (now %v)", err, de, h.clock.Now())
	}
}

func TestGivingUpNamesEverything(t *testing.T) {
	fail := reply{status: 503, body: errBody("HubSpot is down for maintenance")}
	base, hits := script(t, fail, fail, fail, fail, fail, fail)
	h := newHarness(base).with(nil, hubspot.RetryPolicy{MaxAttempts: 4})
	_, err := list(context.Background(), h.client)
	var se *hubspot.ServerError
	if !errors.As(err, &se) || se.Attempts != 4 || hits.Load() != 4 {
		t.Fatalf("err %v (hits %d)", err, hits.Load())
	}
	for _, want := range []string{"GET /crm/objects/2026-09/contacts giving up after 4 attempt(s)", "HTTP 503", "HubSpot is down for maintenance", "c0ffee00-1111-2222-3333-444455556666"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if ci := h.rec.All(); ci[3].WillRetry || !ci[2].WillRetry {
		t.Errorf("WillRetry flags wrong: %+v", ci)
	}
	h.assertNoToken(t, err)
}

func TestTransportFailuresExhausted(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail reply
	}{
		{"drop", reply{drop: true}},
		{"cut", reply{status: 200, body: `{"results":[`, cut: true}},
		{"timeout", reply{stall: time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, _ := script(t, tc.fail, tc.fail, tc.fail)
			h := newHarness(base).with(nil, hubspot.RetryPolicy{MaxAttempts: 3, AttemptTimeout: 50 * time.Millisecond})
			_, err := list(context.Background(), h.client)
			var te *hubspot.TransportError
			if !errors.As(err, &te) || te.Attempts != 3 {
				t.Fatalf("err %T %v", err, err)
			}
			if !strings.Contains(err.Error(), "giving up after 3 attempt(s)") {
				t.Errorf("%q", err)
			}
			h.assertNoToken(t, err)
		})
	}
}

func TestCancelledContextIsNotRetried(t *testing.T) {
	fail := reply{status: 503, body: errBody("down")}
	base, hits := script(t, fail, fail, fail)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := newHarness(base).with(observerFunc(func(hubspot.CallInfo) { cancel() }), hubspot.RetryPolicy{})
	_, err := list(ctx, h.client)
	if !errors.Is(err, context.Canceled) || hits.Load() != 1 {
		t.Fatalf("err %v after %d hits", err, hits.Load())
	}
	if hubspot.UserMessage(err) == "" {
		t.Error("no user message for a cancel")
	}

	_, err = list(ctx, h.client)
	if !errors.Is(err, context.Canceled) || hits.Load() != 1 {
		t.Fatalf("a cancelled context still sent: err %v hits %d", err, hits.Load())
	}
}

func TestRateLimitHoldsEveryCaller(t *testing.T) {
	// One 429 pauses the whole client for the window, not just its caller:
	// a call started while the first waits also goes out after the window.
	base, _ := script(t, reply{status: 429, body: rateBody("TEN_SECONDLY_ROLLING")})
	var h *harness
	var other time.Duration
	h = newHarness(base)
	h.with(observerFunc(func(ci hubspot.CallInfo) {
		if ci.Status != http.StatusTooManyRequests {
			return
		}
		start := h.clock.Now()
		if _, err := list(context.Background(), h.client); err != nil {
			t.Error(err)
		}
		other = h.clock.Now().Sub(start)
	}), hubspot.RetryPolicy{})
	if _, err := list(context.Background(), h.client); err != nil {
		t.Fatal(err)
	}
	if other < 10*time.Second {
		t.Errorf("a call during the 429 window went out after %v, want ≥ 10 s", other)
	}
}
