package hubspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
)

// Account details need the oauth scope: without it they are a ScopeError
// naming it, asked once; an email event still names the account.
func TestAccountDetailsWithoutTheirScope(t *testing.T) {
	ctx := context.Background()
	fake, h := fakePortal(t, fakehub.Config{Scale: 5})
	acct, err := h.client.AccountDetails(ctx)
	if err != nil || acct.PortalID == 0 || acct.TimeZone == "" {
		t.Fatalf("with every scope: %+v, %v", acct, err)
	}

	fake.DenyScope("account", hubspot.AccountDetailsScope)
	_, err = h.client.AccountDetails(ctx)
	var scope *hubspot.ScopeError
	if !errors.As(err, &scope) || scope.Status != 403 || !slices.Equal(scope.Scopes, []string{"oauth"}) {
		t.Fatalf("without oauth: %v", err)
	}
	if scope.Attempts != 1 {
		t.Errorf("%d attempts for a missing scope, want 1 (no retry)", scope.Attempts)
	}
	h.assertNoToken(t, err)

	page, err := h.client.ListEmailEvents(ctx, hubspot.EmailEventParams{Limit: 1})
	if err != nil || len(page.Events) != 1 {
		t.Fatalf("email events: %+v, %v", page, err)
	}
	if got := hubspot.EventPortalID(page.Events[0]); got != acct.PortalID {
		t.Errorf("an email event names portal %d, account details %d", got, acct.PortalID)
	}
}

func TestEventPortalID(t *testing.T) {
	tests := []struct {
		raw  string
		want int64
	}{
		{`{"id":"a","portalId":62515,"type":"SENT"}`, 62515},
		{`{"id":"a","portalId":4294967296}`, 4294967296},
		{`{"id":"a","type":"UNBOUNCE"}`, 0},
		{`{"id":"a","portalId":"62515"}`, 0},
		{`{"id":"a","portalId":-1}`, 0},
	}
	for _, tt := range tests {
		var e hubspot.EmailEvent
		if err := json.Unmarshal([]byte(tt.raw), &e); err != nil {
			t.Fatal(err)
		}
		if got := hubspot.EventPortalID(e); got != tt.want {
			t.Errorf("%s: portal %d, want %d", tt.raw, got, tt.want)
		}
	}
	if got := hubspot.EventPortalID(hubspot.EmailEvent{}); got != 0 {
		t.Errorf("an event without its JSON: portal %d", got)
	}
}
