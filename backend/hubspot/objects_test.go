package hubspot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"hubextract/backend/hubspot"
)

// TestLongPropertyListIsSplitAndMerged: a server answering 414 above 12,000
// characters, and a record that vanishes from the second request for the
// same page (it is then read by batch read, not lost).
func TestLongPropertyListIsSplitAndMerged(t *testing.T) {
	props := make([]string, 600)
	for i := range props {
		props[i] = fmt.Sprintf("custom_field_number_%03d_of_the_portal", i)
	}
	if hubspot.PropertiesFitURL(props) {
		t.Fatal("600 properties reported as fitting one URL")
	}
	var mu sync.Mutex
	var listCalls, assocCalls, batchCalls int
	seen := map[string]bool{}
	object := func(id string, names []string) map[string]any {
		p := map[string]*string{}
		for _, n := range names {
			v := n + "@" + id
			p[n] = &v
		}
		return map[string]any{"id": id, "properties": p, "createdAt": "2024-01-17T19:55:04.281Z", "updatedAt": "2024-01-17T19:55:04.281Z", "archived": false}
	}
	base := prefixServer(t, map[string]func(http.ResponseWriter, *http.Request){
		"GET /crm/objects/2026-09/contacts": func(w http.ResponseWriter, r *http.Request) {
			if n := len(r.URL.String()) + len(r.Host) + len("http://"); n > 12_000 {
				http.Error(w, "", http.StatusRequestURITooLong)
				return
			}
			q := r.URL.Query()
			names := strings.Split(q.Get("properties"), ",")
			mu.Lock()
			listCalls++
			if q.Get("associations") != "" {
				assocCalls++
			}
			first := listCalls == 1
			for _, n := range names {
				seen[n] = true
			}
			mu.Unlock()
			if q.Get("after") != "A" || q.Get("limit") != "3" {
				t.Errorf("page changed between requests: %v", q)
			}
			ids := []string{"1", "2", "3"}
			if !first {
				ids = []string{"1", "3", "4"} // 2 deleted meanwhile, 4 shifted in
			}
			var res []any
			for _, id := range ids {
				o := object(id, names)
				if first {
					o["associations"] = map[string]any{"companies": map[string]any{"results": []any{map[string]string{"id": "9", "type": "contact_to_company"}}}}
				}
				res = append(res, o)
			}
			resp := map[string]any{"results": res}
			if first {
				resp["paging"] = map[string]any{"next": map[string]string{"after": "B"}}
			}
			_ = json.NewEncoder(w).Encode(resp)
		},
		"POST /crm/objects/2026-09/contacts/batch/read": func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				Properties []string
				Inputs     []struct{ ID string }
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			batchCalls++
			mu.Unlock()
			if len(body.Inputs) != 1 || body.Inputs[0].ID != "2" {
				t.Errorf("batch read of %+v, want only id 2", body.Inputs)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"status": "COMPLETE", "results": []any{object("2", body.Properties)}})
		},
	})
	h := newHarness(base)
	page, err := h.client.ListObjects(context.Background(), "contacts", hubspot.ListParams{
		Limit: 3, After: "A", Properties: props, Associations: []string{"companies"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if listCalls < 2 || assocCalls != 1 || batchCalls != listCalls-1 /* one per extra chunk: each lacks id 2 */ {
		t.Errorf("%d list calls (%d with associations), %d batch reads", listCalls, assocCalls, batchCalls)
	}
	if len(seen) != len(props) {
		t.Errorf("%d of %d properties requested", len(seen), len(props))
	}
	if page.Next != "B" || len(page.Results) != 3 {
		t.Fatalf("page next %q with %d records", page.Next, len(page.Results))
	}
	for _, o := range page.Results {
		if len(o.Properties) != len(props) {
			t.Errorf("record %s has %d of %d properties", o.ID, len(o.Properties), len(props))
		}
		for _, p := range props {
			if v := o.Properties[p]; v == nil || *v != p+"@"+o.ID {
				t.Errorf("record %s property %s = %v", o.ID, p, v)
				break
			}
		}
		if len(o.Associations["companies"].Results) != 1 {
			t.Errorf("record %s lost its associations", o.ID)
		}
	}
	for _, ci := range h.rec.All() {
		if ci.Status == http.StatusRequestURITooLong {
			t.Errorf("a 414 was drawn: %+v", ci)
		}
	}
}
