package extract

import (
	"context"

	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// pageSize is the list endpoint's maximum: the fewest calls per record.
const pageSize = 100

// queueObjects queues the walk of one type: its property definitions, its
// records (with their associations inline), then its archived records.
func (e *engine) queueObjects(ctx context.Context, s *stream) {
	s.hold()
	_, activeDone := e.plan.checkpoint(listKey(s.name))
	_, archivedDone := e.plan.checkpoint(archivedKey(s.name))
	if activeDone && archivedDone {
		s.mu.Lock()
		s.listsDone, s.listedBefore = true, true
		s.mu.Unlock()
		e.listsFinished(ctx, s, true)
		s.release(ctx)
		return
	}
	t := &task{name: s.name, priority: e.estimate(ctx, s.name), run: func(ctx context.Context) {
		err := e.walkObjects(ctx, s)
		s.fail(ctx, err)
		if ctx.Err() == nil {
			ok := err == nil
			if ok {
				s.mu.Lock()
				s.listsDone = true
				s.mu.Unlock()
			}
			e.listsFinished(ctx, s, ok)
		}
		s.release(ctx)
	}}
	e.walks[s.name] = t
	e.sched.add(t)
}

// estimate is the calls a type's walk will take, from what the last runs
// stored, until the planning call says better.
func (e *engine) estimate(ctx context.Context, objectType string) float64 {
	active, archived, err := e.db.CountRecords(ctx, objectType)
	if err != nil {
		return 1
	}
	return float64(pagesFor(active) + pagesFor(archived))
}

// pagesFor is how many list pages n records take (an empty list is one).
func pagesFor(n int64) int64 { return max(1, (n+pageSize-1)/pageSize) }

func (e *engine) walkObjects(ctx context.Context, s *stream) error {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	s.setPhase(progress.PhasePlanning)
	s.report(false)
	props, err := e.properties(tctx, s)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.props = props
	s.mu.Unlock()
	if err := e.walk(tctx, s, false); err != nil {
		return err
	}
	return e.walk(tctx, s, true)
}

// walk lists every page of records (or of archived records) from the saved
// cursor on. It is pipelined: the next page is fetched while the writer
// saves the last one, and never more than that, so a stream holds at most
// two pages and an interruption loses at most the page in flight.
func (e *engine) walk(ctx context.Context, s *stream, archived bool) error {
	key, phase := listKey(s.name), progress.PhaseRecords
	if archived {
		key, phase = archivedKey(s.name), progress.PhaseArchived
	}
	after, done := e.plan.checkpoint(key)
	if done {
		return nil
	}
	s.setPhase(phase)
	s.report(false)
	fits := hubspot.PropertiesFitURL(s.props)
	var saving <-chan error
	saved := func() error {
		if saving == nil {
			return nil
		}
		err := <-saving
		saving = nil
		if err == nil {
			s.report(false)
		}
		return err
	}
	for {
		page, err := e.fetchPage(ctx, s, after, archived, fits)
		if werr := saved(); werr != nil {
			return werr
		}
		if err != nil {
			return err
		}
		saving = s.submitPage(key, page, archived)
		if page.Next == "" {
			return saved()
		}
		after = page.Next
	}
}

// fetchPage reads one page with every property. When the property names
// do not fit one URL, the list call asks only for ids and associations and
// one batch read (a POST body has room) brings the properties: two calls
// per page instead of one list call per URL-full of names.
func (e *engine) fetchPage(ctx context.Context, s *stream, after string, archived, fits bool) (hubspot.ObjectPage, error) {
	p := hubspot.ListParams{Limit: pageSize, After: after, Archived: archived, Properties: s.props}
	if !archived {
		p.Associations = inline[s.name]
	}
	if !fits {
		p.Properties = []string{"hs_object_id"}
	}
	page, err := e.client.ListObjects(ctx, s.name, p)
	if err != nil {
		return page, err
	}
	e.addMinimum(1)
	if fits || len(page.Results) == 0 {
		return page, nil
	}
	ids := make([]string, len(page.Results))
	for i, o := range page.Results {
		ids[i] = o.ID
	}
	full, err := e.client.BatchReadObjects(ctx, s.name, ids, s.props, archived)
	if err != nil {
		return page, err
	}
	e.addMinimum(1)
	byID := make(map[string]map[string]*string, len(full))
	for _, o := range full {
		byID[o.ID] = o.Properties
	}
	kept := page.Results[:0]
	for _, o := range page.Results {
		// A record gone between the two calls was deleted meanwhile: the
		// archived pass or the next run sees it.
		if props, ok := byID[o.ID]; ok {
			o.Properties = props
			kept = append(kept, o)
		}
	}
	page.Results = kept
	return page, nil
}

// submitPage hands one page to the writer: records, their inline
// associations (replacing what each record had), the ids whose inline
// associations overflowed, the walk's cursor and the stream's counts, all
// in one transaction. The counts move on once it committed.
func (s *stream) submitPage(key string, page hubspot.ObjectPage, archived bool) <-chan error {
	recs := make([]store.Record, len(page.Results))
	ids := make([]string, len(page.Results))
	var assocs []store.Association
	overflow := map[string][]string{}
	toTypes := inline[s.name]
	for i, o := range page.Results {
		recs[i] = store.Record{Type: s.name, ID: o.ID, Properties: o.Properties, CreatedAt: o.CreatedAt,
			UpdatedAt: o.UpdatedAt, Archived: o.Archived || archived, ArchivedAt: o.ArchivedAt}
		ids[i] = o.ID
		if archived {
			continue
		}
		for _, to := range toTypes {
			coll, ok := o.Associations[to]
			if !ok {
				continue
			}
			for _, ref := range coll.Results {
				assocs = append(assocs, store.Association{FromType: s.name, FromID: o.ID, ToType: to, ToID: ref.ID,
					Types: []store.AssocType{inlineType(ref.Type)}})
			}
			if coll.Next != "" {
				overflow[to] = append(overflow[to], o.ID)
			}
		}
	}
	n := int64(len(recs))
	snapshot := s.result()
	snapshot.Records += n
	snapshot.Pages++
	runID, now := s.e.runID, s.e.clk.Now()
	return s.e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.UpsertRecords(ctx, runID, recs); err != nil {
			return err
		}
		// An archived record has no associations any more: replacing its
		// set with the (empty) inline one drops what an earlier run stored.
		if err := tx.ReplaceAssociations(ctx, s.name, ids, toTypes, assocs); err != nil {
			return err
		}
		if !archived {
			for to, from := range overflow {
				if err := tx.AddOverflow(ctx, s.name, to, from); err != nil {
					return err
				}
			}
		}
		if err := tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: runID, Stream: key, Cursor: page.Next,
			Done: page.Next == "", UpdatedAt: now}); err != nil {
			return err
		}
		return tx.SaveStreamResult(ctx, runID, snapshot)
	}, func() { s.count(n, archived) })
}

// count adds a committed page to the stream's counts.
func (s *stream) count(n int64, archived bool) {
	s.mu.Lock()
	s.records += n
	s.pages++
	if archived {
		s.archived += n
	}
	s.mu.Unlock()
	if s.e.pageSaved != nil {
		s.e.pageSaved()
	}
}

// save writes one page of metadata with its checkpoint, synchronously.
func (s *stream) save(ctx context.Context, key, next string, n int64, fn func(ctx context.Context, tx *store.Tx) error) error {
	snapshot := s.result()
	snapshot.Records += n
	snapshot.Pages++
	runID, now := s.e.runID, s.e.clk.Now()
	err := s.e.w.write(func(ctx context.Context, tx *store.Tx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		if err := tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: runID, Stream: key, Cursor: next,
			Done: next == "", UpdatedAt: now}); err != nil {
			return err
		}
		return tx.SaveStreamResult(ctx, runID, snapshot)
	})
	if err != nil {
		return err
	}
	s.count(n, false)
	s.report(false)
	return nil
}
