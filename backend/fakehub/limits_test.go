package fakehub

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestAuthentication(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, RatePer10s: 3})
	cases := []struct{ name, header, query string }{
		{"missing", "", ""},
		{"wrong token", "Bearer not-the-token", ""},
		{"not bearer", "Basic ZGVtbzpkZW1v", ""},
		{"hapikey", "Bearer demo-token", "?hapikey=abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := 0; i < 3; i++ { // refused calls do not use the budget
				req, _ := http.NewRequest("GET", f.base+"/crm/v3/objects/contacts"+tc.query, nil)
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				resp, err := f.http.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var eb errorBody
				_ = json.NewDecoder(resp.Body).Decode(&eb)
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized || eb.Category != "INVALID_AUTHENTICATION" || eb.CorrelationID == "" || eb.Message == "" {
					t.Fatalf("status %d, body %+v", resp.StatusCode, eb)
				}
			}
		})
	}
	for i := 0; i < 3; i++ {
		f.ok("GET", "/crm/v3/objects/contacts", nil, nil)
	}
}

func TestTenSecondRollingWindow(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, RatePer10s: 5})
	get := func() reply { return f.do("GET", "/crm/v3/owners", nil) }
	for i := 0; i < 3; i++ {
		r := get()
		if r.status != 200 || r.header.Get("X-HubSpot-RateLimit-Remaining") != strconv.Itoa(4-i) ||
			r.header.Get("X-HubSpot-RateLimit-Max") != "5" || r.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" {
			t.Fatalf("call %d: %d %v", i, r.status, r.header)
		}
	}
	f.clk.Advance(6 * time.Second)
	get()
	get()
	f.clk.Advance(3 * time.Second) // t0+9s: five calls in the window
	r := get()
	var eb errorBody
	_ = json.Unmarshal(r.body, &eb)
	if r.status != http.StatusTooManyRequests || eb.PolicyName != "TEN_SECONDLY_ROLLING" || eb.ErrorType != "RATE_LIMIT" ||
		eb.Message != "You have reached your ten_secondly_rolling limit." || eb.RequestID == "" || eb.CorrelationID == "" {
		t.Fatalf("full window: %d %s", r.status, r.body)
	}
	if r.header.Get("Retry-After") != "" || r.header.Get("X-HubSpot-RateLimit-Remaining") != "0" {
		t.Errorf("429 headers: %v", r.header)
	}
	f.clk.Advance(time.Second) // t0+10s: the first three left, the 429 still counts
	for i := 0; i < 2; i++ {
		if r := get(); r.status != 200 {
			t.Fatalf("after the window slid, call %d: %d", i, r.status)
		}
	}
	if r := get(); r.status != http.StatusTooManyRequests {
		t.Fatalf("window full again, got %d", r.status)
	}
	f.clk.Advance(10 * time.Second)
	if r := get(); r.status != 200 {
		t.Fatalf("after a quiet window: %d", r.status)
	}
	st := f.s.Stats()
	if st.Status429 != 2 || st.Total != 10 {
		t.Errorf("stats %+v", st)
	}
}

func TestRetryAfterWhenAsked(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, RatePer10s: 1, RetryAfter: true})
	f.ok("GET", "/crm/v3/owners", nil, nil)
	f.clk.Advance(2500 * time.Millisecond)
	r := f.do("GET", "/crm/v3/owners", nil)
	if r.status != 429 || r.header.Get("Retry-After") != "8" {
		t.Fatalf("%d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
}

func TestSearchSecondlyLimit(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, RatePer10s: 100, SearchRatePerSec: 2})
	search := func() reply { return f.do("POST", "/crm/v3/objects/contacts/search", map[string]any{"limit": 1}) }
	for i := 0; i < 2; i++ {
		if r := search(); r.status != 200 || r.header.Get("X-HubSpot-RateLimit-Max") != "" {
			t.Fatalf("search %d: %d %v", i, r.status, r.header)
		}
	}
	r := search()
	var eb errorBody
	_ = json.Unmarshal(r.body, &eb)
	if r.status != 429 || eb.PolicyName != "SECONDLY" || eb.Message != "You have reached your secondly limit." {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if r := f.do("GET", "/crm/v3/owners", nil); r.status != 200 {
		t.Fatalf("the search limit blocked a list call: %d", r.status)
	}
	f.clk.Advance(time.Second)
	if r := search(); r.status != 200 {
		t.Fatalf("after a second: %d", r.status)
	}
}

func TestDailyLimit(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, DailyLimit: 3})
	for i := 0; i < 3; i++ {
		r := f.do("GET", "/account-info/v3/details", nil)
		if r.status != 200 || r.header.Get("X-HubSpot-RateLimit-Daily") != "3" || r.header.Get("X-HubSpot-RateLimit-Daily-Remaining") != strconv.Itoa(2-i) {
			t.Fatalf("call %d: %d %v", i, r.status, r.header)
		}
	}
	eb := f.fails("GET", "/account-info/v3/details", nil, http.StatusTooManyRequests)
	if eb.PolicyName != "DAILY" {
		t.Fatalf("policy %q", eb.PolicyName)
	}
	f.clk.Advance(24 * time.Hour) // past the next midnight in the account's zone
	f.ok("GET", "/account-info/v3/details", nil, nil)
}

func TestLatencyUsesTheClock(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond})
	for i := 0; i < 20; i++ {
		before := f.clk.Now()
		f.ok("GET", "/crm/v3/owners", nil, nil)
		if d := f.clk.Now().Sub(before); d < 150*time.Millisecond || d > 350*time.Millisecond {
			t.Fatalf("call took %v of virtual time, want 250ms ± 100ms", d)
		}
	}
}
