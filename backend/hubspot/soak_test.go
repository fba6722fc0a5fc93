package hubspot_test

// Measurements for the closing note, run on demand:
//
//	HUBEXTRACT_SOAK=1 go test -run Soak -v -count=1 ./backend/hubspot
//
// (a) calls per second sustained against the fake at its limit, real time;
// (b) 429s in a 5,000-call run at default settings, fake clock;
// (c) 10,000 calls at 10 % faults with no page lost or repeated.

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

func soak(t *testing.T) {
	if os.Getenv("HUBEXTRACT_SOAK") != "1" {
		t.Skip("set HUBEXTRACT_SOAK=1 to run the soak measurements")
	}
}

// TestSoakSustainedRate: eight workers keep the limiter busy for 30 s
// against a fake enforcing 100 per rolling 10 s with HubSpot-like latency
// (250 ms ± 100 ms), on the real clock.
func TestSoakSustainedRate(t *testing.T) {
	soak(t)
	const workers, run = 8, 30 * time.Second
	s := fakehub.New(fakehub.Config{Token: token, Seed: 1, Scale: 2000, RatePer10s: 100,
		Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond})
	url := testkit.Serve(t, s)
	c := hubspot.New(token, hubspot.WithBaseURL(url))
	types := s.Truth().Types()
	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			after := ""
			typ := types[w%len(types)]
			for ctx.Err() == nil {
				p, err := c.ListObjects(ctx, typ, hubspot.ListParams{After: after, Limit: 10})
				if err != nil {
					if ctx.Err() == nil {
						t.Error(err)
					}
					return
				}
				after = p.Next
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	st := s.Stats()
	perSec := float64(st.Total) / elapsed.Seconds()
	t.Logf("(a) %d calls (client attempts %d) in %v with %d workers: %.2f calls/s sustained (limit 10/s); %d 429s",
		st.Total, c.Calls(), elapsed.Round(time.Millisecond), workers, perSec, st.Status429)
	if st.Status429 != 0 || perSec < 9 {
		t.Errorf("%d 429s at %.2f calls/s", st.Status429, perSec)
	}
}

// TestSoak5000Calls: one client at default settings, no latency (so the
// limiter alone sets the pace), lists with a search every fifth call.
func TestSoak5000Calls(t *testing.T) {
	soak(t)
	s, h := fakePortal(t, fakehub.Config{Seed: 2, Scale: 2000, RatePer10s: 100, SearchRatePerSec: 4})
	start := h.clock.Now()
	mixedLoad(t, h.client, s.Truth().Types(), 5000)
	virt := h.clock.Now().Sub(start)
	st := s.Stats()
	t.Logf("(b) %d calls (%d searches) over %v of virtual time: %.2f calls/s, %d 429s, %d retries",
		st.Total, st.ByType["search contacts"], virt.Round(time.Second), float64(st.Total)/virt.Seconds(), st.Status429, h.client.Retries())
	if st.Status429 != 0 {
		t.Errorf("%d 429s", st.Status429)
	}
}

// TestSoakFaults: whole list extractions of every type, active and
// archived, repeated until 10,000 calls, with 10 % of calls faulted (every
// kind); each extraction must return exactly the fake's records, in order,
// each once.
func TestSoakFaults(t *testing.T) {
	soak(t)
	s, h := fakePortal(t, fakehub.Config{Seed: 4, Scale: 2000, RatePer10s: 100,
		Faults: fakehub.Faults{Rate: 0.10, Seed: 42}})
	c := h.client
	truth := s.Truth()
	started := time.Now()
	runs, pages, records := 0, 0, 0
	for c.Calls() < 10_000 {
		runs++
		for _, typ := range truth.Types() {
			for _, archived := range []bool{false, true} {
				list := listAll(t, c, typ, hubspot.ListParams{Archived: archived})
				pages += len(list)
				got := objectIDs(list)
				if want := truth.IDs(typ, archived); !slices.Equal(got, want) {
					t.Fatalf("run %d %s archived=%v: %d records, want %d", runs, typ, archived, len(got), len(want))
				}
				records += len(got)
			}
		}
	}
	st := s.Stats()
	t.Logf("(c) %d calls reached the fake (client attempts %d), %d faulted (%d 429s, %d other), %d retries; %d extractions, %d pages, %d records, 0 pages lost or repeated; %v real time",
		st.Total, c.Calls(), st.Status429+st.StatusErrors, st.Status429, st.StatusErrors, c.Retries(), runs, pages, records,
		time.Since(started).Round(time.Millisecond))
}
