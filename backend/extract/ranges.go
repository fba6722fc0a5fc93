package extract

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// Search ranges. A type the split plan cuts is read in two ways at once:
// its list walk reads the ids below the cut (HubSpot lists records by id,
// ascending), and search ranges read the ids from the cut up, each range
// [lo, hi) by itself, 200 records a search sorted by hs_object_id and
// chained by keyset ("id above the last one read"), so no range meets the
// 10,000-result window. Search returns no associations: once a range has
// read a batch of 1,000 records, one association batch read per associated
// type brings theirs, and the batch is saved with the range's cursor in one
// transaction. Each range has its own checkpoint, and the cut its own, so
// an interrupted run resumes every range, and the list walk, where it
// stopped.

// idRange is the ids lo <= id < hi; hi 0 is no upper bound (the last
// range also takes the records created during the run).
type idRange struct{ lo, hi int64 }

func (r idRange) String() string { return fmt.Sprintf("%d-%d", r.lo, r.hi) }

// Checkpoint keys of a split: the cut (its cursor), and each range's.
func splitKey(objectType string) string { return objectType + ":split" }
func rangePrefix(objectType string) string {
	return objectType + ":range:"
}
func rangeKey(objectType string, r idRange) string { return rangePrefix(objectType) + r.String() }

// addPart adds one part of the type's lists (its walk, its split plan, a
// range): its lists are done when the last part is.
func (s *stream) addPart() {
	s.hold()
	s.mu.Lock()
	s.parts++
	s.mu.Unlock()
}

// partDone ends one part, with its error; the last part tells the
// association groups whether the type's lists all succeeded.
func (s *stream) partDone(ctx context.Context, err error) {
	s.fail(ctx, err)
	s.mu.Lock()
	s.parts--
	s.partFailed = s.partFailed || err != nil
	last := s.parts == 0
	ok := !s.partFailed && s.err == nil
	if last && ok && ctx.Err() == nil {
		s.listsDone = true
	}
	s.mu.Unlock()
	if last && ctx.Err() == nil {
		s.e.listsFinished(ctx, s, ok)
	}
	s.release(ctx)
}

// activeRead is how many active records the stream saved in this run.
func (s *stream) activeRead() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records - s.archived
}

// listCut is the cut a list page meets: 0 for none.
type listCut struct{ cut int64 }

// listed notes the ids a list page of active records brought (the type's
// lowest id, how far the walk is) and returns the cut that applies to the
// page. HubSpot lists by id, ascending; should a page say otherwise, the
// walk reads on to the end, whatever the cut (the ranges then read some
// records twice, which the upserts absorb), and says so once.
func (s *stream) listed(objs []hubspot.Object) listCut {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range objs {
		id, err := strconv.ParseInt(o.ID, 10, 64)
		if err != nil || id <= s.listedTo {
			if !s.unordered && s.cut > 0 {
				s.e.rep.Report(progress.Event{Kind: progress.KindLog, Time: s.e.clk.Now(), Stream: s.name, Level: progress.LevelInfo,
					Message: s.name + ": HubSpot listed records out of id order; the list reads on to the end beside the search ranges"})
			}
			s.unordered = true
			continue
		}
		if s.minID == 0 {
			s.minID = id
		}
		s.listedTo = id
	}
	if s.unordered {
		return listCut{}
	}
	return listCut{s.cut}
}

// trim drops from page the records at or above the cut and, when it
// reached the cut, ends the walk there.
func (c listCut) trim(page hubspot.ObjectPage) hubspot.ObjectPage {
	if c.cut == 0 {
		return page
	}
	kept := page.Results[:0]
	reached := false
	for _, o := range page.Results {
		if id, _ := strconv.ParseInt(o.ID, 10, 64); id >= c.cut {
			reached = true
			continue
		}
		kept = append(kept, o)
	}
	page.Results = kept
	if reached {
		page.Next = ""
	}
	return page
}

// resumeSplit takes over an interrupted run's split of s: its cut, and the
// ranges not yet done.
func (e *engine) resumeSplit(s *stream) []idRange {
	cut, _ := e.plan.checkpoint(splitKey(s.name))
	if cut == "" {
		return nil
	}
	n, err := strconv.ParseInt(cut, 10, 64)
	if err != nil {
		return nil
	}
	s.cut = n
	var out []idRange
	for _, key := range slices.Sorted(maps.Keys(e.plan.cps)) {
		spec, ok := strings.CutPrefix(key, rangePrefix(s.name))
		if !ok || e.plan.cps[key].Done {
			continue
		}
		lo, hi, _ := strings.Cut(spec, "-")
		var r idRange
		var err1, err2 error
		r.lo, err1 = strconv.ParseInt(lo, 10, 64)
		r.hi, err2 = strconv.ParseInt(hi, 10, 64)
		if err1 == nil && err2 == nil {
			out = append(out, r)
		}
	}
	return out
}

