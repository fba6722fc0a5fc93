package fakehub

import (
	"encoding/json"
	"net/http"
	"testing"
)

// A key without the oauth scope: account details answer 403 with HubSpot's
// missing-scope body naming oauth, while everything else still answers, and
// an email event still names the account (the other documented way to learn
// its id).
func TestDenyAccountDetailsScope(t *testing.T) {
	f := newFixture(t, Config{Scale: 5})
	var details struct {
		PortalID json.Number `json:"portalId"`
	}
	f.ok("GET", "/account-info/v3/details", nil, &details)

	f.s.DenyScope("account", "oauth")
	eb := f.fails("GET", "/account-info/v3/details", nil, http.StatusForbidden)
	if eb.Status != "error" || eb.Category != "MISSING_SCOPES" || eb.CorrelationID == "" || eb.Links["scopes"] == "" ||
		len(eb.Errors) != 1 {
		t.Fatalf("403 body: %+v", eb)
	}
	if got, _ := json.Marshal(eb.Errors[0].Context); string(got) != `{"requiredGranularScopes":["oauth"]}` {
		t.Errorf("error context %s, want oauth required", got)
	}

	f.ok("GET", "/crm/v3/objects/contacts?limit=1", nil, nil)
	f.ok("GET", "/crm/v3/owners", nil, nil)
	var events struct {
		Events []struct {
			PortalID json.Number `json:"portalId"`
		} `json:"events"`
	}
	f.ok("GET", "/email/public/v1/events?limit=1", nil, &events)
	if len(events.Events) != 1 || events.Events[0].PortalID != details.PortalID {
		t.Errorf("email event %+v, want the portal id %s of account details", events.Events, details.PortalID)
	}
}
