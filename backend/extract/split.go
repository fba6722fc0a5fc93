package extract

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"hubextract/backend/hubspot"
)

// Economy is what a run saves when the two differ: calls or time.
type Economy string

const (
	// EconomyTime (the default) reads part of the largest types through
	// hs_object_id search ranges beside their list walk: searches and
	// date-based association reads spend budgets the list pages leave
	// free, and no type's chain of pages outlasts the run.
	EconomyTime Economy = "time"
	// EconomyCalls spends the fewest calls: each type through list pages
	// with its associations inline, but for a large type whose searches
	// bring more records a call (200 a page, its associations read 1,000
	// records a call) all of it past its first pages through a few search
	// ranges. The run may take longer: searches have a budget of their own.
	EconomyCalls Economy = "calls"
)

// ParseEconomy reads a setting or flag value; "" is EconomyTime.
func ParseEconomy(s string) (Economy, error) {
	switch Economy(strings.ToLower(strings.TrimSpace(s))) {
	case "", EconomyTime, "fastest":
		return EconomyTime, nil
	case EconomyCalls, "fewest", "fewest-calls":
		return EconomyCalls, nil
	}
	return "", fmt.Errorf("economy %q: use %q (fastest) or %q (fewest calls)", s, EconomyTime, EconomyCalls)
}

// The search-range path's costs and bounds.
const (
	// rangeBatch is how many records a range reads before it reads their
	// associations (one batch read per associated type, 1,000 ids a call)
	// and commits them with its cursor.
	rangeBatch = hubspot.MaxAssociationInputs
	// rangeMaxRecords caps one range: shorter ranges end more evenly
	// (keyset paging needs no cap for search's 10,000-result window).
	rangeMaxRecords = 4 * rangeBatch
	// maxExtraCalls is how many more calls than MinimumCalls the time
	// economy may spend, as a share of it.
	maxExtraCalls = 0.10
	// chainMargin keeps each chain of pages a little shorter than the plan,
	// for the round-trip times' spread.
	chainMargin = 0.9
	// defaultRTT is the round trip assumed before one is measured: HubSpot
	// from a desktop, as the fake's HubSpot-like latency.
	defaultRTT = 300 * time.Millisecond
	// maxRangeWorkers bounds the workers added for ranges (their requests
	// in flight beside the list walks').
	maxRangeWorkers = 4
	// minSplitRecords: a type with fewer records left is not cut (two
	// ranges' batches: less is not worth a range).
	minSplitRecords = 2 * rangeBatch
	// minSaving: a plan that saves less than this share of the time is
	// not worth its ranges.
	minSaving = 0.05
	// searchShare is the part of the search budget a plan fills: ranges
	// end on partial pages, and what a steal (split_apply.go) moves later
	// goes to the search budget only, never back.
	searchShare = 0.85
)

// sizing is what the split planner knows of one CRM type's walk still to
// do.
type sizing struct {
	Type    string
	Records int64 // active records the walk has still to read
	// PageSize is its list page (100; 50 when its history is read).
	PageSize int64
	// Splittable: the type may be read by search ranges (not when its
	// property history is read: search does not return it).
	Splittable bool
	// Chunks is how many searches one page of 200 takes to bring every
	// property (the search body holds at most 3,000 characters).
	Chunks int64
	// Inline is how many associated types each record's associations
	// are read for (one batch read per type per 1,000 records).
	Inline int64
}

// budgets are the rates and the round trip the plan is made for.
type budgets struct {
	General float64       // calls per second the ten-second budget allows (hubspot.SustainedRate)
	Search  float64       // searches per second
	RTT     time.Duration // one call's round trip
	// Other: ten-second-budget calls the run makes outside these walks
	// (metadata, property definitions, archived records, marketing).
	Other int64
	// Searches: searches the run makes outside the ranges (planning).
	Searches int64
}

