package hubspot_test

// Retries, refusals and rate-limit answers against backend/fakehub's
// injected faults and enforced limits, with attempt counts taken from both
// sides (the client's CallInfo and the fake's own stats).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

func TestFakeRetriesEachFault(t *testing.T) {
	tests := []struct {
		fault    fakehub.Fault
		wantWait time.Duration // every retry's exact wait; 0 = backoff
	}{
		{fakehub.Fault429, 10 * time.Second},
		{fakehub.Fault500, 0},
		{fakehub.Fault502, 0},
		{fakehub.Fault503, 0},
		{fakehub.Fault504, 0},
		{fakehub.FaultDrop, 0},
		{fakehub.FaultCut, 0},
		{fakehub.FaultNotJSON, 0},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault), func(t *testing.T) {
			s, h := fakePortal(t, fakehub.Config{Seed: 3, Scale: 150})
			s.FailNext(3, tc.fault, "/crm/objects/2026-09/contacts")
			start := h.clock.Now()
			pages := listAll(t, h.client, "contacts", hubspot.ListParams{})
			if got, want := objectIDs(pages), s.Truth().IDs("contacts", false); !slices.Equal(got, want) {
				t.Fatalf("%d ids, want %d", len(got), len(want))
			}
			st := s.Stats()
			// Two pages; the first took three failures and a success.
			if h.client.Calls() != 5 || h.client.Retries() != 3 || st.Total != 5 {
				t.Errorf("client calls %d retries %d, fake saw %d; want 5/3/5", h.client.Calls(), h.client.Retries(), st.Total)
			}
			calls := h.rec.All()
			for i, ci := range calls[:3] {
				if !ci.WillRetry || ci.Attempt != i+1 || ci.Err == nil {
					t.Errorf("attempt %d: %+v", i+1, ci)
				}
				if tc.wantWait > 0 && ci.Wait != tc.wantWait {
					t.Errorf("attempt %d waited %v, want %v", i+1, ci.Wait, tc.wantWait)
				}
			}
			if tc.wantWait > 0 {
				if adv := h.clock.Now().Sub(start); adv < 3*tc.wantWait {
					t.Errorf("fake clock advanced %v, want ≥ %v", adv, 3*tc.wantWait)
				}
			}
		})
	}
}

func TestFakeSlowAnswerTimesOutAndIsRetried(t *testing.T) {
	// Real time here: the retry policy bounds each attempt in real time.
	s := fakehub.New(fakehub.Config{Token: token, Scale: 20, SlowDelay: 5 * time.Second})
	url := testkit.Serve(t, s)
	s.FailNext(2, fakehub.FaultSlow, "")
	h := newHarnessOn(testkit.NewClock(epoch), url).with(nil, hubspot.RetryPolicy{AttemptTimeout: 100 * time.Millisecond})
	if _, err := h.client.AccountDetails(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := h.rec.All()
	if len(calls) != 3 || !calls[0].WillRetry || !calls[1].WillRetry || calls[2].Err != nil {
		t.Fatalf("calls %+v", calls)
	}
	var te *hubspot.TransportError
	if !errors.As(calls[0].Err, &te) {
		t.Errorf("a timeout is a %T", calls[0].Err)
	}
}

func TestFakeRefusalsAreNotRetried(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(s *fakehub.Server)
		call   func(c *hubspot.Client) error
		target any
		status int
	}{
		{"401 wrong token", nil, func(c *hubspot.Client) error {
			_, err := c.ListOwners(context.Background(), "", false)
			return err
		}, new(*hubspot.AuthError), 401},
		{"403 missing scope", func(s *fakehub.Server) { s.DenyScope("contacts", "crm.objects.contacts.read") },
			func(c *hubspot.Client) error {
				_, err := c.ListObjects(context.Background(), "contacts", hubspot.ListParams{})
				return err
			}, new(*hubspot.ScopeError), 403},
		{"404 unknown form", nil, func(c *hubspot.Client) error {
			_, err := c.ListFormSubmissions(context.Background(), "00000000-0000-0000-0000-000000000000", "")
			return err
		}, new(*hubspot.NotFoundError), 404},
		{"400 search past 10,000", nil, func(c *hubspot.Client) error {
			_, err := c.SearchObjects(context.Background(), "contacts", hubspot.SearchRequest{After: "9900"})
			return err
		}, new(*hubspot.ValidationError), 400},
		{"search body over 3,000 characters", nil, func(c *hubspot.Client) error {
			props := make([]string, 150)
			for i := range props {
				props[i] = fmt.Sprintf("custom_property_%03d", i)
			}
			_, err := c.SearchObjects(context.Background(), "contacts", hubspot.SearchRequest{Properties: props})
			return err
		}, nil, 0},
		{"400 unknown object type", nil, func(c *hubspot.Client) error {
			_, err := c.ListObjects(context.Background(), "unicorns", hubspot.ListParams{})
			return err
		}, new(*hubspot.ValidationError), 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, h := fakePortal(t, fakehub.Config{Scale: 30})
			if tc.setup != nil {
				tc.setup(s)
			}
			if tc.status == 401 {
				h = newHarnessAs(token+"-revoked", h.clock, h.baseURL)
			}
			c := h.client
			err := tc.call(c)
			if tc.target == nil { // refused before sending
				if err == nil || c.Calls() != 0 || s.Stats().Total != 0 {
					t.Fatalf("err %v after %d calls", err, c.Calls())
				}
				return
			}
			if !errors.As(err, tc.target) {
				t.Fatalf("%T %v, want %T", err, err, tc.target)
			}
			var api *hubspot.APIError
			if !errors.As(err, &api) || api.Status != tc.status || api.Attempts != 1 || api.Message == "" || api.CorrelationID == "" {
				t.Errorf("APIError %+v", api)
			}
			if c.Calls() != 1 || s.Stats().Total != 1 {
				t.Errorf("%d client calls, %d reached the fake; want 1", c.Calls(), s.Stats().Total)
			}
			if !strings.Contains(err.Error(), api.CorrelationID) || !strings.Contains(err.Error(), api.Message) {
				t.Errorf("error %q lacks HubSpot's message or correlationId", err)
			}
			var se *hubspot.ScopeError
			if errors.As(err, &se) && !slices.Equal(se.Scopes, []string{"crm.objects.contacts.read"}) {
				t.Errorf("scopes %v", se.Scopes)
			}
			h.assertNoToken(t, err)
		})
	}
}

