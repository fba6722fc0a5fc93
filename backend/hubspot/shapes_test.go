package hubspot_test

// The request and response shapes of ../shared/hubspot-api.md, byte for
// byte, served under a path prefix (to catch absolute-path bugs): what the
// client sends and how it decodes the documented examples, including ids
// past 2^53 that a float64 would round.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

// bigID is 2^53 + 1: float64 cannot hold it.
const bigID = "9007199254740993"

func prefixServer(t *testing.T, routes map[string]func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	mux := http.NewServeMux()
	for pattern, h := range routes {
		mux.HandleFunc(pattern, h)
	}
	api := http.NewServeMux()
	api.Handle("/api/", http.StripPrefix("/api", mux))
	return testkit.Serve(t, api) + "/api/"
}

func jsonReply(body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}
}

// shapes is what differs between the versions' paths and answers, from
// their published descriptions: the 2026-09 associations answer types
// toObjectId as a string (v4 answers send a number), its list paging has
// no prev, its properties list no paging, its account details a name.
var shapes = []struct {
	version                                               hubspot.APIVersion
	list, search, assoc, batch, account, pipelines, props string
	toObjectID, listPaging, propsPaging, accountExtra     string
	portalName                                            string
}{
	{version: hubspot.Version202609, list: "/crm/objects/2026-09/contacts", search: "/crm/objects/2026-09/deals/search",
		assoc: "/crm/associations/2026-09/contacts/companies/batch/read", batch: "/crm/objects/2026-09/contacts/batch/read",
		account: "/account-info/2026-09/details", pipelines: "/crm/pipelines/2026-09/deals", props: "/crm/properties/2026-09/contacts",
		toObjectID: `"` + bigID + `"`, listPaging: `{"next":{"after":"152","link":"?after=152"}}`, propsPaging: ``,
		accountExtra: `,"portalName":"Acme","createdAt":1700000000000`, portalName: "Acme"},
	{version: hubspot.VersionLegacy, list: "/crm/v3/objects/contacts", search: "/crm/v3/objects/deals/search",
		assoc: "/crm/v4/associations/contacts/companies/batch/read", batch: "/crm/v3/objects/contacts/batch/read",
		account: "/account-info/v3/details", pipelines: "/crm/v3/pipelines/deals", props: "/crm/v3/properties/contacts",
		toObjectID: bigID, listPaging: `{"next":{"after":"152","link":"?after=152"},"prev":{"before":"150"}}`,
		propsPaging: `,"paging":{"next":{"after":"","link":""}}`},
}

func TestDocumentedShapes(t *testing.T) {
	for _, sh := range shapes {
		t.Run(string(sh.version), func(t *testing.T) { testShapes(t, sh) })
	}
}

