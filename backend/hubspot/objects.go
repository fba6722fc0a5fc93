package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Object is one CRM record (contact, company, deal, ticket, or an
// engagement such as a call or note) in the v3 shape.
type Object struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"` // nil value = HubSpot's null
	CreatedAt  time.Time          `json:"createdAt"`
	UpdatedAt  time.Time          `json:"updatedAt"`
	Archived   bool               `json:"archived"`
	ArchivedAt time.Time          `json:"archivedAt"`
	// Associations holds the inline first page of associated ids per
	// object type; a type with none is absent (zero, not unknown).
	Associations map[string]AssociationCollection `json:"associations,omitempty"`
}

// AssociationCollection is the inline page of one association type; Next
// is set when there are more than fit inline (read them with
// BatchReadAssociations, for that record only).
type AssociationCollection struct {
	Results []AssociationRef `json:"results"`
	Next    string           `json:"next,omitempty"`
}

func (a *AssociationCollection) UnmarshalJSON(b []byte) error {
	var w struct {
		Results []AssociationRef `json:"results"`
		Paging  *paging          `json:"paging"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = AssociationCollection{Results: w.Results, Next: w.Paging.after()}
	return nil
}

// AssociationRef is one associated id and its label-type, e.g.
// contact_to_company or contact_to_company_unlabeled: the same id can
// appear once per label.
type AssociationRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// ListParams selects a page of GET /crm/v3/objects/{type}.
type ListParams struct {
	Limit        int    // 1..100, default 100
	After        string // cursor from the previous page's Next
	Properties   []string
	Associations []string // object types whose ids come inline
	Archived     bool     // true lists only archived records
}

// MaxListLimit and MaxBatchRead are the most records a list page and a
// batch read carry.
const (
	MaxListLimit  = 100
	MaxBatchRead  = 100
	listEndpoint  = "list "
	batchEndpoint = "batch read "

	// MaxURLLength is the longest URL the client sends. HubSpot answers 414
	// somewhere above it; Airbyte keeps under ~15,000.
	MaxURLLength = 12_000
	// urlReserve is what PropertiesFitURL sets aside for the base URL, the
	// path and the other query parameters.
	urlReserve = 1_000
)

// PropertiesFitURL reports whether props fit in one list URL. When they do
// not, ListObjects still works (it splits the list across requests for the
// same page, one extra call each), but an engine may prefer another read.
func PropertiesFitURL(props []string) bool {
	return len(propertiesParam(props)) <= MaxURLLength-urlReserve
}

// ListObjects reads one page of a CRM object type. A property list too long
// for one URL is split across several requests for the same page (the
// first also asks for the associations) and merged by id.
func (c *Client) ListObjects(ctx context.Context, objectType string, p ListParams) (ObjectPage, error) {
	endpoint := listEndpoint + objectType
	q := pageQuery(clampLimit(p.Limit, MaxListLimit), p.After)
	if p.Archived {
		q += "&archived=true"
	}
	withAssoc := q
	if len(p.Associations) > 0 {
		withAssoc += "&associations=" + joinEscaped(p.Associations)
	}
	room := MaxURLLength - len(c.base+c.pathOf(opListObjects, objectType)+"?"+withAssoc)
	chunks := splitProperties(p.Properties, room)

	page, err := getPage[Object](ctx, c, endpoint, opListObjects, []string{objectType}, withAssoc+propertiesParam(chunks[0]))
	if err != nil {
		return ObjectPage{}, fmt.Errorf("list %s after %q: %w", objectType, p.After, err)
	}
	for _, chunk := range chunks[1:] {
		more, err := getPage[Object](ctx, c, endpoint, opListObjects, []string{objectType}, q+propertiesParam(chunk))
		if err == nil {
			err = c.mergeProperties(ctx, objectType, page.Results, more.Results, chunk, p.Archived)
		}
		if err != nil {
			return ObjectPage{}, fmt.Errorf("list %s after %q (more properties): %w", objectType, p.After, err)
		}
	}
	return page, nil
}

// mergeProperties copies the properties of a later chunk into the page by
// id. Records the later request did not return (deleted or shifted in
// between) get those properties by batch read; records it returned that
// the page lacks belong to another page and are ignored.
func (c *Client) mergeProperties(ctx context.Context, objectType string, page, more []Object, props []string, archived bool) error {
	byID := make(map[string]*Object, len(page))
	for i := range page {
		byID[page[i].ID] = &page[i]
	}
	merge := func(objs []Object) {
		for _, m := range objs {
			o, ok := byID[m.ID]
			if !ok {
				continue
			}
			if o.Properties == nil {
				o.Properties = make(map[string]*string, len(m.Properties))
			}
			for k, v := range m.Properties {
				o.Properties[k] = v
			}
			delete(byID, m.ID)
		}
	}
	merge(more)
	if len(byID) == 0 {
		return nil
	}
	missing := make([]string, 0, len(byID))
	for id := range byID {
		missing = append(missing, id)
	}
	found, err := c.BatchReadObjects(ctx, objectType, missing, props, archived)
	if err != nil {
		return err
	}
	merge(found)
	return nil
}

// splitProperties packs props into chunks whose properties parameter fits
// in room characters; always at least one chunk (nil = HubSpot's defaults).
func splitProperties(props []string, room int) [][]string {
	if len(props) == 0 {
		return [][]string{nil}
	}
	room -= len("&properties=")
	var chunks [][]string
	start, size := 0, 0
	for i, p := range props {
		n := len(url.QueryEscape(p))
		if i > start {
			n++ // the comma
		}
		if i > start && size+n > room {
			chunks = append(chunks, props[start:i])
			start, size, n = i, 0, n-1
		}
		size += n
	}
	return append(chunks, props[start:])
}

// propertiesParam renders "&properties=a,b,c" with literal commas (three
// characters shorter per name than %2C); "" for none.
func propertiesParam(props []string) string {
	if len(props) == 0 {
		return ""
	}
	return "&properties=" + joinEscaped(props)
}

func joinEscaped(names []string) string {
	esc := make([]string, len(names))
	for i, n := range names {
		esc[i] = url.QueryEscape(n)
	}
	return strings.Join(esc, ",")
}

// BatchReadObjects reads records by id with the given properties, 100 ids
// per call. Ids HubSpot does not find are absent from the result; any other
// per-id failure is an error.
func (c *Client) BatchReadObjects(ctx context.Context, objectType string, ids, properties []string, archived bool) ([]Object, error) {
	query := ""
	if archived {
		query = "archived=true"
	}
	type input struct {
		ID string `json:"id"`
	}
	var out []Object
	for start := 0; start < len(ids); start += MaxBatchRead {
		end := min(start+MaxBatchRead, len(ids))
		// The 2026-09 description requires propertiesWithHistory: none.
		body := struct {
			Properties            []string `json:"properties"`
			PropertiesWithHistory []string `json:"propertiesWithHistory"`
			Inputs                []input  `json:"inputs"`
		}{Properties: properties, PropertiesWithHistory: []string{}, Inputs: make([]input, 0, end-start)}
		if body.Properties == nil {
			body.Properties = []string{}
		}
		for _, id := range ids[start:end] {
			body.Inputs = append(body.Inputs, input{ID: id})
		}
		var r struct {
			Results []Object     `json:"results"`
			Errors  []batchError `json:"errors"`
		}
		if err := c.postJSON(ctx, batchEndpoint+objectType, opBatchReadObjects, []string{objectType}, query, body, &r); err != nil {
			return out, fmt.Errorf("batch read %s ids %d–%d: %w", objectType, start+1, end, err)
		}
		for _, e := range r.Errors {
			if e.Category != "OBJECT_NOT_FOUND" {
				return out, fmt.Errorf("batch read %s ids %d–%d: %s", objectType, start+1, end, e.public().String())
			}
		}
		out = append(out, r.Results...)
	}
	return out, nil
}
