package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Form is a marketing form; Raw keeps HubSpot's whole JSON (fields,
// configuration) for whoever needs more than the summary.
type Form struct {
	ID        string
	Name      string
	FormType  string
	CreatedAt time.Time
	UpdatedAt time.Time
	Archived  bool
	Raw       json.RawMessage
}

func (f *Form) UnmarshalJSON(b []byte) error {
	var w struct {
		ID        string    `json:"id"`
		Name      string    `json:"name"`
		FormType  string    `json:"formType"`
		CreatedAt time.Time `json:"createdAt"`
		UpdatedAt time.Time `json:"updatedAt"`
		Archived  bool      `json:"archived"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*f = Form{ID: w.ID, Name: w.Name, FormType: w.FormType, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
		Archived: w.Archived, Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// The largest pages HubSpot serves of forms, of one form's submissions and
// of email events; a read asks for them (the engine's paging model counts
// with them).
const (
	MaxFormsLimit       = 100
	MaxSubmissionsLimit = 50
	MaxEmailEventsLimit = 1000
)

// Form types. HubSpot's published description of the forms API
// (HubSpot/HubSpot-public-api-spec-collection,
// PublicApiSpecs/Marketing/Forms/Rollouts/144909/v3/forms.json, info.version
// "v3") defines GET /marketing/v3/forms's formTypes as an array query
// parameter (style form, explode: repeated formTypes=…) of hubspot,
// captured, flow, blog_comment and all, and archived as a boolean ("only
// results that have been archived"). Without formTypes HubSpot lists only
// hubspot forms; a form's JSON names its type in formType.
// The list asks for all of them with formTypes=all, so a type HubSpot adds
// later is listed too.
const (
	FormTypeBlogComment = "blog_comment" // no submissions: the submissions endpoint answers 400
	formTypesAll        = "all"
)

// ListForms reads one page of the active marketing forms, of every type.
func (c *Client) ListForms(ctx context.Context, after string) (FormPage, error) {
	return c.listForms(ctx, false, after)
}

// ListArchivedForms reads one page of the archived marketing forms, of
// every type: a list of its own (archived=true lists only those).
func (c *Client) ListArchivedForms(ctx context.Context, after string) (FormPage, error) {
	return c.listForms(ctx, true, after)
}

func (c *Client) listForms(ctx context.Context, archived bool, after string) (FormPage, error) {
	q := pageQuery(MaxFormsLimit, after) + "&formTypes=" + formTypesAll
	if archived {
		q += "&archived=true"
	}
	p, err := getPage[Form](ctx, c, "forms", opForms, nil, q)
	if err != nil {
		return FormPage{}, fmt.Errorf("forms (archived %t) after %q: %w", archived, after, err)
	}
	return p, nil
}

// Submission is one form submission.
type Submission struct {
	ConversionID string
	SubmittedAt  time.Time
	PageURL      string
	Values       []FieldValue
}

// FieldValue is one submitted field.
type FieldValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func (s *Submission) UnmarshalJSON(b []byte) error {
	var w struct {
		ConversionID string       `json:"conversionId"`
		SubmittedAt  msTime       `json:"submittedAt"`
		PageURL      string       `json:"pageUrl"`
		Values       []FieldValue `json:"values"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Submission{ConversionID: w.ConversionID, SubmittedAt: time.Time(w.SubmittedAt), PageURL: w.PageURL, Values: w.Values}
	return nil
}

// ListFormSubmissions reads one page (50) of a form's submissions, newest
// first. There is no bulk endpoint: one paged read per form.
func (c *Client) ListFormSubmissions(ctx context.Context, formID, after string) (SubmissionPage, error) {
	p, err := getPage[Submission](ctx, c, "form submissions", opFormSubmissions, []string{formID}, pageQuery(MaxSubmissionsLimit, after))
	if err != nil {
		return SubmissionPage{}, fmt.Errorf("submissions of form %s after %q: %w", formID, after, err)
	}
	return p, nil
}

// EmailEventParams filters GET /email/public/v1/events. Start and End are
// inclusive, to the millisecond; zero means unbounded. EventType is
// case-sensitive (SENT, DELIVERED, OPEN, CLICK, BOUNCE…).
type EmailEventParams struct {
	Start, End time.Time
	EventType  string
	Offset     string // from the previous page; short-lived
	Limit      int    // 1..1000, default 1000
}

// EmailEvent is one marketing email event; Raw keeps HubSpot's whole JSON
// (type-specific fields such as url, browser, bounce category).
type EmailEvent struct {
	ID         string
	Type       string
	Created    time.Time
	Recipient  string
	CampaignID string
	Raw        json.RawMessage
}

func (e *EmailEvent) UnmarshalJSON(b []byte) error {
	var w struct {
		ID         idString `json:"id"`
		Type       string   `json:"type"`
		Created    msTime   `json:"created"`
		Recipient  string   `json:"recipient"`
		CampaignID idString `json:"emailCampaignId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = EmailEvent{ID: string(w.ID), Type: w.Type, Created: time.Time(w.Created), Recipient: w.Recipient,
		CampaignID: string(w.CampaignID), Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// EmailEventPage is one page of events (newest first); when HasMore, pass
// Offset back for the next.
type EmailEventPage struct {
	Events  []EmailEvent
	Offset  string
	HasMore bool
}

// ListEmailEvents reads one page of marketing email events.
func (c *Client) ListEmailEvents(ctx context.Context, p EmailEventParams) (EmailEventPage, error) {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(clampLimit(p.Limit, MaxEmailEventsLimit)))
	if !p.Start.IsZero() {
		q.Set("startTimestamp", strconv.FormatInt(p.Start.UnixMilli(), 10))
	}
	if !p.End.IsZero() {
		q.Set("endTimestamp", strconv.FormatInt(p.End.UnixMilli(), 10))
	}
	if p.EventType != "" {
		q.Set("eventType", p.EventType)
	}
	if p.Offset != "" {
		q.Set("offset", p.Offset)
	}
	var r struct {
		Events  []EmailEvent `json:"events"`
		Offset  idString     `json:"offset"`
		HasMore bool         `json:"hasMore"`
	}
	if err := c.getJSON(ctx, "email events", opEmailEvents, nil, q.Encode(), &r); err != nil {
		return EmailEventPage{}, fmt.Errorf("email events offset %q: %w", p.Offset, err)
	}
	return EmailEventPage{Events: r.Events, Offset: string(r.Offset), HasMore: r.HasMore}, nil
}
