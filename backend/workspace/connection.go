package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
)

// Connection is the result of testing a key, in words for the Welcome
// screen.
type Connection struct {
	OK      bool     `json:"ok"`      // HubSpot accepted the key (it is saved)
	Message string   `json:"message"` // what happened, in plain words
	Account *Account `json:"account"` // nil unless OK
	// Scopes lists every permission the app uses and whether the key has it.
	Scopes  []ScopeCheck         `json:"scopes"`
	Missing []string             `json:"missing"` // the scopes it lacks
	Token   settings.TokenStatus `json:"token"`   // where the key was saved
}

// Account is the HubSpot account a key opens.
type Account struct {
	PortalID    int64  `json:"portalId"`
	TimeZone    string `json:"timeZone"`
	AccountType string `json:"accountType"`
	Currency    string `json:"currency"`
	UIDomain    string `json:"uiDomain"`
	DataHosting string `json:"dataHosting"`
}

// ScopeCheck is one permission and what it lets the app read.
type ScopeCheck struct {
	Scope   string `json:"scope"`
	Reads   string `json:"reads"`
	Granted bool   `json:"granted"`
	// Problem says why it could not be checked, or what it means for this
	// account (a feature the account does not have).
	Problem string `json:"problem"`
}

// probe checks one scope with the cheapest call that needs it.
type probe struct {
	scope, reads string
	call         func(ctx context.Context, c *hubspot.Client) error
}

func listProbe(objectType string) func(ctx context.Context, c *hubspot.Client) error {
	return func(ctx context.Context, c *hubspot.Client) error {
		_, err := c.ListObjects(ctx, objectType, hubspot.ListParams{Limit: 1, Properties: []string{"hs_object_id"}})
		return err
	}
}

func propertiesProbe(objectType string) func(ctx context.Context, c *hubspot.Client) error {
	return func(ctx context.Context, c *hubspot.Client) error {
		_, err := c.Properties(ctx, objectType)
		return err
	}
}

// probes follow the README's scope table.
var probes = []probe{
	{"crm.objects.contacts.read", "contacts, and the calls, emails, meetings, notes and tasks logged on records", listProbe("contacts")},
	{"crm.objects.companies.read", "companies", listProbe("companies")},
	{"crm.objects.deals.read", "deals and deal pipelines", listProbe("deals")},
	{"tickets", "tickets and ticket pipelines", listProbe("tickets")},
	{"crm.objects.owners.read", "owners, so records show who owns them", func(ctx context.Context, c *hubspot.Client) error {
		_, err := c.ListOwners(ctx, "", false)
		return err
	}},
	{"crm.schemas.contacts.read", "the definitions of contact properties (labels and options)", propertiesProbe("contacts")},
	{"crm.schemas.companies.read", "the definitions of company properties", propertiesProbe("companies")},
	{"crm.schemas.deals.read", "the definitions of deal properties", propertiesProbe("deals")},
	{"sales-email-read", "the text of logged emails", listProbe("emails")},
	{"forms", "forms and form submissions", func(ctx context.Context, c *hubspot.Client) error {
		_, err := c.ListForms(ctx, "")
		return err
	}},
	{"content", "marketing email events (sent, delivered, opened, clicked)", func(ctx context.Context, c *hubspot.Client) error {
		_, err := c.ListEmailEvents(ctx, hubspot.EmailEventParams{Limit: 1})
		return err
	}},
}

// connectionTimeout bounds a whole test: a key that works answers in a
// few seconds.
const connectionTimeout = 45 * time.Second

// ConnectionService connects the app to HubSpot (a key, or the sample
// data) for the Welcome screen.
type ConnectionService struct{ w *Workspace }

// Test checks token against HubSpot: the account it opens and which of the
// app's scopes it has. A key HubSpot accepts is saved (in the keychain, else
// the less protected file) and becomes the data source; a refused one is not
// saved and the result says why. The test spends the account's one budget,
// shared with a run going on.
func (s *ConnectionService) Test(token string) (Connection, error) {
	w := s.w
	token = strings.TrimSpace(token)
	if token == "" {
		return Connection{Message: "Paste the key from HubSpot first.", Scopes: []ScopeCheck{}, Missing: []string{}}, nil
	}
	ctx, cancel := context.WithTimeout(w.base, connectionTimeout)
	defer cancel()
	acct, err := w.accountFor(settings.SourceHubSpot, w.apiURL, token, w.settings())
	if err != nil {
		return Connection{Message: "The app cannot use this HubSpot address: " + err.Error() + ". Nothing was saved.",
			Scopes: []ScopeCheck{}, Missing: []string{}}, nil
	}
	res := checkConnection(ctx, acct.client.Session(nil, hubspot.RetryPolicy{MaxAttempts: 2}))
	if !res.OK {
		return res, nil
	}
	st, err := w.tokens.Save(token)
	if err != nil {
		return res, err
	}
	res.Token = st
	w.mu.Lock()
	w.tokenStatus = st
	w.mu.Unlock()
	if w.settings().Source != settings.SourceHubSpot {
		if _, err := s.LeaveSampleData(); err != nil {
			return res, err
		}
	}
	return res, nil
}

// checkConnection reads the account, then runs every probe (a few at a
// time).
func checkConnection(ctx context.Context, c *hubspot.Client) Connection {
	res := Connection{Scopes: make([]ScopeCheck, len(probes)), Missing: []string{}}
	acct, err := c.AccountDetails(ctx)
	if err != nil {
		res.Message = refusal(err)
		res.Scopes = []ScopeCheck{}
		return res
	}
	res.OK = true
	res.Account = &Account{PortalID: acct.PortalID, TimeZone: acct.TimeZone, AccountType: acct.AccountType,
		Currency: acct.CompanyCurrency, UIDomain: acct.UIDomain, DataHosting: acct.DataHostingLocation}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, p := range probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			res.Scopes[i] = checkScope(ctx, c, p)
		}()
	}
	wg.Wait()
	for _, s := range res.Scopes {
		if !s.Granted && s.Problem == "" {
			res.Missing = append(res.Missing, s.Scope)
		}
	}
	switch n := len(res.Missing); {
	case n == 0:
		res.Message = "Connected. The key can read everything the app extracts."
	case n == 1:
		res.Message = "Connected, but the key lacks 1 permission: the app extracts everything else and says what it skipped."
	default:
		res.Message = fmt.Sprintf("Connected, but the key lacks %d permissions: the app extracts everything else and says what it skipped.", n)
	}
	return res
}

func checkScope(ctx context.Context, c *hubspot.Client, p probe) ScopeCheck {
	sc := ScopeCheck{Scope: p.scope, Reads: p.reads}
	err := p.call(ctx, c)
	var scope *hubspot.ScopeError
	var notFound *hubspot.NotFoundError
	switch {
	case err == nil:
		sc.Granted = true
	case errors.As(err, &scope):
		if len(scope.Scopes) > 0 {
			sc.Scope = strings.Join(scope.Scopes, " or ")
		}
	case errors.As(err, &notFound):
		sc.Problem = "This HubSpot account does not include this feature."
	default:
		sc.Problem = "Could not be checked: " + hubspot.UserMessage(err)
	}
	return sc
}

// refusal says why HubSpot did not open the account.
func refusal(err error) string {
	if errors.As(err, new(*hubspot.AuthError)) {
		return "HubSpot did not accept this key. Check that it was copied whole, and that the service key " +
			"(or legacy private app) still exists in HubSpot. Nothing was saved."
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "HubSpot did not answer in time: check the internet connection and try again. Nothing was saved."
	}
	return hubspot.UserMessage(err) + " Nothing was saved."
}
