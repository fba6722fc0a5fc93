package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
)

// MaxSearchLimit is the search endpoints' page size limit. Search never
// returns more than 10,000 results per query: slice larger reads (by
// hs_lastmodifieddate or hs_object_id ranges) so each slice stays under.
// A search body may not exceed MaxSearchBody characters: ask for fewer
// properties and read the rest by BatchReadObjects.
const (
	MaxSearchLimit = 200
	MaxSearchBody  = 3_000
)

// SearchRequest is the body of a search. The 2026-09 description requires
// filterGroups, sorts, properties and limit (and after, which a first page
// has none of), so they are always sent, empty or not.
type SearchRequest struct {
	FilterGroups []FilterGroup `json:"filterGroups"`
	Sorts        []Sort        `json:"sorts"`
	Properties   []string      `json:"properties"`
	Limit        int           `json:"limit"` // 1..200, default 200
	After        string        `json:"after,omitempty"`
}

// FilterGroup: filters within a group are ANDed, groups are ORed.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Filter compares one property. Operator is EQ, NEQ, LT, LTE, GT, GTE,
// BETWEEN (Value..HighValue), IN / NOT_IN (Values), HAS_PROPERTY,
// NOT_HAS_PROPERTY, CONTAINS_TOKEN or NOT_CONTAINS_TOKEN.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// Sort orders results; Direction is ASCENDING or DESCENDING.
type Sort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

// SearchPage is one page of search results (no associations: search never
// returns them). Total counts every match, even past the 10,000 cap.
type SearchPage struct {
	Total   int
	Results []Object
	Next    string
}

// SearchObjects runs one page of a search. It waits on the search limiter
// as well as the account's.
func (c *Client) SearchObjects(ctx context.Context, objectType string, req SearchRequest) (SearchPage, error) {
	req.Limit = clampLimit(req.Limit, MaxSearchLimit)
	if req.FilterGroups == nil {
		req.FilterGroups = []FilterGroup{}
	}
	if req.Sorts == nil {
		req.Sorts = []Sort{}
	}
	if req.Properties == nil {
		req.Properties = []string{}
	}
	var r struct {
		Total   int      `json:"total"`
		Results []Object `json:"results"`
		Paging  *paging  `json:"paging"`
	}
	body, err := json.Marshal(req)
	if err != nil {
		return SearchPage{}, fmt.Errorf("search %s: encode request: %w", objectType, err)
	}
	if len(body) > MaxSearchBody { // HubSpot would answer 400: say why without spending a call
		return SearchPage{}, fmt.Errorf("search %s: request body of %d characters, HubSpot allows %d: ask for fewer properties and read the rest by batch read",
			objectType, len(body), MaxSearchBody)
	}
	rq := &request{endpoint: "search " + objectType, op: opSearchObjects, args: []string{objectType}, body: body}
	if err := c.do(ctx, rq, &r); err != nil {
		return SearchPage{}, fmt.Errorf("search %s after %q: %w", objectType, req.After, err)
	}
	return SearchPage{Total: r.Total, Results: r.Results, Next: r.Paging.after()}, nil
}

// SearchPropertyChunks splits props into the fewest lists that each fit a
// search body of MaxSearchBody characters beside req's filters and sorts
// (a long property list is read by several searches of the same records).
func SearchPropertyChunks(req SearchRequest, props []string) ([][]string, error) {
	req.Properties = []string{}
	req.Limit = MaxSearchLimit
	base, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("search properties: %w", err)
	}
	room := MaxSearchBody - len(base) - len(`"99999999999999999999"`) // the keyset filter's widest value
	var chunks [][]string
	start, size := 0, 0
	for i, p := range props {
		q, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("search properties: %w", err)
		}
		n := len(q) + 1 // the comma
		if n > room {
			return nil, fmt.Errorf("search properties: the name %.40q alone is longer than a search body allows", p)
		}
		if i > start && size+n > room {
			chunks = append(chunks, props[start:i])
			start, size = i, 0
		}
		size += n
	}
	return append(chunks, props[start:]), nil
}
