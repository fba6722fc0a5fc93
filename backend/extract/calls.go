package extract

import (
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
)

// The paging model: what each part of a run costs in calls at best (every
// page full, no retry). A run counts its MinimumCalls with these as it goes
// and the Estimator predicts a run with them, so the two cannot drift; the
// scheduler orders walks by them too.

// Page sizes: each endpoint's maximum, the fewest calls per record.
const (
	pageSize        = hubspot.MaxListLimit        // list of records
	batchSize       = hubspot.MaxBatchRead        // batch read of records' properties
	ownersPage      = hubspot.MaxOwnersLimit      // owners
	formsPage       = hubspot.MaxFormsLimit       // forms
	submissionsPage = hubspot.MaxSubmissionsLimit // one form's submissions
	eventsPage      = hubspot.MaxEmailEventsLimit // marketing email events
)

// Calls a full read of one CRM type makes besides its pages, and the
// metadata read per type that has pipelines.
const (
	planningCalls = 1 // the limit-1 search for HubSpot's total
	pipelineCalls = 1 // a type's pipelines and stages
)

// propertiesCalls is what reading a type's property definitions costs: the
// non-sensitive list, then one list per level of sensitivity the type can
// hold (HubSpot lists each level apart). A level the key may not read
// costs its call all the same: the refusal is the answer.
func propertiesCalls(objectType string) int64 {
	return 1 + int64(len(catalog.SensitiveLevels(objectType)))
}

// pages is how many pages of size hold n items; an empty list is one page
// (the call that finds it empty).
func pages(n, size int64) int64 { return max(1, (n+size-1)/size) }

// Property history (propertiesWithHistory) makes HubSpot read fewer records
// a request: 50 a list page and 50 ids a batch read instead of 100 (see
// hubspot.MaxListWithHistory).
const (
	historyPageSize  = hubspot.MaxListWithHistory
	historyBatchSize = hubspot.MaxBatchReadWithHistory
)

// batchReadCalls is what reading the properties of n records by batch read
// costs (none for no record), with their history or without.
func batchReadCalls(n int64, history bool) int64 {
	size := int64(batchSize)
	if history {
		size = historyBatchSize
	}
	return (n + size - 1) / size
}

// listing is how a type's list reads its records: whether the property
// names fit the list URL (with history: twice), and whether it reads
// their history too (never in the archived pass: an archived record's
// history was read while it was active).
type listing struct {
	fits, history bool
}

// size is the list's page size: 50 when the list itself brings the
// history, else 100 (when the names do not fit, the list brings ids only
// and the batch reads bring properties and history).
func (l listing) size() int64 {
	if l.history && l.fits {
		return historyPageSize
	}
	return pageSize
}

// pageCalls is what one list page of n records costs: the list call, and a
// batch read of their properties (and history) when the names do not fit
// a URL.
func (l listing) pageCalls(n int64) int64 {
	if l.fits {
		return 1
	}
	return 1 + batchReadCalls(n, l.history)
}

// listCalls is what listing n records (the active ones, or the archived
// pass) costs: full pages, then the rest, each at pageCalls.
func (l listing) listCalls(n int64) int64 {
	size := l.size()
	full, rest := n/size, n%size
	calls := full * l.pageCalls(size)
	if rest > 0 || n == 0 {
		calls += l.pageCalls(rest)
	}
	return calls
}

// listingOf is how a list of props reads, with history or without; nil
// props (not known yet) are taken to fit.
func listingOf(props []string, history bool) listing {
	switch {
	case props == nil:
		return listing{fits: true, history: history}
	case history:
		return listing{fits: hubspot.PropertiesFitURLWithHistory(props), history: true}
	}
	return listing{fits: hubspot.PropertiesFitURL(props)}
}

// fullReadCalls is what a full read of a CRM type holding active and
// archived records costs, before completing overflowed associations (which
// only its pages reveal): the active records listed with history or
// without, the archived pass always without.
func fullReadCalls(objectType string, active, archived int64, props []string, history bool) int64 {
	l := listingOf(props, history)
	return propertiesCalls(objectType) + planningFor(active, l) + l.listCalls(active) +
		listingOf(props, false).listCalls(archived)
}

// planningFor is the planning call of a full read of active records: only
// a type whose first page is not its last is counted.
func planningFor(active int64, l listing) int64 {
	if active > l.size() {
		return planningCalls
	}
	return 0
}

// rangeCalls is what a search range (ranges.go) costs to read n records at
// best: its searches, chunks per page of 200, and per batch of up to
// rangeBatch records an association read per associated type; an empty
// range its one search.
func rangeCalls(n, chunks, inline int64) int64 {
	if n == 0 {
		return 1
	}
	return pages(n, hubspot.MaxSearchLimit)*chunks + pages(n, rangeBatch)*inline
}

// metadataCalls is what the metadata stream costs: the custom objects'
// schemas, the owners, active and archived, and the pipelines of each
// selected type that has them.
func metadataCalls(selection []string, owners, archivedOwners int64) int64 {
	return schemasCalls + pages(owners, ownersPage) + pages(archivedOwners, ownersPage) + pipelinesCalls(selection)
}

// pipelinesCalls is what reading the pipelines of a selection costs.
func pipelinesCalls(selection []string) int64 {
	var calls int64
	for _, t := range catalog.PipelineTypes() {
		if slices.Contains(selection, t) {
			calls += pipelineCalls
		}
	}
	return calls
}

// formsCalls is what listing the forms costs: the active ones, then the
// archived ones (a list of its own), each at least one page.
func formsCalls(active, archived int64) int64 {
	return pages(active, formsPage) + pages(archived, formsPage)
}

// submissionsCalls is what reading the submissions of forms holding the
// given counts costs, each form at least one page.
func submissionsCalls(perForm []int64) int64 {
	var calls int64
	for _, n := range perForm {
		calls += pages(n, submissionsPage)
	}
	return calls
}
