package hubspot_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

// historyObject is a record as HubSpot answers it with
// propertiesWithHistory: each property's values, newest first
// (ValueWithTimestamp: value, timestamp, sourceType required; sourceId,
// sourceLabel, updatedByUserId optional).
const historyObject = `{"id":"%s","properties":{"email":"new@b.c","phone":null},
	"propertiesWithHistory":{"email":[
		{"value":"new@b.c","timestamp":"2024-09-11T13:27:39.356Z","sourceType":"CRM_UI","sourceId":"userId:42","updatedByUserId":42},
		{"value":"old@b.c","timestamp":"2024-01-17T19:55:04.281Z","sourceType":"IMPORT","sourceId":"import-7","sourceLabel":"Spring import"}]},
	"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-09-11T13:27:39.356Z","archived":false}`

// TestHistoryShapes: in both API versions, a list with History asks for
// propertiesWithHistory with the same names at 50 a page, a batch read
// with history sends them in its body 50 ids a call, and both decode each
// property's values with their sources.
func TestHistoryShapes(t *testing.T) {
	for _, sh := range shapes {
		t.Run(string(sh.version), func(t *testing.T) {
			var listQuery url.Values
			var bodies []map[string]any
			base := prefixServer(t, map[string]func(http.ResponseWriter, *http.Request){
				"GET " + sh.list: func(w http.ResponseWriter, r *http.Request) {
					listQuery = r.URL.Query()
					jsonReply(`{"results":[`+fmt.Sprintf(historyObject, "151")+`]}`)(w, r)
				},
				"POST " + sh.batch: func(w http.ResponseWriter, r *http.Request) {
					var b map[string]any
					if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
						t.Error(err)
					}
					bodies = append(bodies, b)
					var objs []string
					for _, in := range b["inputs"].([]any) {
						objs = append(objs, fmt.Sprintf(historyObject, in.(map[string]any)["id"]))
					}
					jsonReply(`{"status":"COMPLETE","results":[`+strings.Join(objs, ",")+
						`],"startedAt":"2024-01-17T19:55:04.281Z","completedAt":"2024-01-17T19:55:04.281Z"}`)(w, r)
				},
			})
			c := hubspot.New(token, hubspot.WithBaseURL(base), hubspot.WithClock(testkit.NewClock(epoch)), hubspot.WithAPIVersion(sh.version))
			wantEmail := []hubspot.PropertyValue{
				{Value: "new@b.c", Timestamp: time.Date(2024, 9, 11, 13, 27, 39, 356e6, time.UTC), SourceType: "CRM_UI", SourceID: "userId:42", UpdatedByUserID: 42},
				{Value: "old@b.c", Timestamp: time.Date(2024, 1, 17, 19, 55, 4, 281e6, time.UTC), SourceType: "IMPORT", SourceID: "import-7", SourceLabel: "Spring import"},
			}
			check := func(what string, o hubspot.Object) {
				t.Helper()
				got := o.History["email"]
				if len(got) != 2 || len(o.History) != 1 {
					t.Fatalf("%s: history %+v", what, o.History)
				}
				for i := range got {
					if !got[i].Timestamp.Equal(wantEmail[i].Timestamp) || got[i].Value != wantEmail[i].Value || got[i].SourceType != wantEmail[i].SourceType ||
						got[i].SourceID != wantEmail[i].SourceID || got[i].SourceLabel != wantEmail[i].SourceLabel || got[i].UpdatedByUserID != wantEmail[i].UpdatedByUserID {
						t.Errorf("%s: entry %d %+v, want %+v", what, i, got[i], wantEmail[i])
					}
				}
			}

			page, err := c.ListObjects(t.Context(), "contacts", hubspot.ListParams{Properties: []string{"email", "phone"}, History: true})
			if err != nil {
				t.Fatal(err)
			}
			if listQuery.Get("limit") != "50" || listQuery.Get("properties") != "email,phone" || listQuery.Get("propertiesWithHistory") != "email,phone" {
				t.Errorf("list query %v", listQuery)
			}
			check("list", page.Results[0])
			if _, err := c.ListObjects(t.Context(), "contacts", hubspot.ListParams{Properties: []string{"email"}}); err != nil || listQuery.Has("propertiesWithHistory") || listQuery.Get("limit") != "100" {
				t.Errorf("list without history asked %v: %v", listQuery, err)
			}

			ids := make([]string, 60)
			for i := range ids {
				ids[i] = fmt.Sprint(1000 + i)
			}
			objs, err := c.BatchReadObjects(t.Context(), "contacts", ids, []string{"email"}, false, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(bodies) != 2 || len(bodies[0]["inputs"].([]any)) != 50 || len(bodies[1]["inputs"].([]any)) != 10 {
				t.Fatalf("batch reads with history: %d calls, want 50 ids then 10", len(bodies))
			}
			if h := fmt.Sprint(bodies[0]["propertiesWithHistory"]); h != "[email]" {
				t.Errorf("batch body propertiesWithHistory %s", h)
			}
			if len(objs) != 60 {
				t.Fatalf("%d objects", len(objs))
			}
			check("batch read", objs[59])
		})
	}
}

// TestHistoryURLSplit: with history every name is in the URL twice; a list
// too long for one URL splits so each request fits, and merges the history
// of every chunk.
func TestHistoryURLSplit(t *testing.T) {
	props := make([]string, 700)
	for i := range props {
		props[i] = fmt.Sprintf("custom_property_number_%03d", i)
	}
	if !hubspot.PropertiesFitURL(props[:350]) || hubspot.PropertiesFitURLWithHistory(props[:350]) || !hubspot.PropertiesFitURLWithHistory(props[:100]) {
		t.Fatal("350 names fit a URL once, not twice; 100 fit twice")
	}
	var calls int
	base := prefixServer(t, map[string]func(http.ResponseWriter, *http.Request){
		"GET /crm/objects/2026-09/contacts": func(w http.ResponseWriter, r *http.Request) {
			calls++
			if len(r.URL.String()) > hubspot.MaxURLLength {
				t.Errorf("URL of %d characters", len(r.URL.String()))
			}
			q := r.URL.Query()
			names := strings.Split(q.Get("propertiesWithHistory"), ",")
			if q.Get("properties") != q.Get("propertiesWithHistory") {
				t.Errorf("properties and history differ")
			}
			var hist []string
			for _, n := range names {
				hist = append(hist, fmt.Sprintf(`%q:[{"value":"v","timestamp":"2024-01-17T19:55:04.281Z","sourceType":"API"}]`, n))
			}
			jsonReply(`{"results":[{"id":"1","properties":{},"propertiesWithHistory":{`+strings.Join(hist, ",")+
				`},"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-01-17T19:55:04.281Z","archived":false}]}`)(w, r)
		},
	})
	c := hubspot.New(token, hubspot.WithBaseURL(base), hubspot.WithClock(testkit.NewClock(epoch)))
	page, err := c.ListObjects(t.Context(), "contacts", hubspot.ListParams{Properties: props, History: true})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 || len(page.Results[0].History) != len(props) {
		t.Errorf("%d calls, %d properties' history, want several calls and all %d", calls, len(page.Results[0].History), len(props))
	}
}
