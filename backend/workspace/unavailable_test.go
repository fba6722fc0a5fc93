package workspace

import (
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"hubextract/backend/demo"
	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestUnavailableTypes: test connection lists which types the key reads; a
// run of "everything" with a key that lacks the tickets scope succeeds
// without tickets, and the Extract screen then shows tickets unavailable,
// unticked, with the scope that adds them; the next default run leaves
// them out; once a connection test finds the scope granted, tickets are
// ticked again and the default run extracts them.
func TestUnavailableTypes(t *testing.T) {
	const key = "pat-good"
	cfg := fakehub.Config{Token: key, Scale: 5}
	denied, granted := fakehub.New(cfg), fakehub.New(cfg)
	denied.DenyScope("tickets", "tickets")
	// The same account, before and after the scope is added to the key.
	var serving atomic.Pointer[fakehub.Server]
	serving.Store(denied)
	w, _ := open(t, demo.Options{Scale: 5}, testkit.Serve(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		serving.Load().ServeHTTP(rw, r)
	})))

	c, err := w.Connection.Test(key)
	if err != nil || !c.OK {
		t.Fatalf("connection: %+v, %v", c, err)
	}
	access := map[string]TypeAccess{}
	for _, ta := range c.Types {
		access[ta.Type] = ta
	}
	for _, tt := range []struct {
		typ      string
		readable bool
		scope    string
	}{
		{"contacts", true, ""}, {"tickets", false, "tickets"}, {"emails", true, ""}, {"forms", true, ""},
		{"form_submissions", true, ""}, {"email_events", true, ""},
	} {
		if got := access[tt.typ]; got.Readable != tt.readable || got.Scope != tt.scope || got.Label == "" {
			t.Errorf("%s: %+v, want readable %v scope %q", tt.typ, got, tt.readable, tt.scope)
		}
	}

	first, err := w.Extract.Start(ExtractRequest{})
	if err != nil || first.Run.Status != store.StatusSucceeded {
		t.Fatalf("first run: %+v, %v", first.Run, err)
	}
	if s := streamOf(first.Run, "tickets"); s == nil || s.Status != store.StatusUnavailable || s.Scope != "tickets" {
		t.Errorf("tickets in the first run: %+v", s)
	}
	if c := choice(t, w, "tickets"); !c.Unavailable || c.Scope != "tickets" || c.Selected {
		t.Errorf("tickets on the Extract screen: %+v", c)
	}
	if c := choice(t, w, "contacts"); c.Unavailable || !c.Selected {
		t.Errorf("contacts on the Extract screen: %+v", c)
	}

	second, err := w.Extract.Start(ExtractRequest{})
	if err != nil || second.Run.Status != store.StatusSucceeded || slices.Contains(second.Run.Objects, "tickets") ||
		streamOf(second.Run, "tickets") != nil {
		t.Fatalf("default run after: %+v, %v", second.Run, err)
	}

	serving.Store(granted)
	if c, err := w.Connection.Test(key); err != nil || !c.OK || len(c.Missing) > 0 {
		t.Fatalf("connection with the scope: %+v, %v", c, err)
	}
	if c := choice(t, w, "tickets"); c.Unavailable || !c.Selected {
		t.Errorf("tickets once the key reads them: %+v", c)
	}
	third, err := w.Extract.Start(ExtractRequest{})
	if err != nil || third.Run.Status != store.StatusSucceeded {
		t.Fatalf("third run: %+v, %v", third.Run, err)
	}
	if s := streamOf(third.Run, "tickets"); s == nil || s.Status != store.StatusSucceeded || s.Records == 0 {
		t.Errorf("tickets in the third run: %+v", s)
	}
}

func streamOf(r Run, name string) *Stream {
	for i := range r.Streams {
		if r.Streams[i].Stream == name {
			return &r.Streams[i]
		}
	}
	return nil
}

func choice(t *testing.T, w *Workspace, typ string) TypeChoice {
	t.Helper()
	groups, err := w.Extract.Groups()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		for _, c := range g.Types {
			if c.Type == typ {
				return c
			}
		}
	}
	t.Fatalf("no choice for %s", typ)
	return TypeChoice{}
}
