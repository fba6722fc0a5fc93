package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Property describes one property (column) of an object type.
type Property struct {
	Name         string           `json:"name"`
	Label        string           `json:"label"`
	Type         string           `json:"type"`      // string, number, date, datetime, enumeration, bool…
	FieldType    string           `json:"fieldType"` // text, textarea, select, checkbox, calculation…
	GroupName    string           `json:"groupName"`
	Description  string           `json:"description"`
	DisplayOrder int              `json:"displayOrder"`
	Hidden       bool             `json:"hidden"`
	Calculated   bool             `json:"calculated"`
	Options      []PropertyOption `json:"options"` // value → label for enumerations
	// DataSensitivity is NonSensitive, Sensitive or HighlySensitive; ""
	// (an answer that does not say) is NonSensitive.
	DataSensitivity string `json:"dataSensitivity"`
}

// PropertyOption is one allowed value of an enumeration property.
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// The levels of the properties list's dataSensitivity parameter (an enum
// of one value per call, default non_sensitive, in both
// PublicApiSpecs/CRM/Properties/Rollouts/145899/v3/properties.json and
// .../2026-09/properties.json): each level is its own list, so reading
// every property of a type takes one call per level.
const (
	NonSensitive    = "non_sensitive"
	Sensitive       = "sensitive"
	HighlySensitive = "highly_sensitive"
)

// Properties lists the property definitions of an object type at one
// level of sensitivity ("": NonSensitive), in one unpaged answer. A key
// without the type's scope for that level is answered 403 (a ScopeError).
func (c *Client) Properties(ctx context.Context, objectType, sensitivity string) ([]Property, error) {
	q, what := "", "properties of "+objectType
	if sensitivity != "" && sensitivity != NonSensitive {
		q = "dataSensitivity=" + url.QueryEscape(sensitivity)
		what = strings.ReplaceAll(sensitivity, "_", " ") + " " + what
	}
	p, err := getPage[Property](ctx, c, "properties "+objectType, opProperties, []string{objectType}, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for i := range p.Results {
		if p.Results[i].DataSensitivity == "" {
			p.Results[i].DataSensitivity = NonSensitive
		}
	}
	return p.Results, nil
}

// Owner is a HubSpot user records can be assigned to.
type Owner struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
	UserID    int64     `json:"userId"`
	Archived  bool      `json:"archived"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// UnmarshalJSON takes userIdIncludingInactive when userId is absent, as it
// is for deactivated (archived) owners.
func (o *Owner) UnmarshalJSON(b []byte) error {
	type plain Owner
	var w struct {
		plain
		UserID         *int64 `json:"userId"`
		UserIDInactive int64  `json:"userIdIncludingInactive"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*o = Owner(w.plain)
	o.UserID = w.UserIDInactive
	if w.UserID != nil {
		o.UserID = *w.UserID
	}
	return nil
}

// MaxOwnersLimit is the largest page of owners.
const MaxOwnersLimit = 500

// ListOwners reads one page of owners (500 per page).
func (c *Client) ListOwners(ctx context.Context, after string, archived bool) (OwnerPage, error) {
	q := pageQuery(MaxOwnersLimit, after)
	if archived {
		q += "&archived=true"
	}
	p, err := getPage[Owner](ctx, c, "owners", opOwners, nil, q)
	if err != nil {
		return OwnerPage{}, fmt.Errorf("owners after %q: %w", after, err)
	}
	return p, nil
}

// Pipeline is a deal or ticket pipeline with its stages.
type Pipeline struct {
	ID           string          `json:"id"`
	Label        string          `json:"label"`
	DisplayOrder int             `json:"displayOrder"`
	Archived     bool            `json:"archived"`
	Stages       []PipelineStage `json:"stages"`
}

// PipelineStage: Metadata holds e.g. probability (deals) or ticketState.
type PipelineStage struct {
	ID           string            `json:"id"`
	Label        string            `json:"label"`
	DisplayOrder int               `json:"displayOrder"`
	Archived     bool              `json:"archived"`
	Metadata     map[string]string `json:"metadata"`
}

