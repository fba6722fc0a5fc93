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
}

// callCount: exempt calls are those HubSpot does not charge to the
// ten-second budget (the client did not either).
type callCount struct{ calls, retries, exempt int64 }

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

// exempt is how many calls of the whole run were exempt.
func (m *meter) exempt() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, c := range m.counts {
		n += c.exempt
	}
	return n
}
