package bench

import (
	"context"
	"time"

	"hubextract/backend/clock"
)

// scaledClock runs Factor times faster than the wall clock from Start on,
// reading Origin at Start. Two processes given the same three values agree
// on the time (both read the wall clock), which is how the fake served by
// the harness and the client in a strategy's process share it: the fake's
// latency and rate windows, and the client's limiter and backoff, all pass
// Factor times faster, while CPU work takes its real time (and so counts
// Factor times over: see chooseFactor).
type scaledClock struct {
	Origin time.Time
	Start  time.Time
	Factor float64
}

// newScaledClock starts a clock of factor now; it reads the real time at
// first. Wall-clock readings only (no monotonic part): a child process
// rebuilds it from the same numbers.
func newScaledClock(factor float64) scaledClock {
	now := time.Now().Round(0)
	return scaledClock{Origin: now, Start: now, Factor: factor}
}

func (c scaledClock) Now() time.Time {
	real := time.Now().Round(0).Sub(c.Start)
	return c.Origin.Add(time.Duration(float64(real) * c.Factor))
}

// Sleep waits d on this clock: d/Factor of real time.
func (c scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return clock.Real{}.Sleep(ctx, time.Duration(float64(d)/c.Factor))
}