// splitPlan is the planner's answer.
type splitPlan struct {
	Economy Economy
	// Moved is, per type read partly by search ranges, how many of its
	// records the ranges read; Ranges how many ranges.
	Moved  map[string]int64
	Ranges map[string]int
	// Seconds is the plan's predicted wall time: its busiest budget or its
	// longest chain of calls, whichever is longer. NaiveSeconds is what
	// the list walks alone would take (every call at the ten-second rate,
	// or the longest type's chain).
	Seconds, NaiveSeconds float64
	// Calls is the plan's calls; Minimum the list walks' (MinimumCalls).
	Calls, Minimum int64
}

// listCost is a type's list pages for n records.
func (z sizing) listCost(n int64) float64 { return math.Ceil(float64(n) / float64(z.PageSize)) }

// searchCost is a record's cost read by a range: its share of the search
// pages, of the association reads.
func (z sizing) searchPerRecord() float64 {
	return float64(z.Chunks)/hubspot.MaxSearchLimit + float64(z.Inline)/rangeBatch
}

// planSplit decides how much of which types search ranges read. With the
// calls economy, none: every record through the list walks. With the time
// economy it finds the shortest wall time T at which (1) every list chain
// (a type's list pages one after another, a round trip each) fits in T,
// the rest of a splittable type going to ranges; (2) the ten-second
// budget's calls fit in T at its rate and the searches in T at theirs,
// records moving from the first to the second until both fit; (3) the
// calls stay within maxExtraCalls of the list walks' (a property list that
// takes several searches a page makes the ranges dearer than list pages).
func planSplit(sizes []sizing, b budgets, economy Economy) splitPlan {
	p := splitPlan{Economy: economy, Moved: map[string]int64{}, Ranges: map[string]int{}}
	rtt := cmp.Or(b.RTT, defaultRTT).Seconds()
	listCalls := float64(b.Other)
	longest := 0.0
	for _, z := range sizes {
		c := z.listCost(z.Records)
		listCalls += c
		longest = max(longest, c*rtt)
	}
	p.Minimum = int64(listCalls) + b.Searches
	p.Calls = p.Minimum
	p.NaiveSeconds = max(float64(p.Minimum)/b.General, longest)
	p.Seconds = max(listCalls/b.General, float64(b.Searches)/b.Search, longest)
	if b.General <= 0 || b.Search <= 0 {
		return p
	}
	if economy == EconomyCalls {
		p.fewestCalls(sizes, b, rtt, listCalls)
		return p
	}
	best, moved := p.Seconds, map[string]int64(nil)
	lo, hi := 0.0, p.Seconds
	for range 40 { // bisection to well under a second
		t := (lo + hi) / 2
		if m, ok := movesFor(sizes, b, t, rtt, float64(p.Minimum)); ok {
			best, moved, hi = t, m, t
		} else {
			lo = t
		}
	}
	if moved == nil || best > (1-minSaving)*p.Seconds {
		return p
	}
	p.Seconds = best
	extra := 0.0
	for _, z := range sizes {
		m := moved[z.Type]
		if m <= 0 {
			continue
		}
		p.Moved[z.Type] = m
		p.Ranges[z.Type] = rangesFor(z, m, best, rtt)
		extra += float64(m)*z.searchPerRecord() - (z.listCost(z.Records) - z.listCost(z.Records-m))
	}
	p.Calls = p.Minimum + int64(math.Ceil(extra))
	return p
}

// fewestCalls moves to search ranges every type that they read in fewer
// calls than its list pages, all of it: as few ranges as keep the searches
// at their budget's rate (a range is a chain of calls, one round trip
// each), each range costing its partial last page and association reads.
func (p *splitPlan) fewestCalls(sizes []sizing, b budgets, rtt, listCalls float64) {
	searches, extra, longest := float64(b.Searches), 0.0, 0.0
	for _, z := range sizes {
		list := z.listCost(z.Records)
		chain := list * rtt
		if z.Splittable && z.Records >= minSplitRecords {
			// n chains of m/n records, perRecord seconds each, take as long
			// as the m·Chunks/200 searches at the search budget's rate;
			// each range holds rangeMaxRecords at least (its last page and
			// association reads are partial).
			perRecord := z.searchPerRecord() * rtt
			n := int64(min(math.Ceil(b.Search*perRecord*hubspot.MaxSearchLimit/float64(z.Chunks)),
				math.Ceil(float64(z.Records)/rangeMaxRecords)))
			n = max(n, 1)
			if cost := float64(n * rangeCalls((z.Records+n-1)/n, z.Chunks, z.Inline)); cost < list {
				p.Moved[z.Type], p.Ranges[z.Type] = z.Records, int(n)
				searches += float64(z.Records) * float64(z.Chunks) / hubspot.MaxSearchLimit
				listCalls -= list
				extra += cost - list
				chain = float64(z.Records) / float64(n) * perRecord
			}
		}
		longest = max(longest, chain)
	}
	p.Calls = p.Minimum + int64(math.Ceil(extra))
	p.Seconds = max(listCalls/b.General, searches/b.Search, longest)
}

