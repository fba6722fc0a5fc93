package schedule

import (
	"context"
	"time"

	"hubextract/backend/clock"
)

// Loop runs a refresh whenever its schedule says one is due, on Clock. It
// runs one refresh at a time (Run returns before the next is considered),
// so a run longer than the interval is followed by one run, never a queue.
type Loop struct {
	Clock clock.Clock
	// Spec is the schedule in force; asked before every decision, so a
	// change applies within Poll.
	Spec func() Spec
	// Last is when the last run started (zero: never), whatever started it:
	// a refresh clicked an hour ago counts.
	Last func(ctx context.Context) (time.Time, error)
	// Busy reports whether a run or an export is going: a due refresh
	// waits for it (checked again after Poll).
	Busy func() bool
	// Run refreshes; its error goes to Failed.
	Run func(ctx context.Context) error
	// Failed hears about a refresh that failed (nil: nobody).
	Failed func(err error)
	// Poll is the longest sleep between decisions (default one minute).
	Poll time.Duration

	// tried is when this loop last ran a refresh: one that failed before
	// recording a run must not be retried at once, again and again.
	tried time.Time
}

// Outcome is what one Step did.
type Outcome int

const (
	Idle      Outcome = iota // nothing due (or the schedule is off)
	Ran                      // a refresh ran
	Postponed                // one was due, but the app was busy
)

// Step decides once: it runs the refresh if one is due and the app is not
// busy. It returns what it did and how long to wait before the next Step.
func (l *Loop) Step(ctx context.Context) (Outcome, time.Duration) {
	poll := l.Poll
	if poll <= 0 {
		poll = time.Minute
	}
	spec := l.Spec()
	if spec.IsOff() {
		return Idle, poll
	}
	now := l.Clock.Now()
	last, err := l.Last(ctx)
	if err != nil {
		l.fail(err)
		return Idle, poll
	}
	if l.tried.After(last) {
		last = l.tried
	}
	next, ok := spec.Next(last, now)
	if !ok {
		return Idle, poll
	}
	if next.After(now) {
		return Idle, min(next.Sub(now), poll)
	}
	if l.Busy() {
		return Postponed, poll
	}
	l.tried = now
	if err := l.Run(ctx); err != nil && ctx.Err() == nil {
		l.fail(err)
	}
	return Ran, 0
}

func (l *Loop) fail(err error) {
	if l.Failed != nil {
		l.Failed(err)
	}
}

// RunLoop steps until ctx ends.
func (l *Loop) RunLoop(ctx context.Context) {
	for ctx.Err() == nil {
		_, wait := l.Step(ctx)
		if wait <= 0 {
			continue
		}
		if l.Clock.Sleep(ctx, wait) != nil {
			return
		}
	}
}