// decodeStringMap reads a JSON object whose values HubSpot documents as
// strings but sometimes sends as numbers or booleans: each becomes text.
func decodeStringMap(raw map[string]json.RawMessage) map[string]string {
	if raw == nil {
		return nil
	}
	m := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			m[k] = s
		} else if string(v) != "null" {
			m[k] = string(v)
		}
	}
	return m
}

func (s *PipelineStage) UnmarshalJSON(b []byte) error {
	type plain PipelineStage
	var w struct {
		plain
		Metadata map[string]json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = PipelineStage(w.plain)
	s.Metadata = decodeStringMap(w.Metadata)
	return nil
}

// Pipelines lists the pipelines of deals or tickets (one unpaged answer).
func (c *Client) Pipelines(ctx context.Context, objectType string) ([]Pipeline, error) {
	p, err := getPage[Pipeline](ctx, c, "pipelines "+objectType, opPipelines, []string{objectType}, "")
	if err != nil {
		return nil, fmt.Errorf("pipelines of %s: %w", objectType, err)
	}
	return p.Results, nil
}

// Account is the portal's identity and settings.
type Account struct {
	PortalID            int64  `json:"portalId"`
	TimeZone            string `json:"timeZone"`
	CompanyCurrency     string `json:"companyCurrency"`
	UIDomain            string `json:"uiDomain"`
	DataHostingLocation string `json:"dataHostingLocation"`
	AccountType         string `json:"accountType"`
	UTCOffset           string `json:"utcOffset"`
	// PortalName is the account's name: only the 2026-09 answer has it
	// (PublicApiSpecs/Account/Account Info/Rollouts/318954/2026-09/accountInfo.json).
	PortalName string `json:"portalName"`
}

// AccountDetailsScope is the one scope account details need. HubSpot's
// published descriptions (HubSpot/HubSpot-public-api-spec-collection,
// PublicApiSpecs/Account/Account Info/Rollouts/144923/v3/accountInfo.json,
// version v3, and .../2026-09/accountInfo.json, version 2026-09) give
// GET /account-info/v3/details the security "oauth2": ["oauth"] and
// "private_apps": ["oauth"]: a key without oauth is answered 403 there
// while it may read everything else. The answer has no account name.
const AccountDetailsScope = "oauth"

// AccountDetails reads the portal's details (it needs AccountDetailsScope).
// It also teaches the client the account's time zone, in which the daily
// limit resets.
func (c *Client) AccountDetails(ctx context.Context) (Account, error) {
	var a Account
	if err := c.getJSON(ctx, "account details", opAccountDetails, nil, "", &a); err != nil {
		return Account{}, fmt.Errorf("account details: %w", err)
	}
	if loc := a.location(); loc != nil {
		c.zone.Store(loc)
	}
	return a, nil
}

// location is the account's time zone: by name when this machine knows it,
// else the fixed UTC offset ("-05:00"); nil when neither parses.
func (a Account) location() *time.Location {
	if a.TimeZone != "" {
		if loc, err := time.LoadLocation(a.TimeZone); err == nil {
			return loc
		}
	}
	off := strings.TrimSpace(a.UTCOffset)
	if t, err := time.Parse("-07:00", off); err == nil {
		_, secs := t.Zone()
		return time.FixedZone(off, secs)
	}
	return nil
}

// EventPortalID is the account an email event belongs to: the one other
// documented way to learn the portal id without AccountDetailsScope
// ("portalId: an ID referencing the HubSpot account that sent the email
// message. This will correspond to your account", the legacy Email Events
// API overview, developers.hubspot.com/docs/methods/email/email_events_overview);
// it needs the content scope and an account that has sent an email. The
// token look-ups are no way for a service key: GET
// /oauth/v1/access-tokens/{token} (PublicApiSpecs/Auth/Oauth/Rollouts/155908/v1/oauth.json,
// version v1) is deprecated, describes OAuth access tokens and puts the key
// in the URL; POST /oauth/2026-09/token/introspect
// (PublicApiSpecs/Auth/Oauth/Rollouts/279897/2026-09/oauth.json, version
// 2026-09) takes an app's client id and secret and documents only "active".
// 0 when the event does not say.
func EventPortalID(e EmailEvent) int64 {
	var w struct {
		PortalID int64 `json:"portalId"`
	}
	if json.Unmarshal(e.Raw, &w) != nil || w.PortalID < 0 {
		return 0
	}
	return w.PortalID
}
