package fakehub

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

type wireEntry struct {
	Value           string `json:"value"`
	Timestamp       string `json:"timestamp"`
	SourceType      string `json:"sourceType"`
	SourceID        string `json:"sourceId"`
	SourceLabel     string `json:"sourceLabel"`
	UpdatedByUserID int64  `json:"updatedByUserId"`
}

type historyPage struct {
	Results []struct {
		ID      string                 `json:"id"`
		History map[string][]wireEntry `json:"propertiesWithHistory"`
	} `json:"results"`
}

// sameHistory compares what the wire carried with the truth.
func sameHistory(t *testing.T, id string, got map[string][]wireEntry, want map[string][]HistoryEntry, names []string) {
	t.Helper()
	for _, n := range names {
		g, w := got[n], want[n]
		if len(g) != len(w) {
			t.Errorf("%s %s: %d entries, truth %d", id, n, len(g), len(w))
			continue
		}
		for k := range g {
			ts, err := time.Parse(time.RFC3339Nano, g[k].Timestamp)
			if err != nil || !ts.Equal(w[k].Timestamp) || g[k].Value != w[k].Value || g[k].SourceType != w[k].SourceType ||
				g[k].SourceID != w[k].SourceID || g[k].SourceLabel != w[k].SourceLabel || g[k].UpdatedByUserID != w[k].UpdatedByUserID {
				t.Errorf("%s %s entry %d: %+v, truth %+v", id, n, k, g[k], w[k])
			}
		}
	}
}

// TestHistoryServed: in both versions, a list with propertiesWithHistory
// (at most 50 a page) and a batch read with it (at most 50 ids) carry each
// property's history as the truth has it, newest first: most properties
// one entry, some several with earlier times and varied sources; a Modify
// adds one entry to the mutable property and one to the last-modified
// date, leaving the earlier ones as they were.
func TestHistoryServed(t *testing.T) {
	for _, prefix := range []string{"/crm/objects/2026-09", "/crm/v3/objects"} {
		t.Run(prefix, func(t *testing.T) {
			f := newFixture(t, Config{Seed: 3, Scale: 120}).with(t)
			names := []string{"email", "jobtitle", "lifecyclestage", "lastmodifieddate", "createdate", "hs_object_id"}
			list := prefix + "/contacts?limit=50&properties=" + strings.Join(names, ",") + "&propertiesWithHistory=" + strings.Join(names, ",")
			var page historyPage
			f.ok(http.MethodGet, list, nil, &page)
			if len(page.Results) != 50 {
				t.Fatalf("%d records on a page of 50", len(page.Results))
			}
			tr := f.s.Truth()
			several, sources := 0, map[string]bool{}
			for _, o := range page.Results {
				want := tr.History("contacts", o.ID)
				sameHistory(t, o.ID, o.History, want, names)
				for _, n := range names {
					if len(want[n]) > 1 {
						several++
					}
					for k, e := range want[n] {
						sources[e.SourceType] = true
						if k > 0 && !e.Timestamp.Before(want[n][k-1].Timestamp) {
							t.Errorf("%s %s: entry %d not older than the one before", o.ID, n, k)
						}
					}
					if v := want[n]; len(v) > 0 {
						props, _, _, _, _ := tr.Record("contacts", o.ID)
						if props[n] == nil || *props[n] != v[0].Value {
							t.Errorf("%s %s: newest entry %q, current value %v", o.ID, n, v[0].Value, props[n])
						}
					}
				}
			}
			if several == 0 || len(sources) < 4 {
				t.Errorf("%d properties with several entries, sources %v: want some, and varied", several, sources)
			}

			f.fails(http.MethodGet, prefix+"/contacts?limit=51&propertiesWithHistory=email", nil, http.StatusBadRequest)
			ids := tr.IDs("contacts", false)
			inputs := func(n int) []map[string]string {
				var in []map[string]string
				for _, id := range ids[:n] {
					in = append(in, map[string]string{"id": id})
				}
				return in
			}
			f.fails(http.MethodPost, prefix+"/contacts/batch/read", map[string]any{"inputs": inputs(51), "properties": names, "propertiesWithHistory": names}, http.StatusBadRequest)

			target := ids[7]
			before := tr.History("contacts", target)
			at := t0.Add(time.Hour)
			f.s.Modify("contacts", []string{target}, at)
			var batch historyPage
			f.ok(http.MethodPost, prefix+"/contacts/batch/read", map[string]any{"inputs": []map[string]string{{"id": target}}, "properties": names, "propertiesWithHistory": names}, &batch)
			after := f.s.Truth().History("contacts", target)
			sameHistory(t, target, batch.Results[0].History, after, names)
			for _, n := range names {
				added := len(after[n]) - len(before[n])
				want := 0
				if n == "jobtitle" || n == "lastmodifieddate" {
					want = 1
				}
				if added != want || (added == 1 && !after[n][0].Timestamp.Equal(at)) {
					t.Errorf("%s after Modify: %d entries added (newest %+v), want %d at %v", n, added, after[n][0], want, at)
				}
				for k := range before[n] {
					if after[n][k+added] != before[n][k] {
						t.Errorf("%s entry %d changed by Modify: %+v → %+v", n, k, before[n][k], after[n][k+added])
					}
				}
			}
		})
	}
}
