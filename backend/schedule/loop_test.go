package schedule

import (
	"context"
	"errors"
	"testing"
	"time"

	"hubextract/backend/testkit"
)

// world is what a loop looks at in a test: runs recorded at virtual times,
// and whether the app is busy.
type world struct {
	clk    *testkit.Clock
	runs   []time.Time
	busy   bool
	fail   error
	took   time.Duration // how long a run takes
	failed []error
}

func (w *world) loop(spec Spec) *Loop {
	return &Loop{
		Clock: w.clk,
		Spec:  func() Spec { return spec },
		Last: func(context.Context) (time.Time, error) {
			if len(w.runs) == 0 {
				return time.Time{}, nil
			}
			return w.runs[len(w.runs)-1], nil
		},
		Busy: func() bool { return w.busy },
		Run: func(ctx context.Context) error {
			if w.fail != nil {
				return w.fail
			}
			w.runs = append(w.runs, w.clk.Now())
			w.clk.Advance(w.took)
			return nil
		},
		Failed: func(err error) { w.failed = append(w.failed, err) },
	}
}

func TestLoopStep(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	ctx := context.Background()
	tests := []struct {
		name string
		spec Spec
		// setup prepares the world; steps are advances between Steps.
		setup   func(w *world)
		steps   []time.Duration
		want    []Outcome
		wantRun int
	}{
		{name: "Due", spec: Spec{Kind: Hours, EveryHours: 2}, setup: func(w *world) { w.runs = []time.Time{t0.Add(-2 * time.Hour)} },
			steps: []time.Duration{0, time.Hour, time.Hour}, want: []Outcome{Ran, Idle, Ran}, wantRun: 2},
		{name: "PostponedWhileBusy", spec: Spec{Kind: Hours, EveryHours: 1}, setup: func(w *world) { w.busy = true },
			steps: []time.Duration{0, time.Minute}, want: []Outcome{Postponed, Postponed}, wantRun: 0},
		{name: "MissedSlotsRunOnce", spec: Spec{Kind: Daily, At: "07:00"},
			setup: func(w *world) { w.runs = []time.Time{t0.AddDate(0, 0, -5)} },
			steps: []time.Duration{0, 0, time.Hour}, want: []Outcome{Ran, Idle, Idle}, wantRun: 1},
		{name: "OverlongRunIsFollowedByOne", spec: Spec{Kind: Hours, EveryHours: 1},
			setup: func(w *world) { w.took = 3 * time.Hour },
			steps: []time.Duration{0, 0, 0}, want: []Outcome{Ran, Ran, Ran}, wantRun: 3},
		{name: "OffDoesNothing", spec: Spec{Kind: Off}, steps: []time.Duration{0, 24 * time.Hour}, want: []Outcome{Idle, Idle}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &world{clk: testkit.NewClock(t0)}
			if tc.setup != nil {
				tc.setup(w)
			}
			start := len(w.runs)
			l := w.loop(tc.spec)
			for i, adv := range tc.steps {
				w.clk.Advance(adv)
				got, _ := l.Step(ctx)
				if got != tc.want[i] {
					t.Errorf("step %d = %v, want %v", i, got, tc.want[i])
				}
			}
			if n := len(w.runs) - start; n != tc.wantRun {
				t.Errorf("runs = %d, want %d (%v)", n, tc.wantRun, w.runs)
			}
			if tc.name == "OverlongRunIsFollowedByOne" {
				for i := 1; i < len(w.runs); i++ {
					if w.runs[i].Sub(w.runs[i-1]) < w.took {
						t.Errorf("runs overlap: %v", w.runs)
					}
				}
			}
		})
	}
}

// A refresh that fails before recording a run is not retried at once: the
// loop waits for the next slot, and says what failed.
func TestLoopFailureWaitsForNextSlot(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	w := &world{clk: testkit.NewClock(t0), fail: errors.New("no key")}
	l := w.loop(Spec{Kind: Hours, EveryHours: 4})
	ctx := context.Background()
	if got, _ := l.Step(ctx); got != Ran {
		t.Fatalf("first step = %v, want Ran", got)
	}
	got, wait := l.Step(ctx)
	if got != Idle || wait != time.Minute {
		t.Errorf("after a failure: %v, wait %v; want Idle, 1m", got, wait)
	}
	if len(w.failed) != 1 {
		t.Errorf("failures heard = %v, want one", w.failed)
	}
	w.clk.Advance(4 * time.Hour)
	if got, _ := l.Step(ctx); got != Ran {
		t.Errorf("next slot = %v, want Ran", got)
	}
}

// RunLoop sleeps on the clock between slots and stops with its context.
func TestRunLoop(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	w := &world{clk: testkit.NewClock(t0)}
	l := w.loop(Spec{Kind: Hours, EveryHours: 6})
	ctx, cancel := context.WithCancel(context.Background())
	run := l.Run
	l.Run = func(ctx context.Context) error {
		err := run(ctx)
		if len(w.runs) == 4 {
			cancel()
		}
		return err
	}
	l.RunLoop(ctx)
	want := []time.Time{t0, t0.Add(6 * time.Hour), t0.Add(12 * time.Hour), t0.Add(18 * time.Hour)}
	if len(w.runs) != len(want) {
		t.Fatalf("runs = %v, want %v", w.runs, want)
	}
	for i := range want {
		if !w.runs[i].Equal(want[i]) {
			t.Errorf("run %d at %v, want %v", i, w.runs[i], want[i])
		}
	}
}
