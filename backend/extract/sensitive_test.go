package extract

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// sensitiveLists is how many property lists beyond the non-sensitive one
// a full read of typ makes against the fake: the fake gives contacts,
// companies, deals and tickets sensitive and highly sensitive properties
// (one list each, made whether or not the key may read it), and nothing
// else. Written out rather than taken from the catalog, so the tests check
// the catalog's levels against the fake's.
func sensitiveLists(typ string) int {
	switch typ {
	case "contacts", "companies", "deals", "tickets":
		return 2
	}
	return 0
}

// TestSensitiveProperties: a type that can hold sensitive data lists its
// sensitive and highly sensitive definitions after the others, stores them
// marked by level and reads their values; a key without a level's scope is
// normal: that level is left out, the run log says once which scope would
// add it, the run succeeds, and the refused call counts toward the minimum
// (calls still equal it).
func TestSensitiveProperties(t *testing.T) {
	t.Parallel()
	objects := []string{"contacts", "tickets", "notes"}
	type denial struct{ typ, level string }
	tests := []struct {
		name  string
		deny  []denial
		notes []string // the run log's lines about sensitive properties, in any order
	}{
		{name: "EveryScope"},
		{name: "NoSensitiveScopeOnContacts", deny: []denial{{"contacts", hubspot.Sensitive}},
			notes: []string{"contacts: sensitive properties not extracted: the key lacks crm.objects.contacts.sensitive.read; " +
				"add that scope to the key in HubSpot to include them"}},
		{name: "NoSensitiveScopesOnTickets", deny: []denial{{"tickets", hubspot.Sensitive}, {"tickets", hubspot.HighlySensitive}},
			notes: []string{
				"tickets: sensitive properties not extracted: the key lacks tickets.sensitive; add that scope to the key in HubSpot to include them",
				"tickets: highly sensitive properties not extracted: the key lacks tickets.highly_sensitive; add that scope to the key in HubSpot to include them",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakehub.Config{Scale: 120})
			denied := map[string][]string{} // type → levels denied
			for _, d := range tt.deny {
				f.fake.DenySensitive(d.typ, d.level)
				denied[d.typ] = append(denied[d.typ], d.level)
			}
			db := testkit.OpenDB(t)
			ev := &testkit.Events{}
			res := f.run(t.Context(), db, Options{Objects: objects, Progress: ev})
			if res.Status != store.StatusSucceeded || len(res.Warnings) > 0 {
				t.Fatalf("run %s (%s), warnings %q; want succeeded without warnings", res.Status, res.Error, res.Warnings)
			}
			tr := f.fake.Truth()
			want := minimumCalls(tr, f.cfg, objects, false)
			if got := f.fake.Stats().Total; got != want || res.APICalls != int64(want) || res.MinimumCalls != int64(want) {
				t.Errorf("fake received %d calls, run counted %d (minimum %d), want %d", got, res.APICalls, res.MinimumCalls, want)
			}
			var notes []string
			for _, l := range ev.Logs() {
				if strings.Contains(l, "sensitive") {
					notes = append(notes, l)
				}
			}
			slices.Sort(notes)
			wantNotes := slices.Sorted(slices.Values(tt.notes))
			if !slices.Equal(notes, wantNotes) {
				t.Errorf("log lines about sensitive properties:\n got %q\nwant %q", notes, wantNotes)
			}

			for _, typ := range objects {
				// The definitions stored are every level the key may read,
				// each marked with its level.
				stored, err := db.Properties(t.Context(), typ)
				if err != nil {
					t.Fatal(err)
				}
				byLevel := map[string][]string{}
				for _, p := range stored {
					byLevel[p.Sensitivity] = append(byLevel[p.Sensitivity], p.Name)
				}
				var hidden []string // names of the levels denied
				for _, level := range []string{hubspot.NonSensitive, hubspot.Sensitive, hubspot.HighlySensitive} {
					wantNames := tr.PropertiesAt(typ, level)
					if slices.Contains(denied[typ], level) {
						hidden = append(hidden, wantNames...)
						wantNames = nil
					}
					if got := byLevel[level]; !slices.Equal(got, wantNames) && len(got)+len(wantNames) > 0 {
						t.Errorf("%s %s definitions stored %v, want %v", typ, level, got, wantNames)
					}
				}
				if level := catalog.SensitiveLevels(typ); len(level) > 0 && len(tr.PropertiesAt(typ, hubspot.Sensitive)) == 0 {
					t.Errorf("%s: the fake has no sensitive properties to test with", typ)
				}
				if len(denied[typ]) == 0 {
					checkTruth(t, db, tr, []string{typ})
					continue
				}
				// A denied level's values are neither asked for nor stored;
				// the others are.
				var withSensitive int
				err = db.EachRecord(t.Context(), typ, func(r store.Record) error {
					for _, n := range hidden {
						if _, ok := r.Properties[n]; ok {
							return fmt.Errorf("%s %s holds %s, of a level the key may not read", typ, r.ID, n)
						}
					}
					for n, v := range r.Properties {
						if v != nil && slices.Contains(byLevel[hubspot.HighlySensitive], n) {
							withSensitive++
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(byLevel[hubspot.HighlySensitive]) > 0 && withSensitive == 0 {
					t.Errorf("%s: no highly sensitive value stored, though the key may read them", typ)
				}
			}
		})
	}
}

// TestSensitivePropertiesOnResume: a run stopped after a type's definitions
// were saved resumes with the stored ones, sensitive included: no
// properties call is made again, and the sensitive values are still read.
func TestSensitivePropertiesOnResume(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 450})
	objects := []string{"contacts"}
	db := testkit.OpenDB(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	first := f.run(ctx, db, Options{Objects: objects, Concurrency: 1, pageSaved: func() {
		// The definitions come before the first page of records.
		if f.fake.Stats().ByType["list contacts"] > 0 {
			cancel()
		}
	}})
	if first.Status != store.StatusCancelled {
		t.Fatalf("first run %s, want cancelled", first.Status)
	}
	if got := f.fake.Stats().ByType["properties contacts"]; got != 3 {
		t.Fatalf("first run: %d properties calls, want 3 (one per level)", got)
	}
	f.fake.ResetStats()
	second := f.run(t.Context(), db, Options{Objects: objects})
	if second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
		t.Fatalf("second run %s (%s), resumed from %d", second.Status, second.Error, second.ResumedFrom)
	}
	if got := f.fake.Stats().ByType["properties contacts"]; got != 0 {
		t.Errorf("the resumed run listed the definitions again (%d calls)", got)
	}
	checkTruth(t, db, f.fake.Truth(), objects)
}

// TestPropertiesCalls: the paging model prices the sensitive lists of the
// types that have them, so an estimate still equals a fresh run's calls.
func TestPropertiesCalls(t *testing.T) {
	t.Parallel()
	for _, typ := range catalog.All() {
		want := int64(1 + sensitiveLists(typ))
		if got := propertiesCalls(typ); got != want {
			t.Errorf("propertiesCalls(%s) = %d, want %d", typ, got, want)
		}
		// properties, one list page each of active and archived (one page
		// needs no planning call).
		if got, want := fullReadCalls(typ, 0, 0, nil, false), want+2; catalog.IsCRM(typ) && got != want {
			t.Errorf("fullReadCalls(%s, 0, 0) = %d, want %d", typ, got, want)
		}
		// With a second page, the planning call.
		if got, want := fullReadCalls(typ, 101, 0, nil, false), want+4; catalog.IsCRM(typ) && got != want {
			t.Errorf("fullReadCalls(%s, 0, 0) = %d, want %d", typ, got, want)
		}
	}
}
