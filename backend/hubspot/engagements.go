package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"time"
)

// Engagement is one record of the legacy v1 engagements API, which mixes
// every type (CALL, EMAIL, MEETING, NOTE, TASK) and carries associations
// inline. Raw keeps HubSpot's whole JSON.
type Engagement struct {
	ID         string
	Type       string
	OwnerID    string
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Timestamp  time.Time
	ContactIDs []string
	CompanyIDs []string
	DealIDs    []string
	OwnerIDs   []string
	TicketIDs  []string
	Metadata   json.RawMessage
	Raw        json.RawMessage
}

func (e *Engagement) UnmarshalJSON(b []byte) error {
	var w struct {
		Engagement struct {
			ID          idString `json:"id"`
			Type        string   `json:"type"`
			OwnerID     idString `json:"ownerId"`
			Active      bool     `json:"active"`
			CreatedAt   msTime   `json:"createdAt"`
			LastUpdated msTime   `json:"lastUpdated"`
			Timestamp   msTime   `json:"timestamp"`
		} `json:"engagement"`
		Associations struct {
			ContactIDs []idString `json:"contactIds"`
			CompanyIDs []idString `json:"companyIds"`
			DealIDs    []idString `json:"dealIds"`
			OwnerIDs   []idString `json:"ownerIds"`
			TicketIDs  []idString `json:"ticketIds"`
		} `json:"associations"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	g, a := w.Engagement, w.Associations
	*e = Engagement{
		ID: string(g.ID), Type: g.Type, OwnerID: string(g.OwnerID), Active: g.Active,
		CreatedAt: time.Time(g.CreatedAt), UpdatedAt: time.Time(g.LastUpdated), Timestamp: time.Time(g.Timestamp),
		ContactIDs: ids(a.ContactIDs), CompanyIDs: ids(a.CompanyIDs), DealIDs: ids(a.DealIDs),
		OwnerIDs: ids(a.OwnerIDs), TicketIDs: ids(a.TicketIDs),
		Metadata: w.Metadata, Raw: append(json.RawMessage(nil), b...),
	}
	return nil
}

func ids(in []idString) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// EngagementPage is one page of v1 engagements; when HasMore, Offset is
// where the next starts.
type EngagementPage struct {
	Results []Engagement
	HasMore bool
	Offset  int64
}

const maxEngagementsV1Limit = 250

// ListEngagementsV1 reads one page of GET /engagements/v1/engagements/paged
// (limit 1..250, default 250).
func (c *Client) ListEngagementsV1(ctx context.Context, offset int64, limit int) (EngagementPage, error) {
	q := "limit=" + strconv.Itoa(clampLimit(limit, maxEngagementsV1Limit))
	if offset > 0 {
		q += "&offset=" + strconv.FormatInt(offset, 10)
	}
	var r struct {
		Results []Engagement `json:"results"`
		HasMore bool         `json:"hasMore"`
		Offset  int64        `json:"offset"`
	}
	if err := c.getJSON(ctx, "engagements v1", "/engagements/v1/engagements/paged", q, &r); err != nil {
		return EngagementPage{}, fmt.Errorf("engagements v1 offset %d: %w", offset, err)
	}
	return EngagementPage{Results: r.Results, HasMore: r.HasMore, Offset: r.Offset}, nil
}

// EngagementsV1 pages through the v1 engagements from offset on.
func (c *Client) EngagementsV1(ctx context.Context, offset int64, limit int) iter.Seq2[EngagementPage, error] {
	return pages(offset, func(off int64) (EngagementPage, int64, bool, error) {
		p, err := c.ListEngagementsV1(ctx, off, limit)
		return p, p.Offset, p.HasMore, err
	})
}
