package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Page is one page of a cursor-paged list; Next is "" on the last page
// (pass it back as after for the next one).
type Page[T any] struct {
	Results []T
	Next    string
}

// The list pages of the API.
type (
	ObjectPage     = Page[Object]
	OwnerPage      = Page[Owner]
	FormPage       = Page[Form]
	SubmissionPage = Page[Submission]
)

// getPage reads one page of a v3-style list: {"results":[…],"paging":{…}}
// (the 2026-09 lists have the same form; an unpaged one has no paging).
func getPage[T any](ctx context.Context, c *Client, endpoint string, o op, args []string, query string) (Page[T], error) {
	var r struct {
		Results []T     `json:"results"`
		Paging  *paging `json:"paging"`
	}
	if err := c.getJSON(ctx, endpoint, o, args, query, &r); err != nil {
		return Page[T]{}, err
	}
	return Page[T]{Results: r.Results, Next: r.Paging.after()}, nil
}

// pageQuery is "limit=N", plus "&after=…" past the first page.
func pageQuery(limit int, after string) string {
	q := "limit=" + strconv.Itoa(limit)
	if after != "" {
		q += "&after=" + url.QueryEscape(after)
	}
	return q
}

// paging is HubSpot's v3 cursor envelope: {"paging":{"next":{"after":"…"}}};
// the last page has none.
type paging struct {
	Next *struct {
		After string `json:"after"`
	} `json:"next"`
}

func (p *paging) after() string {
	if p == nil || p.Next == nil {
		return ""
	}
	return p.Next.After
}

// clampLimit keeps a page size within (0, maxLimit], defaulting to the
// maximum: the fewest calls per record.
func clampLimit(limit, maxLimit int) int {
	if limit <= 0 || limit > maxLimit {
		return maxLimit
	}
	return limit
}

// idString decodes an id sent as a JSON string or number into text. A
// number keeps its literal digits (no float64 on the way: ids pass 2^53).
type idString string

func (s *idString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = idString(v)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("id %s: %w", b, err)
		}
		*s = idString(n.String())
	}
	return nil
}

// msTime decodes HubSpot's epoch-millisecond timestamps (a number, or a
// string of digits), also accepting RFC 3339; null is the zero time.
type msTime time.Time

func (t *msTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*t = msTime{}
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*t = msTime{}
			return nil
		}
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		*t = msTime(time.UnixMilli(ms).UTC())
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("timestamp %s: not epoch milliseconds or RFC 3339", b)
	}
	*t = msTime(v)
	return nil
}
