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
	// History holds, when asked for (ListParams.History, a batch read with
	// history), each property's values over time, newest first as HubSpot
	// sends them; a property without any value is absent.
	History map[string][]PropertyValue `json:"propertiesWithHistory,omitempty"`
}

// PropertyValue is one value a property had (HubSpot's ValueWithTimestamp):
// since when, and what set it (CRM_UI, IMPORT, API, INTEGRATION,
// CALCULATED, ...; the source's id and label when HubSpot knows them, the
// user who made the change when a user did).
type PropertyValue struct {
	Value           string    `json:"value"`
	Timestamp       time.Time `json:"timestamp"`
	SourceType      string    `json:"sourceType"`
	SourceID        string    `json:"sourceId,omitempty"`
	SourceLabel     string    `json:"sourceLabel,omitempty"`
	UpdatedByUserID int64     `json:"updatedByUserId,omitempty"` // 0: none
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
	// History also asks for the earlier values of every property in
	// Properties (propertiesWithHistory), which caps the page at
	// MaxListWithHistory records.
	History bool
}

// MaxListLimit and MaxBatchRead are the most records a list page and a
// batch read carry.
const (
	MaxListLimit = 100
	MaxBatchRead = 100
	// With propertiesWithHistory HubSpot reads fewer records a request
	// (objects.json 2026-09: its use "will reduce the maximum number of
	// objects that can be read by a single request"; ../shared/hubspot-api.md:
	// at most 50 a list page). 50 is used for batch reads too: the
	// description gives them the same parameter and the same warning.
	MaxListWithHistory      = 50
	MaxBatchReadWithHistory = 50
	listEndpoint            = "list "
	batchEndpoint           = "batch read "

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

// PropertiesFitURLWithHistory is PropertiesFitURL for a list that also
// asks for the properties' history: every name is in the URL twice.
func PropertiesFitURLWithHistory(props []string) bool {
	return len(propertiesParam(props))+len(historyParam(props, true)) <= MaxURLLength-urlReserve
}

// ListObjects reads one page of a CRM object type. A property list too long
// for one URL is split across several requests for the same page (the
// first also asks for the associations) and merged by id.
func (c *Client) ListObjects(ctx context.Context, objectType string, p ListParams) (ObjectPage, error) {
	endpoint := listEndpoint + objectType
	limit := MaxListLimit
	if p.History {
		limit = MaxListWithHistory
	}
	q := pageQuery(clampLimit(p.Limit, limit), p.After)
	if p.Archived {
		q += "&archived=true"
	}
	withAssoc := q
	if len(p.Associations) > 0 {
		withAssoc += "&associations=" + joinEscaped(p.Associations)
	}
	room := MaxURLLength - len(c.base+c.pathOf(opListObjects, objectType)+"?"+withAssoc)
	if p.History {
		// Each name goes in both lists: half the room each, less the
		// second parameter's name.
		room = (room - len("&propertiesWithHistory=") + len("&properties=")) / 2
	}
	chunks := splitProperties(p.Properties, room)

	page, err := getPage[Object](ctx, c, endpoint, opListObjects, []string{objectType},
		withAssoc+propertiesParam(chunks[0])+historyParam(chunks[0], p.History))
	if err != nil {
		return ObjectPage{}, fmt.Errorf("list %s after %q: %w", objectType, p.After, err)
	}
	for _, chunk := range chunks[1:] {
		more, err := getPage[Object](ctx, c, endpoint, opListObjects, []string{objectType},
			q+propertiesParam(chunk)+historyParam(chunk, p.History))
		if err == nil {
			err = c.mergeProperties(ctx, objectType, page.Results, more.Results, chunk, p.Archived, p.History)
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
func (c *Client) mergeProperties(ctx context.Context, objectType string, page, more []Object, props []string, archived, history bool) error {
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
			if len(m.History) > 0 && o.History == nil {
				o.History = make(map[string][]PropertyValue, len(m.History))
			}
			for k, v := range m.History {
				o.History[k] = v
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
	found, err := c.BatchReadObjects(ctx, objectType, missing, props, archived, history)
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

// historyParam renders "&propertiesWithHistory=a,b,c" when history is
// asked for; "" otherwise or for no names.
func historyParam(props []string, history bool) string {
	if !history || len(props) == 0 {
		return ""
	}
	return "&propertiesWithHistory=" + joinEscaped(props)
}

func joinEscaped(names []string) string {
	esc := make([]string, len(names))
	for i, n := range names {
		esc[i] = url.QueryEscape(n)
	}
	return strings.Join(esc, ",")
}

// BatchReadObjects reads records by id with the given properties, 100 ids
// per call; with history, also every one of those properties' history, 50
// ids per call (MaxBatchReadWithHistory). Ids HubSpot does not find are
// absent from the result; any other per-id failure is an error.
func (c *Client) BatchReadObjects(ctx context.Context, objectType string, ids, properties []string, archived, history bool) ([]Object, error) {
	query := ""
	if archived {
		query = "archived=true"
	}
	type input struct {
		ID string `json:"id"`
	}
	var out []Object
	size := MaxBatchRead
	if history {
		size = MaxBatchReadWithHistory
	}
	for start := 0; start < len(ids); start += size {
		end := min(start+size, len(ids))
		// The 2026-09 description requires propertiesWithHistory: none
		// unless history is asked for.
		body := struct {
			Properties            []string `json:"properties"`
			PropertiesWithHistory []string `json:"propertiesWithHistory"`
			Inputs                []input  `json:"inputs"`
		}{Properties: properties, PropertiesWithHistory: []string{}, Inputs: make([]input, 0, end-start)}
		if body.Properties == nil {
			body.Properties = []string{}
		}
		if history {
			body.PropertiesWithHistory = body.Properties
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
