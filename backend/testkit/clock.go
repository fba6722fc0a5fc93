// Package testkit holds what the tests of several packages share: a virtual
// clock, a temporary database, an httptest server for a handler (the fake
// HubSpot) and a recorder of progress events. Only tests import it; it must
// not import backend/fakehub, backend/hubspot or anything above backend/store,
// so that those packages' own tests can use it too.
package testkit

import (
	"context"
	"sync"
	"time"
)

// Clock is a virtual clock: Sleep never blocks, it moves the clock forward by
// the time slept. A single goroutine therefore sees exactly the times a real
// run would; concurrent sleepers add up (virtual time is then an upper bound),
// which keeps tests deterministic and fast.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a virtual clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

func (f *Clock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if d > 0 {
		f.now = f.now.Add(d)
	}
	return nil
}

// Advance moves the clock forward by d (tests use it to let a window pass).
func (f *Clock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d > 0 {
		f.now = f.now.Add(d)
	}
}