func testShapes(t *testing.T, sh struct {
	version                                               hubspot.APIVersion
	list, search, assoc, batch, account, pipelines, props string
	toObjectID, listPaging, propsPaging, accountExtra     string
	portalName                                            string
}) {
	var listQuery, propsQuery url.Values
	var searchBody, assocBody, batchBody map[string]any
	decodeInto := func(dst *map[string]any, reply string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			if err := json.NewDecoder(r.Body).Decode(dst); err != nil {
				t.Errorf("%s body: %v", r.URL.Path, err)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s content type %q", r.URL.Path, ct)
			}
			jsonReply(reply)(w, r)
		}
	}
	base := prefixServer(t, map[string]func(http.ResponseWriter, *http.Request){
		"GET " + sh.list: func(w http.ResponseWriter, r *http.Request) {
			listQuery = r.URL.Query()
			jsonReply(`{"results":[{"id":"151","properties":{"email":"a@b.c","hs_object_id":"151","phone":null},
				"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-09-11T13:27:39.356Z","archived":false,
				"associations":{"companies":{"results":[{"id":"900","type":"contact_to_company"},
				{"id":"900","type":"contact_to_company_unlabeled"}],
				"paging":{"next":{"after":"MTAw","link":"?after=MTAw"}}}}}],
				"paging":`+sh.listPaging+`}`)(w, r)
		},
		"POST " + sh.search: decodeInto(&searchBody,
			`{"total":12345,"results":[{"id":"7","properties":{"dealname":"Big"},"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-01-17T19:55:04.281Z","archived":false}],"paging":{"next":{"after":"200"}}}`),
		"POST " + sh.assoc: decodeInto(&assocBody,
			`{"status":"COMPLETE","results":[{"from":{"id":"1"},
			  "to":[{"toObjectId":`+sh.toObjectID+`,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":1,"label":null},{"category":"USER_DEFINED","typeId":37,"label":"Billing"}]}],
			  "paging":{"next":{"after":"xyz"}}}],
			 "startedAt":"2024-01-17T19:55:04.281Z","completedAt":"2024-01-17T19:55:04.381Z",
			 "errors":[{"status":"error","category":"OBJECT_NOT_FOUND","subCategory":"crm.associations.NO_ASSOCIATIONS_FOUND","message":"No company is associated with contact 2.","context":{"fromObjectId":["2"]}},
			           {"status":"error","category":"VALIDATION_ERROR","message":"bad id","context":{"ids":["x"]}}],"numErrors":2}`),
		"POST " + sh.batch: decodeInto(&batchBody,
			`{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"x@y.z"},"createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-01-17T19:55:04.281Z","archived":true,"archivedAt":"2024-02-01T00:00:00Z"}],
			 "errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects","context":{"ids":["2"]}}]}`),
		"GET /email/public/v1/events": func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			if q.Get("startTimestamp") != "1700000000000" || q.Get("endTimestamp") != "1700000999999" || q.Get("eventType") != "OPEN" || q.Get("limit") != "1000" {
				t.Errorf("email events query %v", q)
			}
			jsonReply(`{"events":[{"id":"e1","type":"OPEN","created":1700000000123,"recipient":"a@b.c","emailCampaignId":`+bigID+`,"portalId":1,"browser":{"name":"Firefox"}}],"offset":"Y3Vyc29y","hasMore":false}`)(w, r)
		},
		"GET /form-integrations/v1/submissions/forms/{guid}": func(w http.ResponseWriter, r *http.Request) {
			if r.PathValue("guid") != "f-1" || r.URL.Query().Get("limit") != "50" {
				t.Errorf("submissions %s %v", r.URL.Path, r.URL.Query())
			}
			jsonReply(`{"results":[{"conversionId":"c-1","submittedAt":1700000000000,"values":[{"name":"email","value":"a@b.c"},{"name":"note","value":"x, \"y\"\nz"}],"pageUrl":"https://example.com/p"}],"paging":{"next":{"after":"QUZU","link":"..."}}}`)(w, r)
		},
		"GET " + sh.account: jsonReply(`{"portalId":62515,"timeZone":"US/Eastern","companyCurrency":"USD","additionalCurrencies":[],"utcOffset":"-05:00","utcOffsetMilliseconds":-18000000,"uiDomain":"app.hubspot.com","dataHostingLocation":"na1","accountType":"STANDARD"` + sh.accountExtra + `}`),
		"GET " + sh.props: func(w http.ResponseWriter, r *http.Request) {
			propsQuery = r.URL.Query()
			jsonReply(`{"results":[{"name":"national_id","label":"National ID","type":"string","fieldType":"text","groupName":"contactinformation","description":"","options":[],"dataSensitivity":"highly_sensitive","sensitiveDataCategories":["PII"]},
				{"name":"email","label":"Email","type":"string","fieldType":"text","groupName":"contactinformation","description":"","options":[]}]`+sh.propsPaging+`}`)(w, r)
		},
		"GET " + sh.pipelines: jsonReply(`{"results":[{"id":"default","label":"Sales","displayOrder":0,"archived":false,"createdAt":"2024-01-17T19:55:04.281Z",
			"stages":[{"id":"appointmentscheduled","label":"Appointment","displayOrder":0,"archived":false,"metadata":{"isClosed":"false","probability":"0.2"}},
			          {"id":"closedwon","label":"Won","displayOrder":5,"archived":false,"metadata":{"isClosed":true,"probability":1.0}}]}]}`),
	})
	c := hubspot.New(token, hubspot.WithBaseURL(base), hubspot.WithClock(testkit.NewClock(epoch)), hubspot.WithAPIVersion(sh.version))
	ctx := context.Background()

	page, err := c.ListObjects(ctx, "contacts", hubspot.ListParams{Properties: []string{"email", "phone"}, Associations: []string{"companies"}, Archived: true})
	if err != nil {
		t.Fatal(err)
	}
	if listQuery.Get("limit") != "100" || listQuery.Get("properties") != "email,phone" || listQuery.Get("associations") != "companies" || listQuery.Get("archived") != "true" {
		t.Errorf("list query %v", listQuery)
	}
	o := page.Results[0]
	if page.Next != "152" || o.ID != "151" || *o.Properties["email"] != "a@b.c" || o.Properties["phone"] != nil ||
		!o.CreatedAt.Equal(time.Date(2024, 1, 17, 19, 55, 4, 281e6, time.UTC)) || o.Archived {
		t.Errorf("object %+v next %q", o, page.Next)
	}
	if a := o.Associations["companies"]; len(a.Results) != 2 || a.Results[1] != (hubspot.AssociationRef{ID: "900", Type: "contact_to_company_unlabeled"}) || a.Next != "MTAw" {
		t.Errorf("inline associations %+v", a)
	}

	sp, err := c.SearchObjects(ctx, "deals", hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: "hs_lastmodifieddate", Operator: "BETWEEN", Value: "1", HighValue: "2"},
			{PropertyName: "dealstage", Operator: "IN", Values: []string{"a", "b"}},
		}}},
		Sorts:      []hubspot.Sort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}},
		Properties: []string{"dealname"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Total != 12345 || sp.Next != "200" || sp.Results[0].ID != "7" {
		t.Errorf("search page %+v", sp)
	}
	wantSearch := `{"filterGroups":[{"filters":[{"operator":"BETWEEN","propertyName":"hs_lastmodifieddate","value":"1","highValue":"2"},{"operator":"IN","propertyName":"dealstage","values":["a","b"]}]}],"limit":200,"properties":["dealname"],"sorts":[{"direction":"ASCENDING","propertyName":"hs_object_id"}]}`
	if got := canonical(t, searchBody); got != canonical(t, mustMap(t, wantSearch)) {
		t.Errorf("search body\n got %s\nwant %s", got, canonical(t, mustMap(t, wantSearch)))
	}

	ab, err := c.BatchReadAssociations(ctx, "contacts", "companies", []hubspot.AssociationInput{{ID: "1"}, {ID: "2", After: "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := canonical(t, assocBody); got != `{"inputs":[{"id":"1"},{"after":"abc","id":"2"}]}` {
		t.Errorf("associations body %s", got)
	}
	if len(ab.Results) != 1 || ab.Results[0].FromID != "1" || ab.Results[0].Next != "xyz" || ab.Results[0].To[0].ID != bigID {
		t.Errorf("associations %+v", ab)
	}
	if ty := ab.Results[0].To[0].Types; len(ty) != 2 || ty[0] != (hubspot.AssociationType{Category: "HUBSPOT_DEFINED", TypeID: 1}) || ty[1].Label != "Billing" {
		t.Errorf("association types %+v", ty)
	}
	if len(ab.Failed) != 1 || ab.Failed[0].Category != "VALIDATION_ERROR" || ab.Failed[0].IDs[0] != "x" {
		t.Errorf("failed %+v (NO_ASSOCIATIONS_FOUND must not be a failure)", ab.Failed)
	}
	if _, err := c.BatchReadAssociations(ctx, "contacts", "companies", make([]hubspot.AssociationInput, 1001)); err == nil {
		t.Error("1,001 inputs accepted")
	}

	objs, err := c.BatchReadObjects(ctx, "contacts", []string{"1", "2"}, []string{"email"}, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := canonical(t, batchBody); got != `{"inputs":[{"id":"1"},{"id":"2"}],"properties":["email"],"propertiesWithHistory":[]}` {
		t.Errorf("batch body %s", got)
	}
	if len(objs) != 1 || !objs[0].Archived || objs[0].ArchivedAt.IsZero() {
		t.Errorf("batch objects %+v", objs)
	}

	ev, err := c.ListEmailEvents(ctx, hubspot.EmailEventParams{Start: time.UnixMilli(1700000000000), End: time.UnixMilli(1700000999999), EventType: "OPEN"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.HasMore || ev.Offset != "Y3Vyc29y" || ev.Events[0].CampaignID != bigID || ev.Events[0].Created.UnixMilli() != 1700000000123 ||
		ev.Events[0].Recipient != "a@b.c" || !strings.Contains(string(ev.Events[0].Raw), "Firefox") {
		t.Errorf("email events %+v", ev)
	}

	subs, err := c.ListFormSubmissions(ctx, "f-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if s := subs.Results[0]; subs.Next != "QUZU" || s.ConversionID != "c-1" || s.SubmittedAt.UnixMilli() != 1700000000000 ||
		s.PageURL != "https://example.com/p" || s.Values[1].Value != "x, \"y\"\nz" {
		t.Errorf("submissions %+v", subs)
	}

	acct, err := c.AccountDetails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acct != (hubspot.Account{PortalID: 62515, TimeZone: "US/Eastern", CompanyCurrency: "USD", UIDomain: "app.hubspot.com", DataHostingLocation: "na1", AccountType: "STANDARD", UTCOffset: "-05:00", PortalName: sh.portalName}) {
		t.Errorf("account %+v", acct)
	}

	defs, err := c.Properties(ctx, "contacts", hubspot.HighlySensitive)
	if err != nil {
		t.Fatal(err)
	}
	if propsQuery.Get("dataSensitivity") != "highly_sensitive" || len(defs) != 2 || defs[0].DataSensitivity != hubspot.HighlySensitive ||
		defs[1].DataSensitivity != hubspot.NonSensitive {
		t.Errorf("properties %+v asked with %v", defs, propsQuery)
	}
	if _, err := c.Properties(ctx, "contacts", ""); err != nil || propsQuery.Has("dataSensitivity") {
		t.Errorf("non-sensitive properties asked with %v: %v", propsQuery, err)
	}

	pl, err := c.Pipelines(ctx, "deals")
	if err != nil {
		t.Fatal(err)
	}
	if st := pl[0].Stages; len(st) != 2 || st[0].Metadata["probability"] != "0.2" || st[1].Metadata["isClosed"] != "true" || st[1].Metadata["probability"] != "1.0" {
		t.Errorf("pipelines %+v", pl)
	}
}

func mustMap(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// canonical re-encodes a decoded JSON value with sorted keys.
func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
