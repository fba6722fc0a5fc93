package extract

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// stream is one line of the run history: the metadata, or one object type
// with its records, archived records and association completion. It ends
// when its last obligation (a task or an association group it belongs to)
// is released; a failure cancels its other tasks but no other stream.
type stream struct {
	e      *engine
	name   string
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	pending int    // obligations left
	status  string // final status once ended, "" while running
	err     error
	// unavailable is the scope the key lacks, once HubSpot refused the
	// type's first call for it (err holds the refusal).
	unavailable string
	records     int64 // written in this run
	archived    int64 // of which archived
	failed      int64
	pages       int64
	total       int64 // HubSpot's count of active records; -1 unknown
	expect      int64 // records an incremental read expects to write; -1 unknown
	planErr     error // why total is unknown
	base        int64 // records written by the interrupted runs this one resumes
	started     time.Time
	seconds     float64
	phase       string
	// listsDone: records and archived records are all saved (in this run
	// or one it resumes); listed: they were at the start of this run.
	listsDone, listedBefore bool
	props                   []string
	html                    string // the type's store.HTMLProperties, for its records' search text
	// parts of the lists still running (the walk, the split plan, the
	// ranges), and whether one failed.
	parts      int
	partFailed bool
	// The split (ranges.go): the lowest id and the last id listed, the
	// highest id counted, the cut (0: none), and whether HubSpot listed
	// out of id order.
	minID, listedTo, maxID, cut int64
	unordered                   bool
	// listEnded: the list walk of active records reached its end or the
	// cut; stealable: ranges may take the top of what it has left (see
	// steal).
	listEnded, stealable bool
	// splitMu orders a new cut before the list page that meets it: the
	// walk holds it from reading the cut to handing its page to the
	// writer, a steal from setting the cut to handing its checkpoints.
	splitMu sync.Mutex
}

func (e *engine) newStream(name string) *stream {
	s := &stream{e: e, name: name, total: -1, expect: -1, started: e.clk.Now(), phase: progress.PhaseWaiting,
		base: e.plan.base[name]}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	e.streams[name] = s
	return s
}

// hold adds an obligation the stream must wait for before it ends.
func (s *stream) hold() {
	s.mu.Lock()
	s.pending++
	s.mu.Unlock()
}

// taskContext is the run's context, also ended when this stream fails.
func (s *stream) taskContext(ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return c, func() { stop(); cancel() }
}

// fail records the stream's first error (a cancel of the run is not one) and
// stops its other tasks.
func (s *stream) fail(ctx context.Context, err error) {
	if err == nil || errCancelled(ctx, err) {
		return
	}
	s.mu.Lock()
	first := s.err == nil
	if first {
		s.err = err
		s.unavailable = s.refusedScope(err)
	}
	unavailable := s.unavailable
	s.mu.Unlock()
	if !first {
		return
	}
	s.cancel()
	if unavailable != "" {
		s.e.typeUnavailable(s, unavailable)
		return
	}
	if isFatal(err) {
		s.e.abort(err)
	}
	s.e.rep.Report(progress.Event{Kind: progress.KindLog, Time: s.e.clk.Now(), Stream: s.name,
		Level: progress.LevelError, Message: s.name + ": " + hubspot.UserMessage(err) + " (" + err.Error() + ")"})
}

// refusedScope is the scope the key lacks when err is HubSpot refusing the
// type before anything of it was read (s.mu held): the type is then
// unavailable to this key, which is how the account is, not a failure. The
// scope is the one HubSpot names, else the catalog's. A refusal after
// pages were read stays a failure (the key changed during the run), and
// the metadata stream is not a type. "" otherwise.
func (s *stream) refusedScope(err error) string {
	var se *hubspot.ScopeError
	if s.name == metadataStream || !errors.As(err, &se) || s.pages > 0 || s.records > 0 || s.props != nil {
		return ""
	}
	if len(se.Scopes) > 0 {
		return strings.Join(se.Scopes, " or ")
	}
	return cmp.Or(catalog.ReadScope(s.name), "a scope HubSpot did not name")
}

func (s *stream) failedErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// release ends one obligation; the last one ends the stream: its result
// and (for a stream that succeeded) its watermark are written together,
// with the time of its last full read when it read everything.
func (s *stream) release(ctx context.Context) {
	s.mu.Lock()
	s.pending--
	last := s.pending == 0 && s.status == "" && ctx.Err() == nil
	if last {
		s.end(store.StatusSucceeded)
	}
	s.mu.Unlock()
	if !last {
		return
	}
	res := s.result()
	err := s.e.w.write(func(ctx context.Context, tx *store.Tx) error {
		if res.Status == store.StatusSucceeded && s.name != metadataStream {
			if err := tx.SetWatermark(ctx, s.name, s.e.since, s.e.runID); err != nil {
				return err
			}
			if !s.e.incremental(s.name) {
				if err := tx.SetFullAt(ctx, s.name, s.e.since); err != nil {
					return err
				}
			}
		}
		return tx.SaveStreamResult(ctx, s.e.runID, res)
	})
	if err != nil {
		s.fail(ctx, err)
		res = s.result()
		_ = s.e.w.write(func(ctx context.Context, tx *store.Tx) error { return tx.SaveStreamResult(ctx, s.e.runID, res) })
	}
	s.report(true)
}

