package workspace

import (
	"testing"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestRecordHistory: after a run that read the contacts' history, a
// contact's detail says how many values each property had, and the
// timeline of one with several is the truth's, newest first, with its
// values readable and its sources in words; a type whose history was not
// read has none.
func TestRecordHistory(t *testing.T) {
	clk := testkit.NewClock(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	fake := fakehub.New(fakehub.Config{Seed: 7, Scale: 30, Clock: clk})
	url := testkit.Serve(t, fake)
	db := testkit.OpenDB(t)
	res, err := extract.Run(t.Context(), db, extract.Options{Objects: []string{"contacts", "companies"}, History: []string{"contacts"},
		Client: hubspot.New("demo-token", hubspot.WithBaseURL(url), hubspot.WithClock(clk))})
	if err != nil || res.Status != store.StatusSucceeded {
		t.Fatalf("run: %v %s %s", err, res.Status, res.Error)
	}
	tr := fake.Truth()
	found := 0
	for _, typ := range []string{"contacts", "companies"} {
		for _, id := range tr.IDs(typ, false) {
			d, err := recordDetail(t.Context(), db, typ, id)
			if err != nil {
				t.Fatal(err)
			}
			want := tr.History(typ, id)
			for _, p := range d.Properties {
				if typ == "companies" {
					if p.History != 0 {
						t.Errorf("company %s %s: %d values, its history was not read", id, p.Name, p.History)
					}
					continue
				}
				if p.History != len(want[p.Name]) {
					t.Errorf("contact %s %s: detail says %d values, truth %d", id, p.Name, p.History, len(want[p.Name]))
				}
				if p.History < 2 {
					continue
				}
				found++
				changes, err := propertyHistory(t.Context(), db, typ, id, p.Name)
				if err != nil {
					t.Fatal(err)
				}
				if len(changes) != p.History {
					t.Fatalf("%s: %d changes, want %d", p.Name, len(changes), p.History)
				}
				for k, c := range changes {
					w := want[p.Name][k]
					if c.At != w.Timestamp.UTC().Format(time.RFC3339) || c.SourceType != w.SourceType || c.Source == "" ||
						(c.Raw == "" && c.Value != w.Value) || (c.Raw != "" && c.Raw != w.Value) {
						t.Errorf("%s %s change %d: %+v, truth %+v", id, p.Name, k, c, w)
					}
				}
				if changes[0].Value != p.Value {
					t.Errorf("%s %s: newest change %q, the value shown %q", id, p.Name, changes[0].Value, p.Value)
				}
			}
		}
	}
	if found == 0 {
		t.Error("no contact property with several values")
	}
}

func TestSourceText(t *testing.T) {
	users := map[int64]string{42: "Ada Lovelace"}
	tests := []struct {
		entry store.HistoryEntry
		want  string
	}{
		{store.HistoryEntry{SourceType: "CRM_UI", SourceID: "userId:42", UpdatedByUserID: 42}, "HubSpot (by Ada Lovelace)"},
		{store.HistoryEntry{SourceType: "CRM_UI", UpdatedByUserID: 7}, "HubSpot (by user 7)"},
		{store.HistoryEntry{SourceType: "IMPORT", SourceID: "import-1", SourceLabel: "Spring list"}, "Import (Spring list)"},
		{store.HistoryEntry{SourceType: "API", SourceID: "private-app-9"}, "API (private-app-9)"},
		{store.HistoryEntry{SourceType: "CALCULATED"}, "Calculated by HubSpot"},
		{store.HistoryEntry{SourceType: "BOT", SourceLabel: "Chatbot"}, "BOT (Chatbot)"},
	}
	for _, tt := range tests {
		if got := sourceText(tt.entry, users); got != tt.want {
			t.Errorf("sourceText(%+v) = %q, want %q", tt.entry, got, tt.want)
		}
	}
}
