package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// Connection is the result of testing a key, in words for the Welcome
// screen.
type Connection struct {
	OK      bool   `json:"ok"`      // HubSpot accepted the key (it is saved)
	Message string `json:"message"` // what happened, in plain words
	// Account is nil unless OK and HubSpot said which account the key opens.
	Account *Account `json:"account"`
	// AccountScope is the scope the key lacks for the account's details
	// (its time zone, type and currency; its id too unless an email event
	// gave it): "" once they were read. The key works without it.
	AccountScope string `json:"accountScope"`
	// Scopes lists every permission the app uses and whether the key has it.
	Scopes  []ScopeCheck `json:"scopes"`
	Missing []string     `json:"missing"` // the scopes it lacks
	// Types lists every type and whether the key can read it, from the
	// same probes (no call per type).
	Types []TypeAccess         `json:"types"`
	Token settings.TokenStatus `json:"token"` // where the key was saved
}

// TypeAccess is whether a key can read one type, and if not, what would
// let it.
type TypeAccess struct {
	Type     string `json:"type"`
	Label    string `json:"label"`
	Readable bool   `json:"readable"`
	// Scope is the scope that would add the type ("" when readable).
	Scope string `json:"scope"`
	// Problem says why it could not be checked, or that the account lacks
	// the feature ("" when the key simply lacks Scope).
	Problem string `json:"problem"`
}

