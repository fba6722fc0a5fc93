package extract

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// callsOn counts the fake's calls whose subject is typ: its records,
// properties, pipelines and own associations, or its marketing endpoint.
// Another type's association reads towards typ are not typ's calls.
func callsOn(st fakehub.Stats, typ string) int {
	n := 0
	for label, c := range st.ByType {
		switch {
		case typ == catalog.Forms && label == "forms",
			typ == catalog.FormSubmissions && label == "form submissions",
			typ == catalog.EmailEvents && label == "email events":
			n += c
		}
		for _, prefix := range []string{"list ", "list archived ", "search ", "batch read ", "properties ", "pipelines "} {
			if label == prefix+typ {
				n += c
			}
		}
		if strings.HasPrefix(label, "associations "+typ+"->") {
			n += c
		}
	}
	return n
}

// TestUnavailableType: a key without a type's scope makes that type
// unavailable, never a failed run: the run succeeds with the other types,
// says once which scope would add it, and is not resumable for it; the next
// default selection leaves the type out (no call to it at all), an explicit
// one tries it again, and once the scope is granted and the type selected,
// it is extracted and no longer left out.
func TestUnavailableType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		deny, scope string   // what the key lacks (fakehub.DenyScope)
		unavailable []string // the types it hides
	}{
		{name: "Tickets", deny: "tickets", scope: "tickets", unavailable: []string{"tickets"}},
		// Logged emails need sales-email-read as well: HubSpot names it,
		// and the run says it rather than the catalog's contacts scope.
		{name: "EmailsWithoutSalesEmailRead", deny: "emails", scope: "sales-email-read", unavailable: []string{"emails"}},
		{name: "Forms", deny: catalog.Forms, scope: "forms", unavailable: []string{catalog.Forms, catalog.FormSubmissions}},
		{name: "EmailEvents", deny: catalog.EmailEvents, scope: "content", unavailable: []string{catalog.EmailEvents}},
		// The commerce objects and leads have scopes of their own, which
		// many keys lack.
		{name: "LineItems", deny: "line_items", scope: "crm.objects.line_items.read", unavailable: []string{"line_items"}},
		{name: "Products", deny: "products", scope: "crm.objects.products.read", unavailable: []string{"products"}},
		{name: "Quotes", deny: "quotes", scope: "crm.objects.quotes.read", unavailable: []string{"quotes"}},
		{name: "Leads", deny: "leads", scope: "crm.objects.leads.read", unavailable: []string{"leads"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fakehub.Config{Scale: 40, InlineAssociationLimit: 2}
			f := newFixture(t, cfg)
			f.fake.DenyScope(tt.deny, tt.scope)
			db := testkit.OpenDB(t)
			others := slices.DeleteFunc(slices.Clone(catalog.All()), func(s string) bool { return slices.Contains(tt.unavailable, s) })

			first := f.run(t.Context(), db, Options{})
			if first.Status != store.StatusSucceeded || first.Resumable || first.Error != "" {
				t.Fatalf("first run: %s (resumable %v) %q", first.Status, first.Resumable, first.Error)
			}
			for _, typ := range tt.unavailable {
				s := streamResult(t, first, typ)
				msg := strings.ToLower(catalog.Label(typ)) + ": not extracted: the key lacks " + tt.scope +
					"; add it to the key in HubSpot to include them"
				if s.Status != store.StatusUnavailable || s.Scope != tt.scope || s.Error != msg || s.Records != 0 {
					t.Errorf("%s: %+v", typ, s)
				}
				if n := countOf(first.Warnings, msg); n != 1 {
					t.Errorf("warning %q said %d times in %q", msg, n, first.Warnings)
				}
			}
			if first.MinimumCalls < 1 || first.APICalls < first.MinimumCalls {
				t.Errorf("calls %d, minimum %d", first.APICalls, first.MinimumCalls)
			}
			for _, s := range first.Streams {
				if !slices.Contains(tt.unavailable, s.Stream) && s.Status != store.StatusSucceeded {
					t.Errorf("%s: %s %s", s.Stream, s.Status, s.Error)
				}
			}
			checkTruth(t, db, f.fake.Truth(), others, tt.unavailable...)

			// The default selection now leaves the type out, and says why.
			sel, skipped, err := DefaultSelection(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sel, others) || len(skipped) != len(tt.unavailable) {
				t.Fatalf("default selection %v, skipped %+v", sel, skipped)
			}
			for i, u := range skipped {
				if u.Stream != tt.unavailable[i] || u.Scope != tt.scope || u.RunID != first.ID {
					t.Errorf("skipped %+v", u)
				}
			}
			f.clk.Advance(time.Hour)
			f.fake.ResetStats()
			second := f.run(t.Context(), db, Options{Objects: sel})
			if second.Status != store.StatusSucceeded || len(second.Warnings) > 0 {
				t.Fatalf("default run: %s %q %q", second.Status, second.Error, second.Warnings)
			}
			for _, typ := range tt.unavailable {
				if n := callsOn(f.fake.Stats(), typ); n != 0 {
					t.Errorf("the default run called HubSpot %d times for %s: %v", n, typ, f.fake.Stats().ByType)
				}
			}
			if _, skipped, _ := DefaultSelection(t.Context(), db); len(skipped) != len(tt.unavailable) {
				t.Errorf("after a run that left them out, skipped %+v", skipped)
			}

			// Chosen by name, the type is tried again.
			f.fake.ResetStats()
			third := f.run(t.Context(), db, Options{Objects: tt.unavailable})
			if third.Status != store.StatusSucceeded {
				t.Fatalf("explicit run: %s %q", third.Status, third.Error)
			}
			if n := callsOn(f.fake.Stats(), tt.unavailable[0]); n == 0 {
				t.Errorf("the explicit run did not try %s", tt.unavailable[0])
			}
			if s := streamResult(t, third, tt.unavailable[0]); s.Status != store.StatusUnavailable {
				t.Errorf("explicit run: %+v", s)
			}

			// The scope granted (the same account, served without the
			// refusal) and the type chosen: it is extracted, and the
			// default selection has it again.
			granted := newFixture(t, cfg)
			granted.clk.Advance(f.clk.Now().Sub(t0) + time.Hour)
			fourth := granted.run(t.Context(), db, Options{Objects: tt.unavailable})
			if fourth.Status != store.StatusSucceeded || len(fourth.Warnings) > 0 {
				t.Fatalf("granted run: %s %q %q", fourth.Status, fourth.Error, fourth.Warnings)
			}
			for _, typ := range tt.unavailable {
				if s := streamResult(t, fourth, typ); s.Status != store.StatusSucceeded || s.Scope != "" {
					t.Errorf("granted run: %+v", s)
				}
			}
			checkTruth(t, db, granted.fake.Truth(), tt.unavailable)
			if sel, skipped, _ := DefaultSelection(t.Context(), db); !slices.Equal(sel, catalog.All()) || len(skipped) > 0 {
				t.Errorf("after the granted run: selection %v, skipped %+v", sel, skipped)
			}
		})
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestRefusedMidStream: a 403 after pages of the type were read is not the
// key lacking a scope from the start (it changed during the run): the type
// fails as before, the run is partial and, the reason persisting, not
// resumable.
func TestRefusedMidStream(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 250})
	db := testkit.OpenDB(t)
	denied := false
	res := f.run(t.Context(), db, Options{Objects: []string{"contacts"}, Concurrency: 1, pageSaved: func() {
		// On the writer, after a commit: once a page of contacts is
		// stored, the key loses their scope.
		if n, _, err := db.CountRecords(t.Context(), "contacts"); err == nil && n > 0 && !denied {
			denied = true
			f.fake.DenyScope("contacts", "crm.objects.contacts.read")
		}
	}})
	if !denied {
		t.Fatal("no page of contacts was saved")
	}
	if res.Status != store.StatusPartial || res.Resumable {
		t.Fatalf("run: %s (resumable %v)", res.Status, res.Resumable)
	}
	s := streamResult(t, res, "contacts")
	if s.Status != store.StatusFailed || s.Scope != "" || s.Records == 0 ||
		!strings.Contains(s.Error, "crm.objects.contacts.read") {
		t.Errorf("contacts: %+v", s)
	}
	if _, skipped, _ := DefaultSelection(t.Context(), db); len(skipped) > 0 {
		t.Errorf("a failure is not unavailability: skipped %+v", skipped)
	}
}
