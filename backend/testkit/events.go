package testkit

import (
	"slices"
	"sync"

	"hubextract/backend/progress"
)

// Events records the progress events and log lines an operation reports;
// it is safe for concurrent use.
type Events struct {
	mu     sync.Mutex
	events []progress.Event
}

// Report implements progress.Reporter.
func (r *Events) Report(e progress.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// All returns every event so far, in order.
func (r *Events) All() []progress.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

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
