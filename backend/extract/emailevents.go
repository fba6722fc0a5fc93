package extract

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// Marketing email events come newest first, 1,000 per page, chained by an
// offset that is short-lived: it is followed within a run but never saved.
// The stream reads one time window, [since the watermark minus the overlap
// (or the beginning), the run's start), and every saved page closes the
// part of it above the page's oldest event: the checkpoint is the window
// still to read, [lo, oldest+1 ms). A resumed run asks for that window
// afresh, so it neither skips nor relies on a stale offset; the events at
// the edge millisecond are read twice and stored once (events are upserted
// by id). Windows are half-open in our arithmetic and turned into HubSpot's
// inclusive endTimestamp only when asking.

// eventWindow is [lo, hi) in unix ms; lo 0 means from the beginning.
type eventWindow struct{ lo, hi int64 }

func (w eventWindow) String() string {
	return "window:" + strconv.FormatInt(w.lo, 10) + ":" + strconv.FormatInt(w.hi, 10)
}

func parseEventWindow(s string) (eventWindow, error) {
	rest, ok := strings.CutPrefix(s, "window:")
	lo, hi, ok2 := strings.Cut(rest, ":")
	l, err1 := strconv.ParseInt(lo, 10, 64)
	h, err2 := strconv.ParseInt(hi, 10, 64)
	if !ok || !ok2 || err1 != nil || err2 != nil {
		return eventWindow{}, fmt.Errorf("saved position %q of the email events is not understood", s)
	}
	return eventWindow{l, h}, nil
}

// params asks for the window (endTimestamp is inclusive) from offset on.
func (w eventWindow) params(offset string) hubspot.EmailEventParams {
	p := hubspot.EmailEventParams{End: time.UnixMilli(w.hi - 1), Offset: offset, Limit: eventsPage}
	if w.lo > 0 {
		p.Start = time.UnixMilli(w.lo)
	}
	return p
}

func (e *engine) queueEmailEvents(ctx context.Context, s *stream) {
	s.hold()
	raw, done := e.plan.checkpoint(catalog.EmailEvents)
	win := eventWindow{hi: e.since.UnixMilli()}
	if e.incremental(s.name) {
		win.lo = e.changesFrom(s.name).UnixMilli()
	}
	var err error
	if raw != "" && !done {
		win, err = parseEventWindow(raw)
	}
	if done || win.lo >= win.hi || err != nil {
		s.mu.Lock()
		s.listedBefore = done
		s.mu.Unlock()
		s.fail(ctx, err)
		s.release(ctx)
		return
	}
	priority := marketingPriority
	if !e.incremental(s.name) {
		if n, err := e.db.CountEmailEvents(ctx); err == nil {
			priority += float64(pages(n, eventsPage))
		}
	}
	e.sched.add(&task{name: catalog.EmailEvents, priority: priority, run: func(ctx context.Context) {
		defer s.release(ctx)
		s.fail(ctx, e.walkEvents(ctx, s, win))
	}})
}

// walkEvents reads the window page by page, pipelined: the next page is
// fetched while the last is saved.
func (e *engine) walkEvents(ctx context.Context, s *stream, win eventWindow) error {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	s.setPhase(progress.PhaseRecords)
	s.report(false)
	var saving pending
	query, offset, restarted := win, "", false // the offset belongs to query
	for {
		page, err := e.client.ListEmailEvents(tctx, query.params(offset))
		if bad := (*hubspot.ValidationError)(nil); errors.As(err, &bad) && offset != "" && !restarted {
			// The offset expired: read on below the saved edge without it.
			query, offset, restarted = win, "", true
			continue
		}
		if werr := saving.wait(s); werr != nil {
			return werr
		}
		if err != nil {
			return err
		}
		e.addMinimum(1)
		restarted = false
		for _, ev := range page.Events {
			if ms := ev.Created.UnixMilli(); ms < win.hi && ms >= win.lo {
				win.hi = ms + 1
			}
		}
		last := !page.HasMore
		saving = s.submitEvents(page.Events, win, last)
		if last {
			return saving.wait(s)
		}
		offset = page.Offset
	}
}

// submitEvents saves one page of events with the window left to read.
func (s *stream) submitEvents(events []hubspot.EmailEvent, left eventWindow, last bool) <-chan error {
	out := make([]store.EmailEvent, len(events))
	for i, ev := range events {
		out[i] = store.EmailEvent{ID: ev.ID, Type: ev.Type, Created: ev.Created, Recipient: ev.Recipient,
			CampaignID: ev.CampaignID, Raw: ev.Raw}
	}
	n := int64(len(out))
	return s.e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.UpsertEmailEvents(ctx, out); err != nil {
			return err
		}
		return s.commitPage(ctx, tx, store.Checkpoint{Stream: catalog.EmailEvents, Cursor: left.String(), Done: last}, n)
	}, func() { s.count(n, false) })
}
