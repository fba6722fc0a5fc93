package hubspot_test

// Sessions of one account's client: one budget between them, their own
// counts.

import (
	"context"
	"sync"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
)

// TestSessionsShareTheAccountsBudget: two sessions of one client, each used
// by its own goroutine against the fake at its limit of 100 calls per
// rolling 10 s, get no 429 between them: they wait on the client's
// limiters. Each session counts (and observes) only its own calls; the
// client counts and observes both.
func TestSessionsShareTheAccountsBudget(t *testing.T) {
	const perSession = 300
	tests := []struct {
		name string
		// turns: the goroutines call in turn, one call at a time, so the
		// virtual clock moves as real time would and the pace is exact;
		// otherwise they call at once (concurrent sleeps add up on the
		// virtual clock, so only the counts are exact).
		turns bool
	}{
		{name: "in turns", turns: true},
		{name: "at once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, h := fakePortal(t, fakehub.Config{Seed: 5, Scale: 50, RatePer10s: 100})
			recs := []*recorder{{}, {}}
			sessions := []*hubspot.Client{h.client.Session(recs[0], hubspot.RetryPolicy{}),
				h.client.Session(recs[1], hubspot.RetryPolicy{})}
			// turn[i] lets session i make its next call.
			turn := []chan struct{}{make(chan struct{}, 1), make(chan struct{}, 1)}
			start := h.clock.Now()
			var wg sync.WaitGroup
			for i, c := range sessions {
				wg.Go(func() {
					for range perSession {
						if tt.turns {
							<-turn[i]
						}
						_, err := list(context.Background(), c)
						if tt.turns {
							turn[1-i] <- struct{}{}
						}
						if err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			if tt.turns {
				turn[0] <- struct{}{}
			}
			wg.Wait()
			elapsed := h.clock.Now().Sub(start)

			if st := s.Stats(); st.Status429 != 0 || st.Total != 2*perSession {
				t.Errorf("the fake answered %d calls with %d 429s, want %d and none", st.Total, st.Status429, 2*perSession)
			}
			for i, c := range sessions {
				if c.Calls() != perSession || c.Retries() != 0 || len(recs[i].All()) != perSession {
					t.Errorf("session %d counts %d calls, %d retries, observed %d; want its own %d",
						i, c.Calls(), c.Retries(), len(recs[i].All()), perSession)
				}
			}
			if h.client.Calls() != 2*perSession || len(h.rec.All()) != 2*perSession {
				t.Errorf("the client counts %d calls and observed %d, want both sessions' %d",
					h.client.Calls(), len(h.rec.All()), 2*perSession)
			}
			perSec := float64(2*perSession) / elapsed.Seconds()
			if perSec > hubspot.SustainedRate(100)*1.01 || tt.turns && perSec < 9.3 {
				t.Errorf("both sessions together at %.2f calls/s, want ≈ %.2f (the client's rate at 100 per 10 s)",
					perSec, hubspot.SustainedRate(100))
			}
		})
	}
}
