package extract

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// decideSplit makes the run's split plan once every full walk's size is
// known, says it in the run log, and cuts the types it names: planned are
// the walks it may cut (full reads from the start).
func (e *engine) decideSplit(ctx context.Context, planned []*stream) {
	var sizes []sizing
	var stealable []*stream
	for _, t := range e.crm {
		s := e.streams[t]
		if s.listedBefore || s.failedErr() != nil || e.incremental(t) {
			continue
		}
		s.mu.Lock()
		total, highest, props, read := s.total, s.maxID, s.props, s.records-s.archived+s.base
		splittable := !s.unordered && s.cut == 0 && highest > s.listedTo
		s.mu.Unlock()
		if total < 0 {
			continue
		}
		z := sizing{Type: t, Records: max(total-read, 0), PageSize: listingOf(nil, e.history[t]).size(),
			Inline: int64(len(catalog.Inline(t))), Chunks: 1,
			Splittable: splittable && slices.Contains(planned, s) && !e.history[t]}
		if z.Splittable {
			chunks, err := hubspot.SearchPropertyChunks(rangeSearch(idRange{lo: 1, hi: highest + 1}, 0, nil), props)
			z.Splittable, z.Chunks = err == nil, int64(len(chunks))
		}
		if z.Splittable && z.Chunks == 1 {
			stealable = append(stealable, s)
		}
		sizes = append(sizes, z)
	}
	b := budgets{General: hubspot.SustainedRate(e.client.RatePer10s()), Search: e.client.SearchRate(),
		RTT: e.meter.rtt(), Other: e.otherCalls(ctx)}
	economy := e.economy
	if e.client.ChargesExempt() {
		economy = EconomyCalls // searches would spend the ten-second budget too
	}
	plan := planSplit(sizes, b, economy)
	if left, daily, ok := e.client.DailyRemaining(); ok && plan.Economy == EconomyTime && left < max(daily/10, 2*plan.Calls) {
		if fewer := planSplit(sizes, b, EconomyCalls); fewer.Calls < plan.Calls {
			e.warn(fmt.Sprintf("HubSpot allows %d more calls today (of %d): this run spends the fewest calls rather than the least time", left, daily))
			plan = fewer
		}
	}
	e.mu.Lock()
	e.split = plan
	e.mu.Unlock()
	e.rep.Report(progress.Event{Kind: progress.KindLog, Time: e.clk.Now(), Level: progress.LevelInfo, Message: plan.describe()})
	added := 0
	for _, t := range e.crm {
		if moved := plan.Moved[t]; moved > 0 {
			added += e.cut(ctx, e.streams[t], moved, plan.Ranges[t])
		}
	}
	if added > 1 {
		e.ranges.grow(min(added, maxRangeWorkers) - 1) // it has one
	}
	// Only now: a range that ends may steal from these, and a steal from a
	// type before its own cut would read its top twice.
	for _, s := range stealable {
		s.mu.Lock()
		s.stealable = true
		s.mu.Unlock()
	}
}

// cut gives the ranges the moved records of s with the highest ids: the
// list walk stops at the cut, which the ids' spread between the lowest
// listed and the highest counted places (a little past where the walk is,
// at least); the ids above it are cut into n ranges of equal width, the
// last without an upper bound. The cut and the ranges are saved before any
// range starts, so that a resumed run reads the same ranges. It returns
// how many ranges it queued.
func (e *engine) cut(ctx context.Context, s *stream, moved int64, n int) int {
	s.splitMu.Lock()
	s.mu.Lock()
	total, lowest, highest, at := s.total, s.minID, s.maxID, s.listedTo
	if s.unordered || s.listEnded || s.cut != 0 || lowest == 0 || n < 1 || highest < lowest {
		s.mu.Unlock()
		s.splitMu.Unlock()
		return 0
	}
	perID := float64(total) / float64(highest-lowest+1) // records per id
	cut := lowest + int64(float64(total-moved)/perID)
	cut = max(cut, at+1+int64(2*pageSize/perID)) // past the pages in flight
	if cut > highest {
		s.mu.Unlock()
		s.splitMu.Unlock()
		return 0
	}
	s.cut = cut
	s.mu.Unlock()
	width := max((highest+1-cut)/int64(n), 1)
	var ranges []idRange
	for lo := cut; lo <= highest && len(ranges) < n; lo += width {
		ranges = append(ranges, idRange{lo: lo, hi: lo + width})
	}
	ranges[len(ranges)-1].hi = 0
	saved := e.saveSplit(s, cut, ranges)
	s.splitMu.Unlock()
	if err := <-saved; err != nil {
		s.fail(ctx, err)
		return 0
	}
	for _, r := range ranges {
		top := r.hi
		if top == 0 {
			top = highest + 1
		}
		e.queueRange(ctx, s, r, int64(float64(top-r.lo)*perID))
	}
	return len(ranges)
}

