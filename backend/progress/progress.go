// Package progress owns the small interface through which long operations (the
// extraction engine first) report what they are doing: per-stream progress
// (records so far, total, calls, rate, ETA) and log lines in plain words. It
// knows nothing of terminals or Wails: the CLI renders events as text, and
// the app turns them into window events (backend/workspace emits them through
// its Emitter). It must not import any other backend package but clock.
package progress

import (
	"sync"
	"time"

	"hubextract/backend/clock"
)

// Kind tells a progress update from a log line.
type Kind string

const (
	KindProgress Kind = "progress"
	KindLog      Kind = "log"
)

// Phases of a stream, in the order they usually come.
const (
	PhaseWaiting      = "waiting"      // queued behind other streams
	PhasePlanning     = "planning"     // property definitions and the total
	PhaseRecords      = "records"      // listing the records
	PhaseArchived     = "archived"     // listing the archived records
	PhaseAssociations = "associations" // completing overflowed associations
	PhaseDone         = "done"
	PhaseFailed       = "failed"
	PhaseCancelled    = "cancelled"
	PhaseSkipped      = "skipped" // finished by an earlier, interrupted run
	// PhaseUnavailable: HubSpot refused the type for a scope the key
	// lacks; nothing was read, and the run is not failed by it.
	PhaseUnavailable = "unavailable"
)

// Log levels.
const (
	LevelInfo  = "info"
	LevelWarn  = "warn"
	LevelError = "error"
)

// Event is one report. For KindProgress the counters are the stream's totals
// so far in this run; for KindLog only Stream (may be ""), Level and Message
// matter.
type Event struct {
	Kind    Kind          `json:"kind"`
	Time    time.Time     `json:"time"`
	Stream  string        `json:"stream"` // "" for the run as a whole
	Phase   string        `json:"phase,omitempty"`
	Records int64         `json:"records"`
	Total   int64         `json:"total"` // -1: unknown
	Calls   int64         `json:"calls"`
	Rate    float64       `json:"rate"` // records per second
	ETA     time.Duration `json:"eta"`  // -1: unknown
	// Final marks the last progress event of a stream (done, failed,
	// cancelled or skipped): a throttle always lets it through.
	Final   bool   `json:"final,omitempty"`
	Level   string `json:"level,omitempty"`
	Message string `json:"message,omitempty"`
}

// Reporter receives events. Implementations must be safe for concurrent use
// and return quickly: the engine calls Report from its working goroutines.
type Reporter interface{ Report(Event) }

// Nop discards every event.
type Nop struct{}

func (Nop) Report(Event) {}

// DefaultInterval keeps a stream to about ten progress events a second.
const DefaultInterval = 100 * time.Millisecond

// Throttle passes on at most one progress event per interval per stream,
// always including a stream's first event, its final event and every event
// that changes its phase; log events always pass. Dropped events are not
// replayed: the next passed event carries the newer counters anyway.
func Throttle(next Reporter, clk clock.Clock, interval time.Duration) Reporter {
	if clk == nil {
		clk = clock.Real{}
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &throttle{next: next, clk: clk, interval: interval, last: map[string]passed{}}
}

type passed struct {
	at    time.Time
	phase string
}

type throttle struct {
	next     Reporter
	clk      clock.Clock
	interval time.Duration

	mu   sync.Mutex
	last map[string]passed
}

func (t *throttle) Report(e Event) {
	if e.Kind == KindLog || t.admit(e) {
		t.next.Report(e)
	}
}

func (t *throttle) admit(e Event) bool {
	now := t.clk.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	prev, seen := t.last[e.Stream]
	if seen && !e.Final && e.Phase == prev.phase && now.Sub(prev.at) < t.interval {
		return false
	}
	t.last[e.Stream] = passed{at: now, phase: e.Phase}
	return true
}