// queueRange queues the reading of one range of s, expected to hold
// expect records (the steals weigh the searches left by them). The main
// pool stays up until the range is done: the type's association
// completion, which its end may start, runs there.
func (e *engine) queueRange(ctx context.Context, s *stream, r idRange, expect int64) {
	s.addPart()
	e.sched.hold()
	e.rangeLeft.Add(expect)
	e.ranges.add(&task{name: rangeKey(s.name, r), priority: float64(rangeBatch), run: func(ctx context.Context) {
		defer e.sched.unhold()
		left := expect
		err := e.readRange(ctx, s, r, func(n int64) {
			n = min(n, left)
			left -= n
			e.rangeLeft.Add(-n)
		})
		e.rangeLeft.Add(-left)
		if err == nil {
			e.steal(ctx)
		}
		s.partDone(ctx, err)
	}})
}

// readRange reads one range from its checkpoint on, a batch at a time,
// telling read how many records each batch brought.
func (e *engine) readRange(ctx context.Context, s *stream, r idRange, read func(n int64)) error {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	key := rangeKey(s.name, r)
	cursor, done := e.plan.checkpoint(key)
	if done {
		return nil
	}
	last := r.lo - 1
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil {
			return fmt.Errorf("%s range %s: saved position %q is not understood", s.name, r, cursor)
		}
		last = n
	}
	s.setPhase(progress.PhaseRecords)
	chunks, err := hubspot.SearchPropertyChunks(rangeSearch(r, last, nil), s.props)
	if err != nil {
		return fmt.Errorf("%s range %s: %w", s.name, r, err)
	}
	for {
		ids, to, more, err := e.searchBatch(tctx, s, r, key, last, chunks, read)
		var w pageWrite
		if err == nil {
			w, err = e.rangeWrite(tctx, s, key, ids)
		}
		if err != nil {
			return err
		}
		last = to
		w.next, w.done = strconv.FormatInt(last, 10), !more
		e.addMinimum(rangeCalls(int64(len(ids)), int64(len(chunks)), int64(len(w.toTypes))))
		saving := pending(s.submitWrite(w))
		if err := saving.wait(s); err != nil || !more {
			return err
		}
	}
}

// rangeSearch is the search for the records of r above id after.
func rangeSearch(r idRange, after int64, props []string) hubspot.SearchRequest {
	f := []hubspot.Filter{{PropertyName: idProperty, Operator: "GT", Value: strconv.FormatInt(after, 10)}}
	if r.hi > 0 {
		f = append(f, hubspot.Filter{PropertyName: idProperty, Operator: "LT", Value: strconv.FormatInt(r.hi, 10)})
	}
	return hubspot.SearchRequest{FilterGroups: []hubspot.FilterGroup{{Filters: f}},
		Sorts: []hubspot.Sort{{PropertyName: idProperty, Direction: "ASCENDING"}}, Properties: props, Limit: hubspot.MaxSearchLimit}
}

// searchBatch reads up to rangeBatch records of r above id after and
// saves each search page as it comes (see submitRangePage), telling read
// how many records it brought: the batch keeps their ids for its
// association reads, not the records (two ranges' batches of 1,000
// records held until then cost the demo about 8 MB of memory). It returns
// the ids, the last id the searches reached, and more, false once the
// range is exhausted.
func (e *engine) searchBatch(ctx context.Context, s *stream, r idRange, key string, after int64, chunks [][]string,
	read func(n int64)) (ids []string, last int64, more bool, err error) {
	from := after
	var saving pending
	defer func() {
		if werr := saving.wait(s); err == nil {
			err = werr
		}
	}()
	for len(ids) < rangeBatch {
		page, err := e.client.SearchObjects(ctx, s.name, rangeSearch(r, after, chunks[0]))
		if err != nil {
			return nil, after, false, fmt.Errorf("%s range %s: %w", s.name, r, err)
		}
		got := page.Results
		if len(got) == 0 {
			return ids, after, false, nil
		}
		if len(chunks) > 1 {
			if got, err = e.moreProperties(ctx, s, got, chunks[1:]); err != nil {
				return nil, after, false, fmt.Errorf("%s range %s: %w", s.name, r, err)
			}
		}
		after, _ = strconv.ParseInt(page.Results[len(page.Results)-1].ID, 10, 64)
		for _, o := range got {
			ids = append(ids, o.ID)
		}
		// One page saving while the next is read, as a list walk's.
		if err := saving.wait(s); err != nil {
			return nil, after, false, err
		}
		saving = pending(s.submitRangePage(key, from, got))
		read(int64(len(got)))
		// HubSpot gives a next page only when more records match: a range
		// whose records fill its last page ends without an empty search.
		if len(page.Results) < hubspot.MaxSearchLimit || page.Next == "" {
			return ids, after, false, nil
		}
	}
	return ids, after, true, nil
}

// submitRangePage hands the writer one search page of a range: its
// records, with the range's cursor still at the batch's start (from). The
// cursor passes them only with their associations (rangeWrite): a run cut
// in between reads the batch again, records and associations, as an
// uninterrupted run would.
func (s *stream) submitRangePage(key string, from int64, objs []hubspot.Object) <-chan error {
	w := pageWrite{key: key, next: strconv.FormatInt(from, 10), recs: make([]store.Record, len(objs))}
	for i, o := range objs {
		w.recs[i] = record(s.name, o)
	}
	return s.submitWrite(w)
}