// Account is the HubSpot account a key opens.
type Account struct {
	PortalID int64 `json:"portalId"`
	// Name is the account's name: only HubSpot's 2026-09 details give it.
	Name        string `json:"name"`
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

// probe checks one scope with the cheapest call that needs it. A call that
// learns the account's id on the way returns it (else 0).
type probe struct {
	scope, reads string
	// lists is the type the call reads, if any: a type is readable only
	// when its ReadScope's probe and every probe listing it succeed.
	lists string
	call  func(ctx context.Context, c *hubspot.Client) (portalID int64, err error)
}

func listProbe(objectType string) func(ctx context.Context, c *hubspot.Client) (int64, error) {
	return func(ctx context.Context, c *hubspot.Client) (int64, error) {
		_, err := c.ListObjects(ctx, objectType, hubspot.ListParams{Limit: 1, Properties: []string{"hs_object_id"}})
		return 0, err
	}
}

func propertiesProbe(objectType string) func(ctx context.Context, c *hubspot.Client) (int64, error) {
	return func(ctx context.Context, c *hubspot.Client) (int64, error) {
		// The non-sensitive list: the schema scope the probe tests, not the
		// sensitive-data ones a key may lack without being wrong.
		_, err := c.Properties(ctx, objectType, hubspot.NonSensitive)
		return 0, err
	}
}

// probes follow the README's scope table: one per scope, the scopes that
// read a type first, from the catalog (each type's ReadScope, probed with
// the cheapest read of the first type that needs it), then the others.
var probes = append(typeProbes(), []probe{
	{scope: "crm.objects.owners.read", reads: "owners, so records show who owns them", call: func(ctx context.Context, c *hubspot.Client) (int64, error) {
		_, err := c.ListOwners(ctx, "", false)
		return 0, err
	}},
	{scope: "crm.schemas.contacts.read", reads: "the definitions of contact properties (labels and options)", call: propertiesProbe("contacts")},
	{scope: "crm.schemas.companies.read", reads: "the definitions of company properties", call: propertiesProbe("companies")},
	{scope: "crm.schemas.deals.read", reads: "the definitions of deal properties", call: propertiesProbe("deals")},
	// Logged emails: HubSpot refuses them to a key without this scope,
	// contacts scope or not, so emails are readable only with both.
	{scope: "sales-email-read", reads: "the text of logged emails", lists: "emails", call: listProbe("emails")},
}...)

// scopeWords say what a type's scope lets the app read, where the labels of
// its types would say less; a scope not here is described by its types.
var scopeWords = map[string]string{
	"crm.objects.contacts.read":  "contacts, and the calls, emails, meetings, notes and tasks logged on records",
	"crm.objects.deals.read":     "deals and deal pipelines",
	"tickets":                    "tickets and ticket pipelines",
	"content":                    "marketing email events (sent, delivered, opened, clicked)",
	"crm.objects.companies.read": "companies",
	"forms":                      "forms and form submissions",
}

// marketingProbes are the cheapest reads of the types that are not CRM
// records (those are probed by listing one record).
var marketingProbes = map[string]func(ctx context.Context, c *hubspot.Client) (int64, error){
	catalog.Forms: func(ctx context.Context, c *hubspot.Client) (int64, error) {
		_, err := c.ListForms(ctx, "")
		return 0, err
	},
	catalog.EmailEvents: func(ctx context.Context, c *hubspot.Client) (int64, error) {
		p, err := c.ListEmailEvents(ctx, hubspot.EmailEventParams{Limit: 1})
		if err != nil || len(p.Events) == 0 {
			return 0, err
		}
		return hubspot.EventPortalID(p.Events[0]), nil
	},
}

// typeProbes is one probe per distinct ReadScope of the catalog's types,
// in catalog order: a type added to the catalog is probed (and listed by
// test connection) without more code here.
func typeProbes() []probe {
	var out []probe
	for _, name := range catalog.All() {
		t, _ := catalog.Lookup(name)
		if t.ReadScope == "" || slices.ContainsFunc(out, func(p probe) bool { return p.scope == t.ReadScope }) {
			continue
		}
		call := marketingProbes[name]
		if t.Records {
			call = listProbe(name)
		}
		if call == nil {
			continue // a type whose scope another type's probe may check
		}
		reads := scopeWords[t.ReadScope]
		if reads == "" {
			var labels []string
			for _, other := range catalog.All() {
				if catalog.ReadScope(other) == t.ReadScope {
					labels = append(labels, strings.ToLower(catalog.Label(other)))
				}
			}
			reads = strings.Join(labels, ", ")
		}
		out = append(out, probe{scope: t.ReadScope, reads: reads, lists: name, call: call})
	}
	return out
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
		return Connection{Message: "Paste the key from HubSpot first.", Scopes: []ScopeCheck{}, Missing: []string{}, Types: []TypeAccess{}}, nil
	}
	ctx, cancel := context.WithTimeout(w.base, connectionTimeout)
	defer cancel()
	acct, err := w.accountFor(settings.SourceHubSpot, w.apiURL, token, w.settings())
	if err != nil {
		return Connection{Message: "The app cannot use this HubSpot address: " + err.Error() + ". Nothing was saved.",
			Scopes: []ScopeCheck{}, Missing: []string{}, Types: []TypeAccess{}}, nil
	}
	res := checkConnection(ctx, acct.client.Session(nil, hubspot.RetryPolicy{MaxAttempts: 2}))
	if !res.OK {
		return res, nil
	}
	st, err := w.saveKey(token, res.Account)
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
	// A type the key reads now is no longer unavailable: the next default
	// selection includes it again (the database has no runs to correct
	// when it does not exist yet).
	readable := make(map[string]bool, len(res.Types))
	for _, t := range res.Types {
		readable[t.Type] = t.Readable
	}
	err = w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		return db.SaveTypeAccess(ctx, readable, acct.client.Clock().Now())
	})
	if err != nil {
		return res, fmt.Errorf("record which types the key reads: %w", err)
	}
	return res, nil
}

// typeAccess turns the probes' results (checks[i] is probes[i]'s) into
// whether each type is readable: its ReadScope's probe, and any probe that
// reads the type itself, granted.
func typeAccess(checks []ScopeCheck) []TypeAccess {
	out := make([]TypeAccess, 0, len(catalog.All()))
	for _, name := range catalog.All() {
		ta := TypeAccess{Type: name, Label: catalog.Label(name), Readable: true}
		scope := catalog.ReadScope(name)
		for i, p := range probes {
			if (p.scope != scope && p.lists != name) || checks[i].Granted {
				continue
			}
			ta.Readable, ta.Scope, ta.Problem = false, checks[i].Scope, checks[i].Problem
			break
		}
		out = append(out, ta)
	}
	return out
}

