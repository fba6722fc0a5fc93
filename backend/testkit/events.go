package testkit

import (
	"slices"
	"sync"

	"hubextract/backend/progress"
)

// Log keeps, in order, what a test is told (progress events, calls seen
// by an observer); it is safe for concurrent use.
type Log[T any] struct {
	mu    sync.Mutex
	items []T
}

// Add appends v.
func (l *Log[T]) Add(v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, v)
}

// All returns everything so far, in order.
func (l *Log[T]) All() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.items)
}

// Events records the progress events and log lines an operation reports:
// a progress.Reporter.
type Events struct{ Log[progress.Event] }

// Report implements progress.Reporter.
func (r *Events) Report(e progress.Event) { r.Add(e) }

// Logs returns the messages of the log lines so far.
func (r *Events) Logs() []string {
	var out []string
	for _, e := range r.All() {
		if e.Kind == progress.KindLog {
			out = append(out, e.Message)
		}
	}
	return out
}
