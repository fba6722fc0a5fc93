package extract

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestAutoConcurrencyFollowsTheRate: the default concurrency grows with the
// rate limit, within its bounds.
func TestAutoConcurrencyFollowsTheRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rate, want int
	}{
		{0, AutoConcurrency(hubspot.DefaultRatePer10s)},
		{10, DefaultConcurrency},
		{50, DefaultConcurrency},
		{100, 9},
		{190, MaxConcurrency},
		{250, MaxConcurrency},
		{1000, MaxConcurrency},
	}
	for _, tt := range tests {
		if got := AutoConcurrency(tt.rate); got != tt.want {
			t.Errorf("AutoConcurrency(%d) = %d, want %d", tt.rate, got, tt.want)
		}
	}
}

// TestAutoConcurrencyKeepsTheTailAtTheFloor runs the demo-size account
// (every type, 1,000 records each) with HubSpot's latency (250 ± 100 ms)
// on synctest's fake time, where concurrent calls overlap as they do on
// the wire (testkit.Clock adds concurrent sleeps up instead). At 190 calls
// per 10 s the client sends ~18 calls a second, ~6 in flight at 0.3 s
// each: 6 streams at once leave no slack, and the end of the run, when a
// few streams still have pages, falls behind the rate (1.08-1.12 × the
// floor). Automatic concurrency keeps the wall time within 5% of the
// rate-limit floor. (At 100 calls per 10 s both are within 2%: see
// `hubextract bench`.)
func TestAutoConcurrencyKeepsTheTailAtTheFloor(t *testing.T) {
	const rate = 190
	fixed, fixedRes := fakeTimeRun(t, rate, DefaultConcurrency)
	auto, res := fakeTimeRun(t, rate, 0)
	ratio := auto.Seconds() / res.FloorSeconds
	t.Logf("floor %.2f s; %d streams at once: wall %.2f s (%.3f × the floor); automatic, %d: %.2f s (%.3f)",
		res.FloorSeconds, DefaultConcurrency, fixed.Seconds(), fixed.Seconds()/fixedRes.FloorSeconds,
		AutoConcurrency(rate), auto.Seconds(), ratio)
	if ratio > 1.05 {
		t.Errorf("automatic: wall %.2f s is %.3f × the floor %.2f s, more than 1.05", auto.Seconds(), ratio, res.FloorSeconds)
	}
	if auto > fixed {
		t.Errorf("automatic took %.2f s, %d streams at once %.2f s", auto.Seconds(), DefaultConcurrency, fixed.Seconds())
	}
}

// fakeTimeRun extracts everything from a demo-size fake with HubSpot's
// latency at rate calls per 10 s, in a synctest bubble: the client, the
// fake and the engine all on the bubble's clock (clock.Real, their
// default, reads it inside a bubble), the requests over
// in-memory connections (a goroutine waiting on a socket would keep the
// clock from moving). It returns the run's time on that clock.
func fakeTimeRun(t *testing.T, rate, concurrency int) (wall time.Duration, res Result) {
	synctest.Test(t, func(t *testing.T) {
		fake := fakehub.New(fakehub.Config{Seed: 1, Scale: 1000, RatePer10s: rate, SearchRatePerSec: 5,
			Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond})
		l := newPipeListener()
		srv := &http.Server{Handler: fake}
		go srv.Serve(l)
		defer srv.Close()
		client := newPipeClient(l, rate)
		db := testkit.OpenDB(t)
		start := time.Now()
		var err error
		res, err = Run(t.Context(), db, Options{Client: client, Concurrency: concurrency})
		wall = time.Since(start)
		if err != nil || res.Status != store.StatusSucceeded {
			t.Fatalf("run: %v %s %s", err, res.Status, res.Error)
		}
		if st := fake.Stats(); st.Status429 > 0 {
			t.Errorf("%d 429s", st.Status429)
		}
	})
	return wall, res
}

// newPipeClient is a HubSpot client whose connections are l's. The client
// takes its transport from http.DefaultTransport when made, so that is
// swapped for the moment.
func newPipeClient(l *pipeListener, rate int) *hubspot.Client {
	def := http.DefaultTransport
	defer func() { http.DefaultTransport = def }()
	http.DefaultTransport = &http.Transport{DialContext: l.dial}
	return hubspot.New("demo-token", hubspot.WithBaseURL("http://hubspot.test"), hubspot.WithRateLimit(rate))
}

// pipeListener hands the server one end of an in-memory connection for
// each dial.
type pipeListener struct {
	conns     chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "hubspot.test" }