// checkConnection reads the account's details, then runs every probe (a
// few at a time).
//
// The details need the oauth scope (hubspot.AccountDetailsScope), which a
// key made for the scope table may lack: their 403 refuses nothing (HubSpot
// answers 403 only to a key it knows), so the probes decide. A 401 anywhere
// refuses the key: it is wrong. A key HubSpot knows but that can read none
// of what the app extracts (every probe 403, or 404 for a feature the
// account lacks) is refused too, with the scopes it lacks listed: saving it
// would switch the app to an account whose every run fails, and the person
// at the screen is still in HubSpot, adding scopes, and tests again.
func checkConnection(ctx context.Context, c *hubspot.Client) Connection {
	res := Connection{Scopes: make([]ScopeCheck, len(probes)), Missing: []string{}, Types: []TypeAccess{}}
	acct, err := c.AccountDetails(ctx)
	var denied *hubspot.ScopeError
	switch {
	case err == nil:
		res.Account = &Account{PortalID: acct.PortalID, Name: acct.PortalName, TimeZone: acct.TimeZone, AccountType: acct.AccountType,
			Currency: acct.CompanyCurrency, UIDomain: acct.UIDomain, DataHosting: acct.DataHostingLocation}
	case errors.As(err, &denied):
		res.AccountScope = hubspot.AccountDetailsScope
		if len(denied.Scopes) > 0 {
			res.AccountScope = strings.Join(denied.Scopes, " or ")
		}
	default:
		return refused(refusal(err))
	}
	errs := make([]error, len(probes))
	portals := make([]int64, len(probes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, p := range probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			res.Scopes[i], portals[i], errs[i] = checkScope(ctx, c, p)
		}()
	}
	wg.Wait()
	res.Types = typeAccess(res.Scopes)
	granted := 0
	var unknown error // the first probe that could not be checked
	for i, s := range res.Scopes {
		switch {
		case errors.As(errs[i], new(*hubspot.AuthError)):
			return refused(refusal(errs[i]))
		case s.Granted:
			granted++
		case s.Problem == "":
			res.Missing = append(res.Missing, s.Scope)
		case unknown == nil && !errors.As(errs[i], new(*hubspot.NotFoundError)):
			unknown = errs[i]
		}
	}
	if granted == 0 && (unknown == nil || res.Account == nil) {
		if unknown != nil {
			// Nothing proved the key works: as a failed details read.
			return refused(refusal(unknown))
		}
		res.Account = nil
		res.Message = "HubSpot knows this key, but it can read nothing the app extracts: add the scopes below to the key " +
			"in HubSpot, then test it again. Nothing was saved."
		return res
	}
	res.OK = true
	if res.Account == nil {
		for _, id := range portals {
			if id > 0 {
				res.Account = &Account{PortalID: id}
				break
			}
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
	if res.AccountScope != "" {
		res.Message += " " + accountNote(res)
	}
	return res
}

// accountNote says what the key's missing account scope hides, and that
// the extraction does not need it.
func accountNote(res Connection) string {
	what, them := "which account this key opens, its name or its time zone", "them"
	if res.Account != nil {
		what = "the account's name or time zone"
	}
	return fmt.Sprintf("Without the %[1]s scope HubSpot does not say %[2]s: add %[1]s to the key in HubSpot to see %[3]s. "+
		"Extracting works without it (the daily API limit is then counted in this computer's time zone).", res.AccountScope, what, them)
}

// refused is a key HubSpot did not open, and why.
func refused(msg string) Connection {
	return Connection{Message: msg, Scopes: []ScopeCheck{}, Missing: []string{}, Types: []TypeAccess{}}
}

func checkScope(ctx context.Context, c *hubspot.Client, p probe) (ScopeCheck, int64, error) {
	sc := ScopeCheck{Scope: p.scope, Reads: p.reads}
	portal, err := p.call(ctx, c)
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
	return sc, portal, err
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
