package workspace

import (
	"slices"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/progress"
)

// UpdateInterval spaces the updates sent to the window: ten a second is
// smooth to watch and light on the page, whatever the number of streams.
const UpdateInterval = 100 * time.Millisecond

// Update is one progress report for the Extract screen: every stream's
// figures so far, the run's totals, and the log lines new since the last
// update.
type Update struct {
	Streams []StreamProgress `json:"streams"` // metadata first, then the types in screen order
	Overall Overall          `json:"overall"`
	Logs    []LogLine        `json:"logs"`
}

// StreamProgress is one stream's progress bar.
type StreamProgress struct {
	Stream  string  `json:"stream"`
	Label   string  `json:"label"`
	Phase   string  `json:"phase"` // waiting, planning, records, archived, associations, done, failed, cancelled, skipped
	Records int64   `json:"records"`
	Total   int64   `json:"total"` // -1: not known yet
	Calls   int64   `json:"calls"`
	Rate    float64 `json:"rate"` // records per second
	// ETASeconds is the time left; -1 when unknown.
	ETASeconds float64 `json:"etaSeconds"`
	// Percent is how far the stream is, 0–100; -1 while unknown.
	Percent float64 `json:"percent"`
	Final   bool    `json:"final"`
}

// Overall is the run's bar: records over the known totals.
type Overall struct {
	Records    int64   `json:"records"`
	Total      int64   `json:"total"` // over the streams whose total is known
	Calls      int64   `json:"calls"`
	Percent    float64 `json:"percent"` // -1 while no total is known
	ETASeconds float64 `json:"etaSeconds"`
	Done       int     `json:"done"`    // streams ended
	Streams    int     `json:"streams"` // streams seen
}

// LogLine is one line of the run's log, in plain words.
type LogLine struct {
	Time    string `json:"time"` // RFC 3339
	Stream  string `json:"stream"`
	Level   string `json:"level"` // info, warn, error
	Message string `json:"message"`
}

// keptLogs bounds the log lines a snapshot keeps.
const keptLogs = 500

// batcher is the engine's progress.Reporter for the window: it keeps each
// stream's latest event and the new log lines, and sends them as one
// Update per flush. Flushes come from a ticker (run) and once at the end.
type batcher struct {
	send func(Update)

	mu      sync.Mutex
	streams map[string]progress.Event
	logs    []LogLine // all, up to keptLogs
	unsent  int       // log lines not sent yet (the tail of logs)
	dirty   bool
}

func newBatcher(send func(Update)) *batcher {
	return &batcher{send: send, streams: map[string]progress.Event{}}
}

func (b *batcher) Report(e progress.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dirty = true
	if e.Kind == progress.KindLog {
		b.logs = append(b.logs, LogLine{Time: timeText(e.Time), Stream: e.Stream, Level: e.Level, Message: e.Message})
		b.unsent++
		if over := len(b.logs) - keptLogs; over > 0 {
			b.logs = slices.Delete(b.logs, 0, over)
			b.unsent = min(b.unsent, len(b.logs))
		}
		return
	}
	// A stream that ended stays ended: a late report (a total arriving
	// after the stream finished) only updates its figures.
	if prev, ok := b.streams[e.Stream]; ok && prev.Final && !e.Final {
		e.Final, e.Phase, e.ETA = true, prev.Phase, 0
	}
	b.streams[e.Stream] = e
}

// flush sends an Update if anything changed since the last one.
func (b *batcher) flush() {
	b.mu.Lock()
	if !b.dirty {
		b.mu.Unlock()
		return
	}
	u := b.update(b.logs[len(b.logs)-b.unsent:])
	b.unsent, b.dirty = 0, false
	b.mu.Unlock()
	b.send(u)
}

// snapshot is the whole state: every stream and every kept log line.
func (b *batcher) snapshot() Update {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.update(b.logs)
}

// run flushes every interval until stop is closed, then once more.
func (b *batcher) run(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.flush()
		case <-stop:
			b.flush()
			return
		}
	}
}

// update builds an Update (b.mu held).
func (b *batcher) update(logs []LogLine) Update {
	u := Update{Streams: make([]StreamProgress, 0, len(b.streams)), Logs: slices.Clone(logs)}
	if u.Logs == nil {
		u.Logs = []LogLine{}
	}
	u.Overall.Percent = -1
	known := false
	for _, e := range b.streams {
		sp := streamProgress(e)
		u.Streams = append(u.Streams, sp)
		u.Overall.Streams++
		u.Overall.Calls += e.Calls
		if e.Final {
			u.Overall.Done++
		} else if e.ETA > 0 {
			u.Overall.ETASeconds = max(u.Overall.ETASeconds, e.ETA.Seconds())
		}
		if e.Total >= 0 {
			known = true
			u.Overall.Total += max(e.Total, e.Records)
			u.Overall.Records += e.Records
		}
	}
	slices.SortStableFunc(u.Streams, func(a, b StreamProgress) int { return catalog.Rank(a.Stream) - catalog.Rank(b.Stream) })
	switch {
	case u.Overall.Streams > 0 && u.Overall.Done == u.Overall.Streams && allDone(u.Streams):
		u.Overall.Percent = 100
	case known && u.Overall.Total > 0:
		u.Overall.Percent = min(100, float64(u.Overall.Records)*100/float64(u.Overall.Total))
	case known:
		u.Overall.Percent = 0
	}
	return u
}

func allDone(streams []StreamProgress) bool {
	for _, s := range streams {
		if s.Phase != progress.PhaseDone && s.Phase != progress.PhaseSkipped {
			return false
		}
	}
	return true
}

// streamProgress shapes one event for the screen: a stream that ended
// well is at 100% even when HubSpot's total moved during the run.
func streamProgress(e progress.Event) StreamProgress {
	sp := StreamProgress{
		Stream: e.Stream, Label: catalog.Label(e.Stream), Phase: e.Phase, Records: e.Records, Total: e.Total,
		Calls: e.Calls, Rate: e.Rate, ETASeconds: -1, Percent: -1, Final: e.Final,
	}
	if e.ETA >= 0 && !e.Final {
		sp.ETASeconds = e.ETA.Seconds()
	}
	switch {
	case e.Final && (e.Phase == progress.PhaseDone || e.Phase == progress.PhaseSkipped):
		sp.Percent = 100
	case e.Total > 0:
		sp.Percent = min(100, float64(e.Records)*100/float64(e.Total))
	case e.Total == 0:
		sp.Percent = 0
	}
	return sp
}