// moreProperties brings the properties a search body had no room for:
// the same records (the ids from the first to the last), one search per
// chunk of names. A record gone meanwhile is left out: the archived pass,
// or the next run, sees it.
func (e *engine) moreProperties(ctx context.Context, s *stream, objs []hubspot.Object, chunks [][]string) ([]hubspot.Object, error) {
	first, _ := strconv.ParseInt(objs[0].ID, 10, 64)
	last, _ := strconv.ParseInt(objs[len(objs)-1].ID, 10, 64)
	byID := make(map[string]*hubspot.Object, len(objs))
	seen := make(map[string]int, len(objs))
	for i := range objs {
		byID[objs[i].ID] = &objs[i]
	}
	for _, names := range chunks {
		page, err := e.client.SearchObjects(ctx, s.name, rangeSearch(idRange{lo: first, hi: last + 1}, first-1, names))
		if err != nil {
			return nil, err
		}
		for _, o := range page.Results {
			if t := byID[o.ID]; t != nil {
				maps.Copy(t.Properties, o.Properties)
				seen[o.ID]++
			}
		}
	}
	kept := objs[:0]
	for _, o := range objs {
		if seen[o.ID] == len(chunks) {
			kept = append(kept, o)
		}
	}
	return kept, nil
}

// rangeWrite reads the associations of a batch of a range's records, saved
// already (one batch read per associated type, following each record's
// further pages), and makes the batch's write: the associations and the
// range's cursor past the batch. Records HubSpot could not read the
// associations of are kept with those still to complete, as overflowed
// inline associations are.
//
// The associated types are read at once: read one after another they made
// each batch several latencies long, and a range still reading at the end
// of a run (a walk's rest taken over late) kept the run that much past
// the rate-limit floor. In the 2026-09 API these reads are exempt from the
// ten-second limit; in the legacy one the limiter paces them as any call.
func (e *engine) rangeWrite(ctx context.Context, s *stream, key string, ids []string) (pageWrite, error) {
	w := pageWrite{key: key, toTypes: catalog.Inline(s.name), overflow: map[string][]string{}, ids: ids}
	if len(ids) == 0 {
		return w, nil
	}
	reads := make([]batchAssociations, len(w.toTypes))
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i, to := range w.toTypes {
		wg.Go(func() {
			reads[i] = e.batchAssociations(rctx, s.name, to, ids)
			if reads[i].err != nil {
				cancel() // the batch fails as a whole: the others need not go on
			}
		})
	}
	wg.Wait()
	errs := make([]error, len(reads))
	for i, r := range reads {
		errs[i] = r.err
		w.assocs = append(w.assocs, r.assocs...)
		if len(r.failed) > 0 {
			w.overflow[w.toTypes[i]] = r.failed
		}
	}
	return w, cause(errs)
}

// cause is the error that stopped reads made at once, each of which ended
// with one of errs (nil: it succeeded): the first that is not a
// cancellation, which the others' is likely to be a consequence of; a
// cancellation only when that is all there is.
func cause(errs []error) error {
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled) && !errors.Is(err, context.Canceled)) {
			first = err
		}
	}
	return first
}

// batchAssociations is what a batch's reads of one associated type found:
// the pairs, and the records HubSpot could not read them for.
type batchAssociations struct {
	assocs []store.Association
	failed []string
	err    error
}

// batchAssociations reads the associations of ids with type to, following
// each record's further pages.
func (e *engine) batchAssociations(ctx context.Context, from, to string, ids []string) (out batchAssociations) {
	inputs := make([]hubspot.AssociationInput, len(ids))
	for i, id := range ids {
		inputs[i] = hubspot.AssociationInput{ID: id}
	}
	for len(inputs) > 0 {
		batch, err := e.client.BatchReadAssociations(ctx, from, to, inputs)
		if err != nil {
			out.err = err
			return out
		}
		inputs = inputs[:0]
		failed := map[string]bool{}
		for _, f := range batch.Failed {
			if len(f.IDs) == 0 {
				out.err = fmt.Errorf("associations %s→%s: %s", from, to, f.String())
				return out
			}
			for _, id := range f.IDs {
				failed[id] = true
			}
		}
		for _, r := range batch.Results {
			if failed[r.FromID] {
				continue
			}
			for _, ref := range r.To {
				a := store.Association{FromType: from, FromID: r.FromID, ToType: to, ToID: ref.ID}
				for _, t := range ref.Types {
					a.Types = append(a.Types, store.AssocType{Category: t.Category, TypeID: t.TypeID, Label: t.Label})
				}
				out.assocs = append(out.assocs, a)
			}
			if r.Next != "" {
				inputs = append(inputs, hubspot.AssociationInput{ID: r.FromID, After: r.Next})
			}
		}
		out.failed = append(out.failed, slices.Sorted(maps.Keys(failed))...)
	}
	return out
}
