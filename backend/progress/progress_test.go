package progress_test

import (
	"hubextract/backend/progress"
	"hubextract/backend/testkit"
	"testing"
	"time"
)

// records lists the record counts of the events that passed.
func records(r *testkit.Events) []int64 {
	var out []int64
	for _, e := range r.All() {
		out = append(out, e.Records)
	}
	return out
}

func TestThrottle(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		advance time.Duration
		event   progress.Event
	}
	prog := func(stream, phase string, n int64) progress.Event {
		return progress.Event{Kind: progress.KindProgress, Stream: stream, Phase: phase, Records: n}
	}
	tests := []struct {
		name  string
		steps []step
		want  []int64 // Records of the events passed on, in order
	}{
		{
			name: "FirstPassesThenAtMostOnePerInterval",
			steps: []step{
				{0, prog("contacts", progress.PhaseRecords, 1)},
				{10 * time.Millisecond, prog("contacts", progress.PhaseRecords, 2)},
				{50 * time.Millisecond, prog("contacts", progress.PhaseRecords, 3)},
				{40 * time.Millisecond, prog("contacts", progress.PhaseRecords, 4)}, // 100 ms after the first
				{99 * time.Millisecond, prog("contacts", progress.PhaseRecords, 5)},
				{time.Millisecond, prog("contacts", progress.PhaseRecords, 6)},
			},
			want: []int64{1, 4, 6},
		},
		{
			name: "FinalAlwaysPasses",
			steps: []step{
				{0, prog("deals", progress.PhaseRecords, 1)},
				{time.Millisecond, progress.Event{Kind: progress.KindProgress, Stream: "deals", Phase: progress.PhaseDone, Records: 9, Final: true}},
			},
			want: []int64{1, 9},
		},
		{
			name: "progress.PhaseChangePasses",
			steps: []step{
				{0, prog("deals", progress.PhaseRecords, 1)},
				{time.Millisecond, prog("deals", progress.PhaseArchived, 2)},
				{time.Millisecond, prog("deals", progress.PhaseArchived, 3)},
			},
			want: []int64{1, 2},
		},
		{
			name: "StreamsAreThrottledSeparately",
			steps: []step{
				{0, prog("contacts", progress.PhaseRecords, 1)},
				{time.Millisecond, prog("companies", progress.PhaseRecords, 2)},
				{time.Millisecond, prog("contacts", progress.PhaseRecords, 3)},
				{time.Millisecond, prog("companies", progress.PhaseRecords, 4)},
			},
			want: []int64{1, 2},
		},
		{
			name: "LogsAlwaysPass",
			steps: []step{
				{0, prog("contacts", progress.PhaseRecords, 1)},
				{0, progress.Event{Kind: progress.KindLog, Stream: "contacts", Records: 7, Message: "retrying"}},
				{0, progress.Event{Kind: progress.KindLog, Stream: "contacts", Records: 8, Message: "retrying"}},
			},
			want: []int64{1, 7, 8},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := testkit.NewClock(start)
			rec := &testkit.Events{}
			th := progress.Throttle(rec, clk, progress.DefaultInterval)
			for _, s := range tt.steps {
				clk.Advance(s.advance)
				th.Report(s.event)
			}
			got := records(rec)
			if len(got) != len(tt.want) {
				t.Fatalf("passed %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("passed %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestThrottleRate checks the ~10 events/s bound over a long burst.
func TestThrottleRate(t *testing.T) {
	clk := testkit.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	rec := &testkit.Events{}
	th := progress.Throttle(rec, clk, 0) // 0: the default interval
	for i := range 10_000 {              // one event per millisecond for 10 s
		th.Report(progress.Event{Kind: progress.KindProgress, Stream: "notes", Phase: progress.PhaseRecords, Records: int64(i)})
		clk.Advance(time.Millisecond)
	}
	if n := len(records(rec)); n < 95 || n > 101 {
		t.Errorf("passed %d events in 10 s, want about 100", n)
	}
}
