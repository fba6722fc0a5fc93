package extract

import (
	"context"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// queueObjects queues the walk of one type: its property definitions, its
// records (with their associations inline; in an incremental run, the
// records changed since the last one), then its archived records. A full
// walk that starts from the beginning reads its first page in a task of its
// own, queued before every longer walk: the first pages say which types
// have more (only those are counted, by the planner) and, once every type
// has said, the planner may give part of a large type to search ranges
// (split.go), which the rest of the walk then leaves alone. A type's lists
// are done when its walk, its plan and its ranges all are.
func (e *engine) queueObjects(ctx context.Context, s *stream) {
	key := listKey(s.name)
	if e.incremental(s.name) {
		key = changesKey(s.name)
	}
	after, activeDone := e.plan.checkpoint(key)
	_, archivedDone := e.plan.checkpoint(archivedKey(s.name))
	ranges := e.resumeSplit(s)
	if activeDone && archivedDone && len(ranges) == 0 {
		s.hold()
		s.mu.Lock()
		s.listsDone, s.listedBefore = true, true
		s.mu.Unlock()
		e.listsFinished(ctx, s, true)
		s.release(ctx)
		return
	}
	s.addPart()
	firstPage := !e.incremental(s.name) && after == "" && !activeDone
	priority := e.estimate(ctx, s.name)
	if firstPage {
		priority = firstPagePriority
		s.addPart() // the split plan, which the planner settles
		e.planner.await(s)
	}
	if len(ranges) > 0 {
		e.ranges.hold() // until the walk, once it has the property names, queued them
	}
	t := &task{name: s.name, priority: priority, run: func(ctx context.Context) {
		err := e.walkObjects(ctx, s, firstPage, ranges)
		if len(ranges) > 0 {
			e.ranges.unhold()
		}
		if firstPage {
			e.planner.sizeUnknown(s) // a walk that failed before its size said nothing
		}
		s.partDone(ctx, err)
	}}
	e.setWalk(s.name, t)
	e.sched.add(t)
}

// firstPagePriority queues first pages after the metadata and before every
// longer walk; marketingPriority the marketing reads (a few calls each,
// longest first) before the walks of records, so that the run does not end
// on them: the walks' tails, the search ranges can take over.
const (
	firstPagePriority = metadataPriority / 4
	marketingPriority = firstPagePriority / 4
)

// estimate is the calls a type's walk will take, from what the last runs
// stored, until the planning call says better. An incremental walk reads
// its changes (unknown until its first page) and the archived records.
func (e *engine) estimate(ctx context.Context, objectType string) float64 {
	active, archived, err := e.db.CountRecords(ctx, objectType)
	switch {
	case err != nil:
		return 1
	case e.incremental(objectType):
		return float64(1 + listingOf(nil, false).listCalls(archived))
	}
	return float64(listingOf(nil, e.history[objectType]).listCalls(active) + listingOf(nil, false).listCalls(archived))
}

// walkObjects reads one type: its property definitions, its records (all
// of them, or in an incremental run those changed since the last one),
// then its archived records (the one archived list pass also marks those
// archived since the last run). With firstPage, it reads the first page of
// records only, tells the planner the type's size, and queues the rest of
// the walk as a task of its own. ranges are an interrupted run's search
// ranges of the type still to read: they need the property names.
func (e *engine) walkObjects(ctx context.Context, s *stream, firstPage bool, ranges []idRange) error {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	s.setPhase(progress.PhasePlanning)
	s.report(false)
	defs, err := e.properties(tctx, s)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.props, s.html = propertyNames(defs), store.HTMLProperties(defs)
	s.mu.Unlock()
	for _, r := range ranges {
		e.queueRange(ctx, s, r, rangeMaxRecords/2) // its size is not known before the planning call
	}
	switch {
	case e.incremental(s.name):
		err = e.searchChanges(tctx, s)
	case firstPage:
		return e.walkFirst(tctx, s)
	default:
		err = e.walk(tctx, s, false)
	}
	if err != nil {
		return err
	}
	return e.walk(tctx, s, true)
}

// walkFirst reads a type's first page of records and queues the rest of
// its walk (the archived records at least), which its part passes on to.
func (e *engine) walkFirst(ctx context.Context, s *stream) error {
	s.setPhase(progress.PhaseRecords)
	l := listingOf(s.props, e.history[s.name])
	page, err := e.fetchPage(ctx, s, "", false, l)
	if err != nil {
		return err
	}
	s.listed(page.Results)
	if err := <-s.submitPage(listKey(s.name), page, false); err != nil {
		return err
	}
	// The rest first, so that the count the planner asks for next can
	// reorder it.
	s.addPart()
	rest := &task{name: s.name, priority: 1, run: func(ctx context.Context) {
		tctx, cancel := s.taskContext(ctx)
		defer cancel()
		var err error
		if page.Next != "" {
			err = e.walkFrom(tctx, s, page.Next, false)
		}
		if err == nil {
			err = e.walk(tctx, s, true)
		}
		s.partDone(ctx, err)
	}}
	e.setWalk(s.name, rest)
	e.sched.add(rest)
	e.planner.sized(ctx, s, page)
	return nil
}

// walk lists every page of records (or of archived records) from the saved
// cursor on.
func (e *engine) walk(ctx context.Context, s *stream, archived bool) error {
	key := listKey(s.name)
	if archived {
		key = archivedKey(s.name)
	}
	after, done := e.plan.checkpoint(key)
	if done {
		return nil
	}
	return e.walkFrom(ctx, s, after, archived)
}

// walkFrom lists the records (or the archived records) from after on,
// until the last page or, for active records, the split's cut (the ids from
// there on are the ranges'). It is pipelined: the next page is fetched while
// the writer saves the last one, and never more than that, so a stream holds
// at most two pages and an interruption loses at most the page in flight.
func (e *engine) walkFrom(ctx context.Context, s *stream, after string, archived bool) error {
	phase := progress.PhaseRecords
	if archived {
		phase = progress.PhaseArchived
	}
	s.setPhase(phase)
	s.report(false)
	l := listingOf(s.props, e.history[s.name] && !archived)
	var saving pending
	for {
		page, err := e.fetchPage(ctx, s, after, archived, l)
		if werr := saving.wait(s); werr != nil {
			return werr
		}
		if err != nil {
			return err
		}
		if archived {
			saving = s.submitPage(archivedKey(s.name), page, true)
		} else {
			page, saving = s.submitListed(page)
		}
		if page.Next == "" {
			return saving.wait(s)
		}
		after = page.Next
	}
}

// submitListed hands the writer a page of active records, trimmed at the
// cut (a page that meets it is the walk's last).
func (s *stream) submitListed(page hubspot.ObjectPage) (hubspot.ObjectPage, pending) {
	s.splitMu.Lock()
	defer s.splitMu.Unlock()
	page = s.listed(page.Results).trim(page)
	if page.Next == "" {
		s.mu.Lock()
		s.listEnded = true
		s.mu.Unlock()
	}
	return page, s.submitPage(listKey(s.name), page, false)
}

// fetchPage reads one page with every property (and, for a type whose
// history is read, every property's history, 50 records a page). When the
// property names do not fit one URL, the list call asks only for ids and
// associations and one batch read (a POST body has room) brings the
// properties and history: two calls per page instead of one list call per
// URL-full of names. Archived records already stored as archived with the
// same update time are left out: they need neither a batch read nor a
// write.
func (e *engine) fetchPage(ctx context.Context, s *stream, after string, archived bool, l listing) (hubspot.ObjectPage, error) {
	p := hubspot.ListParams{Limit: int(l.size()), After: after, Archived: archived, Properties: s.props, History: l.history && l.fits}
	if !archived {
		p.Associations = catalog.Inline(s.name)
	}
	if !l.fits {
		p.Properties = []string{"hs_object_id"}
	}
	page, err := e.client.ListObjects(ctx, s.name, p)
	if err != nil {
		return page, err
	}
	e.addMinimum(1)
	if archived {
		if page.Results, err = e.unknownArchived(ctx, s.name, page.Results); err != nil {
			return page, err
		}
	}
	if l.fits || len(page.Results) == 0 {
		return page, nil
	}
	page.Results, err = e.readProperties(ctx, s, page.Results, archived, l.history)
	return page, err
}

// unknownArchived keeps the archived records not already stored as
// archived with the same update time.
func (e *engine) unknownArchived(ctx context.Context, objectType string, objs []hubspot.Object) ([]hubspot.Object, error) {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	known, err := e.db.ArchivedVersions(ctx, objectType, ids)
	if err != nil {
		return nil, err
	}
	kept := objs[:0]
	for _, o := range objs {
		if at, ok := known[o.ID]; !ok || !at.Equal(o.UpdatedAt) {
			kept = append(kept, o)
		}
	}
	return kept, nil
}

// readProperties brings every property of objs by batch read (100 ids per
// call; with history, every property's history too, 50 ids per call),
// keeping what else each object carries (its associations). A record gone
// between the two reads was archived meanwhile: it is left out and the
// archived pass, or the next run, sees it.
func (e *engine) readProperties(ctx context.Context, s *stream, objs []hubspot.Object, archived, history bool) ([]hubspot.Object, error) {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	full, err := e.client.BatchReadObjects(ctx, s.name, ids, s.props, archived, history)
	if err != nil {
		return nil, err
	}
	e.addMinimum(batchReadCalls(int64(len(ids)), history))
	byID := make(map[string]hubspot.Object, len(full))
	for _, o := range full {
		byID[o.ID] = o
	}
	kept := objs[:0]
	for _, o := range objs {
		if f, ok := byID[o.ID]; ok {
			o.Properties, o.UpdatedAt, o.ArchivedAt, o.History = f.Properties, f.UpdatedAt, f.ArchivedAt, f.History
			kept = append(kept, o)
		}
	}
	return kept, nil
}

// pageWrite is one page as the writer saves it: records, their history,
// their associations (replacing what each record had), the ids whose
// associations are still to complete, and the walk's checkpoint.
type pageWrite struct {
	key, next string
	done      bool
	archived  bool
	recs      []store.Record
	ids       []string
	hist      []store.HistoryEntry
	toTypes   []string
	assocs    []store.Association
	overflow  map[string][]string // associated type → ids still to complete
}

// submitPage hands one list page to the writer: records, their inline
// associations, the ids whose inline associations overflowed, the walk's
// cursor and the stream's counts, all in one transaction.
func (s *stream) submitPage(key string, page hubspot.ObjectPage, archived bool) <-chan error {
	w := pageWrite{key: key, next: page.Next, done: page.Next == "", archived: archived,
		recs: make([]store.Record, len(page.Results)), ids: make([]string, len(page.Results)),
		hist: historyEntries(s.name, page.Results), overflow: map[string][]string{}}
	if !archived {
		w.toTypes = catalog.Inline(s.name)
	}
	for i, o := range page.Results {
		w.recs[i] = record(s.name, o)
		w.recs[i].Archived = w.recs[i].Archived || archived
		w.ids[i] = o.ID
		for _, to := range w.toTypes {
			coll, ok := o.Associations[to]
			if !ok {
				continue
			}
			for _, ref := range coll.Results {
				w.assocs = append(w.assocs, store.Association{FromType: s.name, FromID: o.ID, ToType: to, ToID: ref.ID,
					Types: []store.AssocType{inlineType(ref.Type)}})
			}
			if coll.Next != "" {
				w.overflow[to] = append(w.overflow[to], o.ID)
			}
		}
	}
	return s.submitWrite(w)
}

// submitWrite saves w in one transaction; the stream's counts move on once
// it committed.
//
// The records and associations are encoded here, by the goroutine that
// fetched them: the writer is the run's one serial part.
func (s *stream) submitWrite(w pageWrite) <-chan error {
	n := int64(len(w.recs))
	recs, encErr := store.EncodeRecords(s.e.runID, w.recs, map[string]string{s.name: s.html})
	var assocs store.EncodedAssociations
	if encErr == nil && !w.archived {
		assocs, encErr = store.EncodeAssociations(s.name, w.ids, w.toTypes, w.assocs)
	}
	return s.e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		if encErr != nil {
			return encErr
		}
		if err := tx.UpsertEncoded(ctx, recs); err != nil {
			return err
		}
		if err := tx.AddHistory(ctx, w.hist); err != nil {
			return err
		}
		if w.archived {
			// An archived record has no associations any more, from
			// either side: drop what earlier runs stored.
			if err := tx.DropAssociations(ctx, s.name, w.ids); err != nil {
				return err
			}
		} else {
			if err := tx.ReplaceEncoded(ctx, assocs); err != nil {
				return err
			}
			for to, from := range w.overflow {
				if err := tx.AddOverflow(ctx, s.name, to, from); err != nil {
					return err
				}
			}
		}
		return s.commitPage(ctx, tx, store.Checkpoint{Stream: w.key, Cursor: w.next, Done: w.done}, n)
	}, func() { s.count(n, w.archived) })
}

