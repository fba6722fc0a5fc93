// Package clock owns the notion of time shared by the HubSpot client, the
// fake HubSpot server and the extractor, so tests can run hours of rate-limit
// windows and backoffs in microseconds. It must not import any other backend
// package.
package clock

import (
	"context"
	"time"
)

// Clock tells the time and waits. Sleep returns early with ctx.Err() when the
// context ends first.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time { return time.Now() }

func (Real) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
