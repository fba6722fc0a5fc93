package workspace

import (
	"slices"
	"strings"
	"testing"

	"hubextract/backend/demo"
	"hubextract/backend/fakehub"
	"hubextract/backend/settings"
	"hubextract/backend/testkit"
)

// denyAll takes every scope the probes check from a key.
func denyAll(f *fakehub.Server) {
	for _, d := range [][2]string{
		{"contacts", "crm.objects.contacts.read"}, {"companies", "crm.objects.companies.read"},
		{"deals", "crm.objects.deals.read"}, {"tickets", "tickets"}, {"owners", "crm.objects.owners.read"},
		{"emails", "sales-email-read"}, {"forms", "forms"}, {"email_events", "content"},
		{"leads", "crm.objects.leads.read"}, {"products", "crm.objects.products.read"},
		{"line_items", "crm.objects.line_items.read"}, {"quotes", "crm.objects.quotes.read"},
	} {
		f.DenyScope(d[0], d[1])
	}
}

// Test connection against the fake HubSpot, for the keys a person pastes:
// the account's details need a scope of their own (oauth) that a key made
// for the data alone lacks, and that must not cost the key.
func TestConnectionScopes(t *testing.T) {
	const good = "pat-good"
	// The fake's account (the same for every fake of this seed).
	var portal int64
	{
		w, _ := open(t, demo.Options{Scale: 5}, testkit.Serve(t, fakehub.New(fakehub.Config{Token: good, Scale: 5})))
		c, err := w.Connection.Test(good)
		if err != nil || c.Account == nil || c.Account.PortalID == 0 || c.Account.Name == "" {
			t.Fatalf("the fake's account (its name from the 2026-09 details): %+v, %v", c, err)
		}
		portal = c.Account.PortalID
	}
	tests := []struct {
		name       string
		key        string
		deny       func(f *fakehub.Server)
		ok         bool
		says       []string // in the message
		portal     int64    // the account id shown; 0: none
		timeZone   bool
		scope      string   // AccountScope
		missing    []string // nil: none
		allMissing bool     // every probe's scope missing
	}{
		{name: "EveryScope", key: good, ok: true, says: []string{"Connected. The key can read everything the app extracts."},
			portal: portal, timeZone: true},
		{name: "WithoutAccountDetailsScope", key: good, deny: func(f *fakehub.Server) { f.DenyScope("account", "oauth") },
			ok: true, says: []string{"Connected. The key can read everything", "Without the oauth scope", "time zone", "add oauth"},
			portal: portal, scope: "oauth"},
		{name: "WithoutAccountDetailsOrEmailEvents", key: good, deny: func(f *fakehub.Server) {
			f.DenyScope("account", "oauth")
			f.DenyScope("email_events", "content")
		}, ok: true, says: []string{"lacks 1 permission", "which account this key opens", "add oauth"},
			scope: "oauth", missing: []string{"content"}},
		{name: "WrongKey", key: "pat-wrong", says: []string{"HubSpot did not accept this key", "Nothing was saved"}},
		{name: "WrongKeyWithoutAccountDetailsScope", key: "pat-wrong", deny: func(f *fakehub.Server) { f.DenyScope("account", "oauth") },
			says: []string{"HubSpot did not accept this key", "Nothing was saved"}},
		{name: "MissingOneDataScope", key: good, deny: func(f *fakehub.Server) { f.DenyScope("forms", "forms") },
			ok: true, says: []string{"lacks 1 permission"}, portal: portal, timeZone: true, missing: []string{"forms"}},
		{name: "NoDataScopes", key: good, deny: denyAll,
			says: []string{"can read nothing the app extracts", "Nothing was saved"}, allMissing: true},
		{name: "NoScopesAtAll", key: good, deny: func(f *fakehub.Server) { denyAll(f); f.DenyScope("account", "oauth") },
			says: []string{"can read nothing the app extracts", "Nothing was saved"}, scope: "oauth", allMissing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakehub.New(fakehub.Config{Token: good, Scale: 5})
			if tt.deny != nil {
				tt.deny(fake)
			}
			w, _ := open(t, demo.Options{Scale: 5}, testkit.Serve(t, fake))
			c, err := w.Connection.Test(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			if c.OK != tt.ok {
				t.Fatalf("ok %v, want %v: %+v", c.OK, tt.ok, c)
			}
			for _, s := range tt.says {
				if !strings.Contains(c.Message, s) {
					t.Errorf("message %q lacks %q", c.Message, s)
				}
			}
			switch {
			case tt.portal == 0 && c.Account != nil:
				t.Errorf("account %+v, want none", c.Account)
			case tt.portal != 0 && (c.Account == nil || c.Account.PortalID != tt.portal):
				t.Errorf("account %+v, want portal %d", c.Account, tt.portal)
			case c.Account != nil && (c.Account.TimeZone != "") != tt.timeZone:
				t.Errorf("time zone %q, want one: %v", c.Account.TimeZone, tt.timeZone)
			}
			if c.AccountScope != tt.scope {
				t.Errorf("account scope %q, want %q", c.AccountScope, tt.scope)
			}
			switch {
			case tt.allMissing:
				if len(c.Missing) != len(probes) || len(c.Scopes) != len(probes) {
					t.Errorf("missing %v of %d scope checks, want all %d", c.Missing, len(c.Scopes), len(probes))
				}
			case !slices.Equal(c.Missing, tt.missing):
				t.Errorf("missing %v, want %v", c.Missing, tt.missing)
			}
			if tt.ok && len(c.Scopes) != len(probes) {
				t.Errorf("%d scope checks, want every probe's %d", len(c.Scopes), len(probes))
			}
			st, err := w.Status()
			if err != nil {
				t.Fatal(err)
			}
			if st.Token.Saved != tt.ok || st.Connected != tt.ok || c.Token.Saved != tt.ok {
				t.Errorf("saved %v (connected %v, result %+v), want %v", st.Token.Saved, st.Connected, c.Token, tt.ok)
			}
			if tt.ok && st.Source != settings.SourceHubSpot {
				t.Errorf("source %q after an accepted key", st.Source)
			}
		})
	}
}
