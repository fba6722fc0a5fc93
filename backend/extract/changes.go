package extract

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// Incremental reads. A type extracted before reads only the records
// modified since its watermark (minus the overlap), by search on its
// last-modified property, sorted ascending. Pages are chained by keyset,
// never by the search's `after` offset:
//
//   - by time: "modified at or after T", 200 per page; the records of the
//     page modified before the last one's instant are complete, and the next
//     query starts at that instant;
//   - by id, for an instant holding a whole page or more: "modified in
//     [T, T+1 ms) and id above X", sorted by id, until the instant is
//     exhausted; then by time again from T+1 ms.
//
// Every query reads its first page, so the search's 10,000-result cap never
// truncates anything however many records changed, in one window or at one
// millisecond. A record modified while the walk runs only moves later in the
// order, so it is read again rather than shifting others past the cursor (an
// offset would skip one). The cursor is a time (and an id): it means the
// same thing to a later run, which resumes exactly there after a crash.
//
// The window has no upper bound: records changed during the run are read
// too, and read again by the next run, whose window starts at this run's
// start minus the overlap.

// changeCursor is where an incremental walk stands: every change before at
// is saved; with byID, so are those at `at` up to and including id afterID.
type changeCursor struct {
	at      int64 // unix ms
	byID    bool
	afterID string
}

func (c changeCursor) String() string {
	if c.byID {
		return "id:" + strconv.FormatInt(c.at, 10) + ":" + c.afterID
	}
	return "time:" + strconv.FormatInt(c.at, 10)
}

func parseChangeCursor(s string) (changeCursor, error) {
	kind, rest, _ := strings.Cut(s, ":")
	at, id, _ := strings.Cut(rest, ":")
	ms, err := strconv.ParseInt(at, 10, 64)
	switch {
	case err != nil:
	case kind == "time" && id == "":
		return changeCursor{at: ms}, nil
	case kind == "id":
		return changeCursor{at: ms, byID: true, afterID: id}, nil
	}
	return changeCursor{}, fmt.Errorf("saved position %q of an incremental read is not understood", s)
}

// changesPage is one page of changed records and where the walk goes next.
type changesPage struct {
	records []hubspot.Object
	next    changeCursor
	last    bool
}

// searchChanges walks the changed records from the saved cursor on,
// pipelined like walk: the next page is fetched while the last is saved.
func (e *engine) searchChanges(ctx context.Context, s *stream) error {
	raw, done := e.plan.checkpoint(changesKey(s.name))
	if done {
		return nil
	}
	cur := changeCursor{at: e.changesFrom(s.name).UnixMilli()}
	first := raw == ""
	if !first {
		var err error
		if cur, err = parseChangeCursor(raw); err != nil {
			return err
		}
	}
	s.setPhase(progress.PhaseRecords)
	s.report(false)
	q := e.newChangeQuery(s)
	var saving pending
	for {
		page, err := q.fetch(ctx, cur, first)
		first = false
		if werr := saving.wait(s); werr != nil {
			return werr
		}
		if err != nil {
			return err
		}
		saving = s.submitChanges(page)
		if page.last {
			return saving.wait(s)
		}
		cur = page.next
	}
}

// changeQuery builds and reads the searches of one type's incremental walk.
type changeQuery struct {
	e       *engine
	s       *stream
	lastMod string
	// props are asked of the search itself when every property name fits
	// its 3,000-character body; otherwise the search asks for the
	// last-modified date only and a batch read brings the properties.
	props    []string
	complete bool
}

func (e *engine) newChangeQuery(s *stream) *changeQuery {
	q := &changeQuery{e: e, s: s, lastMod: catalog.LastModified(s.name), props: s.props, complete: true}
	// The longest body the walk sends: a by-id query at a 13-digit time
	// and a 20-digit id.
	probe := q.request(changeCursor{at: 1e12, byID: true, afterID: strings.Repeat("9", 20)})
	if body, err := json.Marshal(probe); err != nil || len(body) > hubspot.MaxSearchBody {
		q.props, q.complete = []string{q.lastMod}, false
	}
	return q
}

func (q *changeQuery) request(cur changeCursor) hubspot.SearchRequest {
	at := strconv.FormatInt(cur.at, 10)
	req := hubspot.SearchRequest{Limit: hubspot.MaxSearchLimit, Properties: q.props}
	if cur.byID {
		// The instant as [at, at+1 ms): no reliance on how EQ compares
		// a date-time.
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: q.lastMod, Operator: "GTE", Value: at},
			{PropertyName: q.lastMod, Operator: "LT", Value: strconv.FormatInt(cur.at+1, 10)},
			{PropertyName: "hs_object_id", Operator: "GT", Value: cmp.Or(cur.afterID, "0")},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}}
		return req
	}
	req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
		{PropertyName: q.lastMod, Operator: "GTE", Value: at},
	}}}
	req.Sorts = []hubspot.Sort{{PropertyName: q.lastMod, Direction: "ASCENDING"}}
	return req
}