// abandon ends a stream the run's cancel, or another stream's fatal
// error, cut short.
func (s *stream) abandon(fatal error) {
	s.mu.Lock()
	if s.status != "" {
		s.mu.Unlock()
		return
	}
	if s.err == nil {
		s.err = fatal
	}
	s.end(store.StatusCancelled)
	s.mu.Unlock()
	res := s.result()
	// Best effort: the run's end is recorded even if this write fails.
	_ = s.e.w.write(func(ctx context.Context, tx *store.Tx) error { return tx.SaveStreamResult(ctx, s.e.runID, res) })
	s.report(true)
}

// end fixes the final status (s.mu held): a failure wins; a stream that
// found everything done by an earlier run and did nothing is skipped.
func (s *stream) end(status string) {
	calls := s.e.meter.of(s.name).calls
	switch {
	case s.unavailable != "":
		status = store.StatusUnavailable
	case s.err != nil:
		status = store.StatusFailed
	case status == store.StatusSucceeded && s.listedBefore && calls == 0 && s.records == 0:
		status = statusSkipped
	}
	s.status = status
	s.seconds = s.e.clk.Now().Sub(s.started).Seconds()
	s.phase = map[string]string{store.StatusSucceeded: progress.PhaseDone, store.StatusFailed: progress.PhaseFailed,
		store.StatusCancelled: progress.PhaseCancelled, statusSkipped: progress.PhaseSkipped,
		store.StatusUnavailable: progress.PhaseUnavailable}[status]
}

// setPhase moves the stream on; leaving the queue starts its clock, so its
// duration and rate leave out the time it waited for a worker.
func (s *stream) setPhase(p string) {
	s.mu.Lock()
	if s.phase == progress.PhaseWaiting && s.records == 0 {
		s.started = s.e.clk.Now()
	}
	s.phase = p
	s.mu.Unlock()
}

// result is the stream's line in the run history as of now.
func (s *stream) result() store.StreamResult {
	n := s.e.meter.of(s.name)
	s.mu.Lock()
	defer s.mu.Unlock()
	r := store.StreamResult{Stream: s.name, Status: store.StatusRunning, Records: s.records, Failed: s.failed,
		APICalls: n.calls, ExemptCalls: n.exempt, Pages: s.pages, Retries: n.retries, HubSpotTotal: s.total, Seconds: s.seconds}
	if s.status != "" {
		r.Status = s.status
	} else {
		r.Seconds = s.e.clk.Now().Sub(s.started).Seconds()
	}
	switch {
	case s.unavailable != "":
		r.Status, r.Error, r.Scope = store.StatusUnavailable, unavailableMsg(s.name, s.unavailable), s.unavailable
	case s.err != nil:
		r.Status, r.Error = store.StatusFailed, hubspot.UserMessage(s.err)
	}
	return r
}

// report sends the stream's progress; final marks its last event.
func (s *stream) report(final bool) {
	calls := s.e.meter.of(s.name).calls
	s.mu.Lock()
	ev := progress.Event{Kind: progress.KindProgress, Time: s.e.clk.Now(), Stream: s.name, Phase: s.phase,
		Records: s.base + s.records, Total: -1, Calls: calls, ETA: -1, Final: final}
	switch {
	case s.e.incremental(s.name):
		if s.expect >= 0 {
			ev.Total = max(s.expect, ev.Records)
		}
	case s.total >= 0:
		// Records of an interrupted run this one resumes are part of total.
		ev.Total = s.total + s.archived
		if s.phase == progress.PhaseArchived || s.listsDone {
			ev.Total = max(ev.Total, ev.Records)
		}
	}
	if final && s.status == store.StatusSucceeded && (ev.Total < 0 || s.e.incremental(s.name)) {
		ev.Total = ev.Records // a read whose size was not known ahead is complete
	}
	if secs := s.e.clk.Now().Sub(s.started).Seconds(); secs > 0 && s.records > 0 {
		ev.Rate = float64(s.records) / secs
		if ev.Total >= 0 {
			ev.ETA = time.Duration(float64(max(ev.Total-ev.Records, 0)) / ev.Rate * float64(time.Second))
		}
	}
	s.mu.Unlock()
	if final {
		ev.ETA = 0
	}
	s.e.rep.Report(ev)
}

// unavailableMsg says, once per run and type, that the type was left out
// and what would add it: "tickets: not extracted: the key lacks tickets;
// add it to the key in HubSpot to include them".
func unavailableMsg(name, scope string) string {
	return strings.ToLower(catalog.Label(name)) + ": not extracted: the key lacks " + scope +
		"; add it to the key in HubSpot to include them"
}

// typeUnavailable records that HubSpot refused s's type for scope: a
// warning on the run (said once: only the stream's first error gets here)
// and, when the refused call was the stream's own, that call in the
// minimum, since it is the call that tells. The forms list serves both
// forms and form_submissions; its refusal counts once, toward the stream
// the meter gave it to.
func (e *engine) typeUnavailable(s *stream, scope string) {
	if e.meter.of(s.name).calls > 0 {
		e.addMinimum(1)
	}
	e.warn(unavailableMsg(s.name, scope))
}