// commitPage ends a page's transaction: the walk's checkpoint, and the
// stream's line in the run history as it stands once the page of n records
// commits. It runs on the writer, after every page committed before it was
// counted (see count), so the line counts exactly the committed pages, this
// one included, however many tasks the stream runs at once; its calls are
// the stream's calls up to now.
func (s *stream) commitPage(ctx context.Context, tx *store.Tx, cp store.Checkpoint, n int64) error {
	cp.RunID, cp.UpdatedAt = s.e.runID, s.e.clk.Now()
	if err := tx.SaveCheckpoint(ctx, cp); err != nil {
		return err
	}
	line := s.result()
	line.Records += n
	line.Pages++
	return tx.SaveStreamResult(ctx, s.e.runID, line)
}

// count adds a committed page to the stream's counts. The writer calls it
// right after the commit, before the next transaction, and never for a
// page that did not commit.
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

// save writes one page of metadata or marketing data with its checkpoint,
// synchronously.
func (s *stream) save(ctx context.Context, key, next string, n int64, fn func(ctx context.Context, tx *store.Tx) error) error {
	err := <-s.e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		return s.commitPage(ctx, tx, store.Checkpoint{Stream: key, Cursor: next, Done: next == ""}, n)
	}, func() { s.count(n, false) })
	if err != nil {
		return err
	}
	s.report(false)
	return nil
}

// historyEntries is the property history objs carry, as stored (none
// when it was not asked for).
func historyEntries(objectType string, objs []hubspot.Object) []store.HistoryEntry {
	var out []store.HistoryEntry
	for _, o := range objs {
		for prop, values := range o.History {
			for _, v := range values {
				out = append(out, store.HistoryEntry{Type: objectType, ID: o.ID, Property: prop, Value: v.Value,
					Timestamp: v.Timestamp, SourceType: v.SourceType, SourceID: v.SourceID, SourceLabel: v.SourceLabel,
					UpdatedByUserID: v.UpdatedByUserID})
			}
		}
	}
	return out
}

// record is how a HubSpot object is stored.
func record(objectType string, o hubspot.Object) store.Record {
	return store.Record{Type: objectType, ID: o.ID, Properties: o.Properties, CreatedAt: o.CreatedAt,
		UpdatedAt: o.UpdatedAt, Archived: o.Archived, ArchivedAt: o.ArchivedAt}
}