// saveSplit hands the writer a type's cut and its new ranges (s.splitMu
// held: before any page that meets the cut).
func (e *engine) saveSplit(s *stream, cut int64, ranges []idRange) <-chan error {
	return e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		now := e.clk.Now()
		if err := tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: e.runID, Stream: splitKey(s.name),
			Cursor: strconv.FormatInt(cut, 10), Done: true, UpdatedAt: now}); err != nil {
			return err
		}
		for _, r := range ranges {
			if err := tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: e.runID, Stream: rangeKey(s.name, r), UpdatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}

// minSteal is the fewest records a steal takes: less, and the list walk
// reads them in a few round trips anyway.
const minSteal = 4 * pageSize

// steal, when a range ends, gives a new range the top of what the list walk
// with the most left still has to read (its cut moves down to where the new
// range starts): the search budget, freed, takes over the tail of the
// longest list walk, so that the run does not end on a few chains of list
// pages while a budget idles. It takes at most half of that walk's rest,
// and no more than evens out the two budgets' work left (the records the
// ranges still expect, at the searches' rate, against the list pages left
// at the ten-second rate). Only a time-economy run whose plan made ranges
// steals, and only from types whose records one search reads whole (no
// extra calls).
func (e *engine) steal(ctx context.Context) {
	e.mu.Lock()
	active := len(e.split.Moved) > 0
	e.mu.Unlock()
	if !active || ctx.Err() != nil {
		return
	}
	var best *stream
	var bestLeft, listLeft float64
	for _, t := range e.crm {
		if s := e.streams[t]; s.failedErr() == nil {
			left, _, _ := s.stealRange()
			listLeft += left
			if left > bestLeft {
				best, bestLeft = s, left
			}
		}
	}
	if best == nil {
		return
	}
	perList := 1 / (pageSize * hubspot.SustainedRate(e.client.RatePer10s())) // seconds a listed record takes
	perSearch := 1 / (hubspot.MaxSearchLimit * e.client.SearchRate())        // and a searched one
	even := (listLeft*perList - float64(e.rangeLeft.Load())*perSearch) / (perList + perSearch)
	best.splitMu.Lock()
	left, lo, top := best.stealRange() // again: the walk may have moved on
	take := min(left/2, even)
	if take < minSteal {
		best.splitMu.Unlock()
		return
	}
	mid := top - int64(take/left*float64(top-lo))
	r := idRange{lo: mid}
	best.mu.Lock()
	if best.cut > 0 {
		r.hi = best.cut
	}
	best.cut = mid
	best.mu.Unlock()
	saved := e.saveSplit(best, mid, []idRange{r})
	best.splitMu.Unlock()
	if err := <-saved; err != nil {
		best.fail(ctx, err)
		return
	}
	e.queueRange(ctx, best, r, int64(take))
}

// stealRange is what s's list walk has left that a steal could take: the
// records (at the ids' spread) between just past the pages in flight and
// the cut (or the highest id); 0 when it may not be stolen from.
func (s *stream) stealRange() (left float64, lo, top int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stealable || s.listEnded || s.unordered || s.minID == 0 || s.maxID < s.minID {
		return 0, 0, 0
	}
	perID := float64(s.total) / float64(s.maxID-s.minID+1)
	lo = s.listedTo + 1 + int64(2*pageSize/perID)
	top = s.cut
	if top == 0 {
		top = s.maxID + 1
	}
	if top <= lo {
		return 0, 0, 0
	}
	return float64(top-lo) * perID, lo, top
}

// otherCalls estimates the ten-second-budget calls the run still makes
// outside the walks of records: an archived page per type, and the
// marketing streams (from the last runs, or what is stored).
func (e *engine) otherCalls(ctx context.Context) int64 {
	var n int64
	var marketing []string
	for _, t := range e.selection {
		if catalog.IsCRM(t) {
			if _, done := e.plan.checkpoint(archivedKey(t)); !done {
				n++
			}
		} else {
			marketing = append(marketing, t)
		}
	}
	if len(marketing) == 0 {
		return n
	}
	est, err := NewEstimator(nil).Estimate(ctx, e.db, marketing, nil, e.client.RatePer10s(), EconomyCalls)
	if err != nil {
		return n
	}
	for _, te := range est.Types {
		n += max(te.Calls-te.Exempt-e.meter.of(te.Type).calls, 0)
	}
	return n
}
