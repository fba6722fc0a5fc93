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

// batchReadCalls is what reading the properties of n records by batch read
// costs (none for no record).
func batchReadCalls(n int64) int64 { return (n + batchSize - 1) / batchSize }

// pageCalls is what one list page of n records costs: the list call, and a
// batch read of their properties when the names do not fit a URL.
func pageCalls(n int64, fits bool) int64 {
	if fits {
		return 1
	}
	return 1 + batchReadCalls(n)
}

// listCalls is what listing n records (the active ones, or the archived
// pass) costs: full pages, then the rest, each at pageCalls.
func listCalls(n int64, fits bool) int64 {
	full, rest := n/pageSize, n%pageSize
	calls := full * pageCalls(pageSize, fits)
	if rest > 0 || n == 0 {
		calls += pageCalls(rest, fits)
	}
	return calls
}

// fullReadCalls is what a full read of a CRM type holding active and
// archived records costs, before completing overflowed associations (which
// only its pages reveal).
func fullReadCalls(objectType string, active, archived int64, fits bool) int64 {
	return propertiesCalls(objectType) + planningCalls + listCalls(active, fits) + listCalls(archived, fits)
}

// metadataCalls is what the metadata stream costs: the owners, active and
// archived, and the pipelines of each selected type that has them.
func metadataCalls(selection []string, owners, archivedOwners int64) int64 {
	return pages(owners, ownersPage) + pages(archivedOwners, ownersPage) + pipelinesCalls(selection)
}

// pipelinesCalls is what reading the pipelines of a selection costs.
func pipelinesCalls(selection []string) int64 {
	var calls int64
	for _, t := range catalog.PipelineTypes {
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