func TestFakeDailyLimit(t *testing.T) {
	s, h := fakePortal(t, fakehub.Config{Scale: 20, DailyLimit: 3})
	ctx := context.Background()
	if _, err := h.client.AccountDetails(ctx); err != nil { // teaches the client the account's zone
		t.Fatal(err)
	}
	for range 2 {
		if _, err := h.client.Properties(ctx, "contacts", ""); err != nil {
			t.Fatal(err)
		}
	}
	_, err := h.client.Properties(ctx, "contacts", "")
	var de *hubspot.DailyLimitError
	if !errors.As(err, &de) || h.client.Calls() != 4 || s.Stats().Total != 4 {
		t.Fatalf("err %v after %d calls", err, h.client.Calls())
	}
	zone, _ := time.LoadLocation("US/Eastern")
	now := h.clock.Now().In(zone)
	if want := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, zone); !de.ResetAt.Equal(want) {
		t.Errorf("reset at %v, want %v (midnight in the account's zone)", de.ResetAt, want)
	}
	if um := hubspot.UserMessage(err); !strings.Contains(um, "daily") {
		t.Errorf("user message %q", um)
	}
}

func TestFakeRetryAfterAndPolicyWindows(t *testing.T) {
	t.Run("Retry-After from a budget another app spent", func(t *testing.T) {
		s, h := fakePortal(t, fakehub.Config{Scale: 20, RatePer10s: 10, RetryAfter: true})
		other := hubspot.New(token, hubspot.WithBaseURL(h.baseURL), hubspot.WithClock(testkit.NewClock(epoch)), hubspot.WithRateLimit(1000))
		for range 10 { // another consumer spends the whole window at once
			if _, err := other.Properties(context.Background(), "contacts", ""); err != nil {
				t.Fatal(err)
			}
		}
		h.clock.Advance(3 * time.Second)
		start := h.clock.Now()
		if _, err := h.client.Properties(context.Background(), "contacts", ""); err != nil {
			t.Fatal(err)
		}
		calls := h.rec.All()
		if len(calls) != 2 || calls[0].Status != 429 || calls[0].Wait != 7*time.Second {
			t.Fatalf("calls %+v, want a 429 waiting the 7 s Retry-After", calls)
		}
		if adv := h.clock.Now().Sub(start); adv < 7*time.Second {
			t.Errorf("clock advanced %v", adv)
		}
		if s.Stats().Status429 != 1 {
			t.Errorf("%d 429s", s.Stats().Status429)
		}
	})
	t.Run("TEN_SECONDLY_ROLLING without Retry-After waits the window", func(t *testing.T) {
		s, h := fakePortal(t, fakehub.Config{Scale: 20, RatePer10s: 10})
		other := hubspot.New(token, hubspot.WithBaseURL(h.baseURL), hubspot.WithClock(testkit.NewClock(epoch)), hubspot.WithRateLimit(1000))
		for range 10 {
			if _, err := other.Properties(context.Background(), "contacts", ""); err != nil {
				t.Fatal(err)
			}
		}
		start := h.clock.Now()
		if _, err := h.client.Properties(context.Background(), "contacts", ""); err != nil {
			t.Fatal(err)
		}
		calls := h.rec.All()
		if len(calls) != 2 || calls[0].Wait != 10*time.Second || h.clock.Now().Sub(start) < 10*time.Second {
			t.Fatalf("calls %+v, clock advanced %v", calls, h.clock.Now().Sub(start))
		}
		var rl *hubspot.RateLimitError
		if !errors.As(calls[0].Err, &rl) || rl.Policy != "TEN_SECONDLY_ROLLING" {
			t.Errorf("429 error %T %v", calls[0].Err, calls[0].Err)
		}
		if s.Stats().Status429 != 1 {
			t.Errorf("%d 429s", s.Stats().Status429)
		}
	})
	t.Run("SECONDLY waits one second", func(t *testing.T) {
		s, h := fakePortal(t, fakehub.Config{Scale: 20})
		s.FailNext(2, fakehub.Fault429, "/crm/objects/2026-09/contacts/search")
		start := h.clock.Now()
		if _, err := h.client.SearchObjects(context.Background(), "contacts", hubspot.SearchRequest{}); err != nil {
			t.Fatal(err)
		}
		calls := h.rec.All()
		if len(calls) != 3 || calls[0].Wait != time.Second || calls[1].Wait != time.Second {
			t.Fatalf("calls %+v", calls)
		}
		if adv := h.clock.Now().Sub(start); adv < 2*time.Second || adv > 3*time.Second {
			t.Errorf("clock advanced %v, want 2 s of windows", adv)
		}
	})
	t.Run("a lower budget in the headers is followed", func(t *testing.T) {
		// Configured for 100 per 10 s against a fake allowing 20: without
		// following the headers' budget the calls would draw 429s.
		s, h := fakePortal(t, fakehub.Config{Scale: 20, RatePer10s: 20})
		start := h.clock.Now()
		for range 200 {
			if _, err := h.client.Properties(context.Background(), "contacts", ""); err != nil {
				t.Fatal(err)
			}
		}
		// 200 calls at under 20 per rolling 10 s take over 90 s.
		if adv := h.clock.Now().Sub(start); s.Stats().Status429 != 0 || adv < 90*time.Second {
			t.Errorf("%d 429s, 200 calls in %v at a 20/10 s budget configured as 100", s.Stats().Status429, adv)
		}
	})
}