// fetch reads one search page from cur and decides the next cursor. first
// marks the walk's first query, whose total is what the walk expects.
func (q *changeQuery) fetch(ctx context.Context, cur changeCursor, first bool) (changesPage, error) {
	page, err := q.e.client.SearchObjects(ctx, q.s.name, q.request(cur))
	if err != nil {
		return changesPage{}, err
	}
	q.e.addMinimum(1)
	if first {
		q.s.mu.Lock()
		q.s.expect = int64(page.Total)
		q.s.mu.Unlock()
	}
	more := page.Next != ""
	out := changesPage{records: page.Results}
	switch {
	case cur.byID && more:
		out.next = changeCursor{at: cur.at, byID: true, afterID: page.Results[len(page.Results)-1].ID}
	case cur.byID:
		out.next = changeCursor{at: cur.at + 1} // the instant is exhausted: half-open from here
	case !more:
		out.next, out.last = cur, true
	default:
		firstAt, err := q.modified(page.Results[0])
		if err != nil {
			return changesPage{}, err
		}
		lastAt, err := q.modified(page.Results[len(page.Results)-1])
		if err != nil {
			return changesPage{}, err
		}
		if firstAt < cur.at || lastAt < firstAt {
			return changesPage{}, fmt.Errorf("search %s: results not in %s order (%d before %d, from %d)",
				q.s.name, q.lastMod, firstAt, lastAt, cur.at)
		}
		if firstAt == lastAt {
			// One instant fills the page: read it by id, from the start.
			return changesPage{next: changeCursor{at: lastAt, byID: true}}, nil
		}
		// Those at the last instant may go on past this page: the next
		// query starts there and brings them all.
		kept := out.records[:0]
		for _, o := range out.records {
			at, err := q.modified(o)
			if err != nil {
				return changesPage{}, err
			}
			if at < lastAt {
				kept = append(kept, o)
			}
		}
		out.records, out.next = kept, changeCursor{at: lastAt}
	}
	// The search brings no history: a type whose history is read reads
	// its changed records again by batch read with history (50 ids a
	// call), which brings their properties too.
	if history := q.e.history[q.s.name]; (!q.complete || history) && len(out.records) > 0 {
		if out.records, err = q.e.readProperties(ctx, q.s, out.records, false, history); err != nil {
			return changesPage{}, err
		}
	}
	return out, nil
}

// modified is a search result's last-modified time in unix ms: the
// property the search sorts on (an ISO 8601 instant, or milliseconds).
func (q *changeQuery) modified(o hubspot.Object) (int64, error) {
	v := o.Properties[q.lastMod]
	if v == nil {
		return 0, fmt.Errorf("search %s: record %s came without %s", q.s.name, o.ID, q.lastMod)
	}
	if ms, err := strconv.ParseInt(*v, 10, 64); err == nil {
		return ms, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *v)
	if err != nil {
		return 0, fmt.Errorf("search %s: record %s: %s %q is not a time", q.s.name, o.ID, q.lastMod, *v)
	}
	return t.UnixMilli(), nil
}

// submitChanges hands one page of changed records to the writer: the
// records, their ids as pending association reads (search brings no
// associations; each is read in full through the v4 batch read once the walk
// ends, and replaces the record's set), the walk's cursor and the stream's
// counts, in one transaction.
func (s *stream) submitChanges(page changesPage) <-chan error {
	recs := make([]store.Record, len(page.records))
	ids := make([]string, len(page.records))
	for i, o := range page.records {
		recs[i] = record(s.name, o)
		ids[i] = o.ID
	}
	hist := historyEntries(s.name, page.records)
	n := int64(len(recs))
	// Encoded here, beside the writer (see submitWrite).
	enc, encErr := store.EncodeRecords(s.e.runID, recs, map[string]string{s.name: s.html})
	return s.e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		if encErr != nil {
			return encErr
		}
		if err := tx.UpsertEncoded(ctx, enc); err != nil {
			return err
		}
		// Only entries not stored yet are added: what a record's
		// history had at the last run is there already.
		if err := tx.AddHistory(ctx, hist); err != nil {
			return err
		}
		for _, to := range catalog.Inline(s.name) {
			if err := tx.AddOverflow(ctx, s.name, to, ids); err != nil {
				return err
			}
		}
		return s.commitPage(ctx, tx, store.Checkpoint{Stream: changesKey(s.name), Cursor: page.next.String(),
			Done: page.last}, n)
	}, func() { s.count(n, false) })
}
