package extract

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
)

// meter is the client's Observer: it attributes every HTTP attempt to the
// stream it served, from the endpoint name the client gives each call
// ("list contacts", "associations deals→contacts", "owners", "forms", ...),
// and turns retries into log events in plain words.
type meter struct {
	report func(progress.Event)
	now    func() time.Time
	// formsList is the stream the forms list serves: forms, or
	// form_submissions when only the submissions are selected.
	formsList string

	mu     sync.Mutex
	counts map[string]*callCount
	// trips are the round trips of the last answered calls, for the
	// split planner.
	trips [64]time.Duration
	nTrip int
}

// callCount: exempt calls are those HubSpot does not charge to the
// ten-second budget (the client did not either); searches spend the
// search endpoints' own.
type callCount struct{ calls, retries, exempt, search int64 }

func newMeter(report func(progress.Event), now func() time.Time) *meter {
	return &meter{report: report, now: now, counts: map[string]*callCount{}, formsList: catalog.Forms}
}

// selected tells the meter the run's selection, before any stream's call.
func (m *meter) selected(selection []string) {
	if !slices.Contains(selection, catalog.Forms) {
		m.formsList = catalog.FormSubmissions
	}
}

// streamOf names the stream an endpoint belongs to: the object type for
// reads of records, properties and associations (the side whose records
// are completed), metadataStream for owners and pipelines, the marketing
// stream for its endpoint.
func (m *meter) streamOf(endpoint string) string {
	switch endpoint {
	case "forms":
		return m.formsList
	case "form submissions":
		return catalog.FormSubmissions
	case "email events":
		return catalog.EmailEvents
	}
	verb, rest, _ := strings.Cut(endpoint, " ")
	switch verb {
	case "list", "search", "properties":
		return rest
	case "batch": // "batch read contacts"
		return strings.TrimPrefix(rest, "read ")
	case "associations": // "associations deals→contacts"
		from, _, _ := strings.Cut(rest, "→")
		return from
	case "owners", "pipelines", "account", "schemas":
		return metadataStream
	}
	return ""
}

func (m *meter) ObserveCall(ci hubspot.CallInfo) {
	stream := m.streamOf(ci.Endpoint)
	m.mu.Lock()
	c := m.counts[stream]
	if c == nil {
		c = &callCount{}
		m.counts[stream] = c
	}
	c.calls++
	if ci.Attempt > 1 {
		c.retries++
	}
	if ci.Exempt {
		c.exempt++
	}
	if strings.HasPrefix(ci.Endpoint, "search ") {
		c.search++
	}
	if ci.Status >= 200 && ci.Status < 300 && ci.Duration > 0 {
		m.trips[m.nTrip%len(m.trips)] = ci.Duration
		m.nTrip++
	}
	m.mu.Unlock()
	if ci.FallbackTo != "" {
		m.report(progress.Event{
			Kind: progress.KindLog, Time: m.now(), Stream: stream, Level: progress.LevelWarn,
			Message: fmt.Sprintf("%s: HubSpot does not serve the date-based route %s; this run uses the legacy route %s for it",
				ci.Endpoint, ci.Path, ci.FallbackTo),
		})
	}
	if ci.WillRetry {
		m.report(progress.Event{
			Kind: progress.KindLog, Time: m.now(), Stream: stream, Level: progress.LevelWarn,
			Message: fmt.Sprintf("%s: %s; trying again in %s (attempt %d)",
				ci.Endpoint, hubspot.Answer(ci), ci.Wait.Round(100*time.Millisecond), ci.Attempt+1),
		})
	}
}

// of returns the calls, retries and exempt calls attributed to stream so
// far.
func (m *meter) of(stream string) callCount {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.counts[stream]; c != nil {
		return *c
	}
	return callCount{}
}

// all is the whole run's counts.
func (m *meter) all() callCount {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n callCount
	for _, c := range m.counts {
		n.calls += c.calls
		n.retries += c.retries
		n.exempt += c.exempt
		n.search += c.search
	}
	return n
}

// rtt is the median round trip of the last answered calls; 0 before any.
func (m *meter) rtt() time.Duration {
	m.mu.Lock()
	trips := slices.Clone(m.trips[:min(m.nTrip, len(m.trips))])
	m.mu.Unlock()
	if len(trips) == 0 {
		return 0
	}
	slices.Sort(trips)
	return trips[len(trips)/2]
}