func TestFakeTokenNeverLeaks(t *testing.T) {
	ctx := context.Background()
	type step struct {
		name string
		run  func(s *fakehub.Server, c *hubspot.Client) error
	}
	list := func(c *hubspot.Client) error {
		_, err := c.ListObjects(ctx, "contacts", hubspot.ListParams{Properties: []string{"email"}})
		return err
	}
	steps := []step{
		{"scope", func(s *fakehub.Server, c *hubspot.Client) error {
			s.DenyScope("contacts", "crm.objects.contacts.read")
			return list(c)
		}},
		{"not found", func(_ *fakehub.Server, c *hubspot.Client) error {
			_, err := c.ListFormSubmissions(ctx, "nope", "")
			return err
		}},
		{"validation", func(_ *fakehub.Server, c *hubspot.Client) error {
			_, err := c.SearchObjects(ctx, "deals", hubspot.SearchRequest{After: "9999"})
			return err
		}},
	}
	for _, f := range []fakehub.Fault{fakehub.Fault429, fakehub.Fault500, fakehub.Fault503, fakehub.FaultDrop, fakehub.FaultCut, fakehub.FaultNotJSON} {
		steps = append(steps, step{"exhausted " + string(f), func(s *fakehub.Server, c *hubspot.Client) error {
			s.FailNext(8, f, "")
			return list(c)
		}})
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			s, h := fakePortal(t, fakehub.Config{Scale: 20, DailyLimit: 1000})
			err := st.run(s, h.client)
			if err == nil {
				t.Fatal("no error")
			}
			if hubspot.UserMessage(err) == "" {
				t.Error("no user message")
			}
			var api *hubspot.APIError
			if strings.HasPrefix(st.name, "exhausted") && (!errors.As(err, &api) || api.Attempts != hubspot.DefaultMaxAttempts) {
				t.Errorf("not exhausted: %v", err)
			}
			h.assertNoToken(t, err)
		})
	}
	t.Run("daily and auth", func(t *testing.T) {
		_, h := fakePortal(t, fakehub.Config{Scale: 20, DailyLimit: 1})
		_ = list(h.client)
		err := list(h.client)
		var de *hubspot.DailyLimitError
		if !errors.As(err, &de) {
			t.Fatalf("%T %v", err, err)
		}
		h.assertNoToken(t, err)
		bad := newHarnessAs(token+"-revoked", h.clock, h.baseURL)
		err = list(bad.client)
		if !errors.As(err, new(*hubspot.AuthError)) {
			t.Fatalf("%T %v", err, err)
		}
		bad.assertNoToken(t, err)
	})
}