// movesFor is, for a wall time t, how many records of each type ranges
// must read for the plan to fit in t; false when no move fits.
func movesFor(sizes []sizing, b budgets, t, rtt, minimum float64) (map[string]int64, bool) {
	moved := map[string]int64{}
	listCalls, searches, extra := float64(b.Other), float64(b.Searches), 0.0
	move := func(z sizing, n int64) {
		moved[z.Type] += n
		searches += float64(n) * float64(z.Chunks) / hubspot.MaxSearchLimit
		extra += float64(n) * z.searchPerRecord()
	}
	var room []sizing // splittable types, largest list part first
	for _, z := range sizes {
		chain := int64(t * chainMargin / rtt) // list pages one chain holds in t
		keep := min(z.Records, chain*z.PageSize)
		if z.Records > keep && (!z.Splittable || z.Records < minSplitRecords) {
			return nil, false
		}
		if z.Records > keep {
			move(z, z.Records-keep)
		}
		listCalls += z.listCost(keep)
		extra -= z.listCost(z.Records) - z.listCost(keep)
		if z.Splittable && z.Records >= minSplitRecords && keep > 0 {
			room = append(room, z)
		}
	}
	slices.SortFunc(room, func(a, c sizing) int { return cmp.Compare(c.Records-moved[c.Type], a.Records-moved[a.Type]) })
	// Balance the two budgets: whole pages from the largest list parts.
	for _, z := range room {
		over := listCalls - t*b.General
		if over <= 0 {
			break
		}
		left := z.Records - moved[z.Type]
		n := min(left, int64(math.Ceil(over))*z.PageSize)
		before := z.listCost(left)
		move(z, n)
		after := z.listCost(left - n)
		listCalls -= before - after
		extra -= before - after
	}
	return moved, listCalls <= t*b.General && searches <= t*b.Search*searchShare && extra <= maxExtraCalls*minimum
}

// rangesFor is how many ranges read m records of z within t: each range a
// chain of searches (and an association read per 1,000 records) short
// enough to end in t, and at least two where there is more than a batch,
// so that one range's round trips do not bound the searches.
func rangesFor(z sizing, m int64, t, rtt float64) int {
	perRecord := z.searchPerRecord() * rtt // the seconds a record takes in its chain
	chain := int64(t * chainMargin / perRecord)
	size := max(min(chain, rangeMaxRecords), rangeBatch)
	n := int((m + size - 1) / size)
	if m > rangeBatch {
		n = max(n, 2)
	}
	return max(n, 1)
}

// describe says the plan in one line of the run log.
func (p splitPlan) describe() string {
	if len(p.Moved) == 0 {
		return fmt.Sprintf("Plan: every type through its list pages (%s economy); the rest of the run about %s at the rate limit.",
			p.Economy, roundSeconds(p.Seconds))
	}
	var parts []string
	for _, t := range slices.Sorted(maps.Keys(p.Moved)) {
		parts = append(parts, fmt.Sprintf("%s: %d records in %d search ranges", t, p.Moved[t], p.Ranges[t]))
	}
	return fmt.Sprintf("Plan (%s economy): %s beside the list pages; the rest of the run about %s and %d calls (list pages alone: about %s and %d calls).",
		p.Economy, strings.Join(parts, "; "), roundSeconds(p.Seconds), p.Calls, roundSeconds(p.NaiveSeconds), p.Minimum)
}

func roundSeconds(s float64) string { return (time.Duration(s*10) * time.Second / 10).String() }
