package progress

import (
	"sync"
	"testing"
	"time"

	"hubextract/backend/clock"
)

type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Report(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) records() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int64
	for _, e := range r.events {
		out = append(out, e.Records)
	}
	return out
}

func TestThrottle(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		advance time.Duration
		event   Event
	}
	prog := func(stream, phase string, n int64) Event {
		return Event{Kind: KindProgress, Stream: stream, Phase: phase, Records: n}
	}
	tests := []struct {
		name  string
		steps []step
		want  []int64 // Records of the events passed on, in order
	}{
		{
			name: "FirstPassesThenAtMostOnePerInterval",
			steps: []step{
				{0, prog("contacts", PhaseRecords, 1)},
				{10 * time.Millisecond, prog("contacts", PhaseRecords, 2)},
				{50 * time.Millisecond, prog("contacts", PhaseRecords, 3)},
				{40 * time.Millisecond, prog("contacts", PhaseRecords, 4)}, // 100 ms after the first
				{99 * time.Millisecond, prog("contacts", PhaseRecords, 5)},
				{time.Millisecond, prog("contacts", PhaseRecords, 6)},
			},
			want: []int64{1, 4, 6},
		},
		{
			name: "FinalAlwaysPasses",
			steps: []step{
				{0, prog("deals", PhaseRecords, 1)},
				{time.Millisecond, Event{Kind: KindProgress, Stream: "deals", Phase: PhaseDone, Records: 9, Final: true}},
			},
			want: []int64{1, 9},
		},
		{
			name: "PhaseChangePasses",
			steps: []step{
				{0, prog("deals", PhaseRecords, 1)},
				{time.Millisecond, prog("deals", PhaseArchived, 2)},
				{time.Millisecond, prog("deals", PhaseArchived, 3)},
			},
			want: []int64{1, 2},
		},
		{
			name: "StreamsAreThrottledSeparately",
			steps: []step{
				{0, prog("contacts", PhaseRecords, 1)},
				{time.Millisecond, prog("companies", PhaseRecords, 2)},
				{time.Millisecond, prog("contacts", PhaseRecords, 3)},
				{time.Millisecond, prog("companies", PhaseRecords, 4)},
			},
			want: []int64{1, 2},
		},
		{
			name: "LogsAlwaysPass",
			steps: []step{
				{0, prog("contacts", PhaseRecords, 1)},
				{0, Event{Kind: KindLog, Stream: "contacts", Records: 7, Message: "retrying"}},
				{0, Event{Kind: KindLog, Stream: "contacts", Records: 8, Message: "retrying"}},
			},
			want: []int64{1, 7, 8},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewFake(start)
			rec := &recorder{}
			th := Throttle(rec, clk, DefaultInterval)
			for _, s := range tt.steps {
				clk.Advance(s.advance)
				th.Report(s.event)
			}
			got := rec.records()
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
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	rec := &recorder{}
	th := Throttle(rec, clk, 0) // 0: the default interval
	for i := range 10_000 {     // one event per millisecond for 10 s
		th.Report(Event{Kind: KindProgress, Stream: "notes", Phase: PhaseRecords, Records: int64(i)})
		clk.Advance(time.Millisecond)
	}
	if n := len(rec.records()); n < 95 || n > 101 {
		t.Errorf("passed %d events in 10 s, want about 100", n)
	}
}

func TestNopAndFunc(t *testing.T) {
	Nop{}.Report(Event{})
	var got Event
	Func(func(e Event) { got = e }).Report(Event{Stream: "x"})
	if got.Stream != "x" {
		t.Errorf("Func did not forward the event: %+v", got)
	}
}
