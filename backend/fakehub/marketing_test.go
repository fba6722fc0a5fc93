package fakehub

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFormsAndSubmissions(t *testing.T) {
	counts := []int{0, 1, 50, 51, 500}
	f := newFixture(t, Config{Scale: 10, Forms: 7, FormSubmissionCounts: counts})
	tr := f.s.Truth()
	var forms []string
	after := ""
	for {
		var page struct {
			Results []struct {
				ID          string `json:"id"`
				Name        string `json:"name"`
				FieldGroups []any  `json:"fieldGroups"`
			} `json:"results"`
			Paging *pagingShape `json:"paging"`
		}
		f.ok("GET", "/marketing/v3/forms?formTypes=all&limit=2&after="+after, nil, &page)
		for _, r := range page.Results {
			forms = append(forms, r.ID)
			if r.Name == "" || len(r.FieldGroups) == 0 {
				t.Errorf("form %s lacks name or fields", r.ID)
			}
		}
		if after = page.Paging.after(); after == "" {
			break
		}
	}
	if !slices.Equal(forms, tr.Forms()) || len(forms) != 7 {
		t.Fatalf("forms %v, truth %v", forms, tr.Forms())
	}
	for i, id := range forms {
		if tr.FormType(id) == formBlogComment {
			continue // no submissions: see TestFormTypes
		}
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			f := f.with(t)
			want := tr.Submissions(id)
			if i < len(counts) && want != counts[i] {
				t.Fatalf("truth says %d submissions, configured %d", want, counts[i])
			}
			seen := map[string]bool{}
			calls, after, last := 0, "", int64(1<<62)
			for {
				var page struct {
					Results []struct {
						ConversionID string `json:"conversionId"`
						SubmittedAt  int64  `json:"submittedAt"`
						PageURL      string `json:"pageUrl"`
						Values       []struct{ Name, Value string }
					} `json:"results"`
					Paging *pagingShape `json:"paging"`
				}
				f.ok("GET", "/form-integrations/v1/submissions/forms/"+id+"?limit=50&after="+url.QueryEscape(after), nil, &page)
				calls++
				for _, s := range page.Results {
					if seen[s.ConversionID] || s.SubmittedAt > last || s.PageURL == "" || len(s.Values) == 0 || s.Values[0].Name != "email" {
						t.Fatalf("bad submission %+v", s)
					}
					seen[s.ConversionID], last = true, s.SubmittedAt
				}
				if after = page.Paging.after(); after == "" {
					break
				}
			}
			if len(seen) != want || calls != max(1, (want+49)/50) {
				t.Fatalf("read %d submissions in %d calls, want %d", len(seen), calls, want)
			}
		})
	}
	f.fails("GET", "/form-integrations/v1/submissions/forms/"+forms[0]+"?limit=51", nil, http.StatusBadRequest)
	f.fails("GET", "/form-integrations/v1/submissions/forms/no-such-form", nil, http.StatusNotFound)
}

type eventsPage struct {
	Events []struct {
		ID              string `json:"id"`
		Type            string `json:"type"`
		Created         int64  `json:"created"`
		Recipient       string `json:"recipient"`
		EmailCampaignID int64  `json:"emailCampaignId"`
		AppID           int64  `json:"appId"`
		PortalID        int64  `json:"portalId"`
	} `json:"events"`
	HasMore bool   `json:"hasMore"`
	Offset  string `json:"offset"`
}

func (f *fixture) allEvents(query string) (ids []string, types map[string]string, calls int) {
	f.t.Helper()
	types = map[string]string{}
	offset := ""
	last := int64(1 << 62)
	for {
		var page eventsPage
		f.ok("GET", "/email/public/v1/events?limit=1000"+query+"&offset="+url.QueryEscape(offset), nil, &page)
		calls++
		for _, e := range page.Events {
			if e.Created > last || e.ID == "" || e.Recipient == "" || e.EmailCampaignID == 0 || e.PortalID == 0 {
				f.t.Fatalf("bad or out-of-order event %+v", e)
			}
			last = e.Created
			ids = append(ids, e.ID)
			types[e.ID] = e.Type
		}
		if !page.HasMore {
			return ids, types, calls
		}
		offset = page.Offset
	}
}

func TestEmailEvents(t *testing.T) {
	f := newFixture(t, Config{Scale: 20, EmailEvents: 2500})
	tr := f.s.Truth()
	all, types, calls := f.allEvents("")
	everything := tr.EmailEventIDs(time.Time{}, t0.Add(time.Hour))
	if !slices.Equal(all, everything) || len(all) != 2500 || calls != 3 {
		t.Fatalf("read %d events in %d calls, truth %d", len(all), calls, len(everything))
	}
	t.Run("windows", func(t *testing.T) {
		f := f.with(t)
		// Edges fall exactly on events, some of which share a millisecond.
		created := f.s.st.events
		edges := []int64{created[0], created[400], created[401], created[1200], created[2499] + 1}
		var got []string
		for k := 0; k+1 < len(edges); k++ {
			lo, hi := edges[k], edges[k+1]-1
			ids, _, _ := f.allEvents("&startTimestamp=" + strconv.FormatInt(lo, 10) + "&endTimestamp=" + strconv.FormatInt(hi, 10))
			if want := tr.EmailEventIDs(time.UnixMilli(lo), time.UnixMilli(hi)); !slices.Equal(ids, want) {
				t.Fatalf("window %d: %d events, truth %d", k, len(ids), len(want))
			}
			got = append(got, ids...)
		}
		slices.Sort(got)
		want := slices.Clone(everything)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("windows hold %d events, want %d exactly once", len(got), len(want))
		}
	})
	t.Run("added", func(t *testing.T) {
		f := newFixture(t, Config{Scale: 20, EmailEvents: 300})
		before := f.s.Truth()
		added := f.s.AddEmailEvents(3, t0.Add(time.Hour))
		late := f.s.AddEmailEvents(1, t0.Add(-time.Hour)) // moved up: events keep their order
		since := "&startTimestamp=" + strconv.FormatInt(t0.Add(time.Hour).UnixMilli(), 10)
		ids, _, _ := f.allEvents(since)
		want := append(slices.Clone(late), added[2], added[1], added[0]) // newest first
		if !slices.Equal(ids, want) {
			t.Fatalf("events since the addition: %v, want %v", ids, want)
		}
		if n := len(f.s.Truth().EmailEventIDs(time.Time{}, t0.Add(2*time.Hour))); n != 304 {
			t.Errorf("truth holds %d events, want 304", n)
		}
		if n := len(before.EmailEventIDs(time.Time{}, t0.Add(2*time.Hour))); n != 300 {
			t.Errorf("an earlier truth holds %d events, want 300", n)
		}
	})
	t.Run("eventType", func(t *testing.T) {
		ids, _, _ := f.with(t).allEvents("&eventType=OPEN")
		var want []string
		for _, id := range all {
			if types[id] == "OPEN" {
				want = append(want, id)
			}
		}
		if len(want) == 0 || !slices.Equal(ids, want) {
			t.Fatalf("OPEN events: %d, want %d", len(ids), len(want))
		}
	})
	f.fails("GET", "/email/public/v1/events?limit=1001", nil, http.StatusBadRequest)
}

func TestOwnersPipelinesAccount(t *testing.T) {
	f := newFixture(t, Config{Scale: 10})
	tr := f.s.Truth()
	read := func(query string) []string {
		var ids []string
		after := ""
		for {
			var page struct {
				Results []struct {
					ID, Email, FirstName string
					Archived             bool
				} `json:"results"`
				Paging *pagingShape `json:"paging"`
			}
			f.ok("GET", "/crm/v3/owners?limit=10"+query+"&after="+after, nil, &page)
			for _, o := range page.Results {
				if o.Email == "" || o.FirstName == "" {
					t.Fatalf("owner %+v", o)
				}
				ids = append(ids, o.ID)
			}
			if after = page.Paging.after(); after == "" {
				return ids
			}
		}
	}
	if got := read(""); !slices.Equal(got, tr.Owners()) {
		t.Errorf("owners %v, truth %v", got, tr.Owners())
	}
	if got := read("&archived=true"); !slices.Equal(got, tr.ArchivedOwners()) || len(got) == 0 {
		t.Errorf("archived owners %v, truth %v", got, tr.ArchivedOwners())
	}
	f.fails("GET", "/crm/v3/owners?limit=501", nil, http.StatusBadRequest)

	var pipes struct {
		Results []struct {
			ID, Label string
			Stages    []struct {
				ID, Label string
				Metadata  map[string]string
			}
		}
	}
	f.ok("GET", "/crm/v3/pipelines/deals", nil, &pipes)
	var stageIDs []string
	for _, p := range pipes.Results {
		for _, s := range p.Stages {
			stageIDs = append(stageIDs, s.ID)
			if s.Metadata["probability"] == "" {
				t.Errorf("deal stage %s lacks probability", s.ID)
			}
		}
	}
	var props struct {
		Results []struct {
			Name    string
			Options []struct{ Value string }
		}
	}
	f.ok("GET", "/crm/v3/properties/deals", nil, &props)
	for _, p := range props.Results {
		if p.Name == "dealstage" {
			var values []string
			for _, o := range p.Options {
				values = append(values, o.Value)
			}
			if !slices.Equal(values, stageIDs) {
				t.Errorf("dealstage options %v, stages %v", values, stageIDs)
			}
		}
	}
	f.ok("GET", "/crm/v3/pipelines/tickets", nil, &pipes)
	if len(pipes.Results) != 2 || pipes.Results[0].Stages[0].Metadata["ticketState"] != "OPEN" {
		t.Errorf("ticket pipelines %+v", pipes)
	}
	var acct map[string]any
	f.ok("GET", "/account-info/v3/details", nil, &acct)
	for _, k := range []string{"portalId", "timeZone", "companyCurrency", "utcOffset", "uiDomain", "dataHostingLocation", "accountType"} {
		if acct[k] == nil || acct[k] == "" {
			t.Errorf("account details lack %s: %v", k, acct)
		}
	}
	f.fails("GET", "/crm/v3/pipelines/widgets", nil, http.StatusBadRequest)
}

func TestPropertiesAndLongURLs(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, ExtraProperties: 600})
	tr := f.s.Truth()
	var props struct {
		Results []struct {
			Name, Label, Type, FieldType, GroupName string
			Options                                 []struct{ Label, Value string }
			ReferencedObjectType                    string
		}
	}
	f.ok("GET", "/crm/v3/properties/contacts", nil, &props)
	var names []string
	for _, p := range props.Results {
		names = append(names, p.Name)
		if p.Label == "" || p.Type == "" || p.FieldType == "" || p.GroupName == "" {
			t.Fatalf("property %+v", p)
		}
		if p.Type == "enumeration" && len(p.Options) == 0 && p.ReferencedObjectType != "OWNER" {
			t.Errorf("enumeration %s has no options", p.Name)
		}
	}
	if want := tr.PropertiesAt("contacts", "non_sensitive"); !slices.Equal(names, want) || len(names) < 620 {
		t.Fatalf("%d properties, truth %d", len(names), len(want))
	}
	all := "/crm/v3/objects/contacts?limit=100&properties=" + strings.Join(names, ",")
	f.fails("GET", all, nil, http.StatusRequestURITooLong)
	half := len(names) / 2
	var a, b objectPage
	f.ok("GET", "/crm/v3/objects/contacts?limit=100&properties="+strings.Join(names[:half], ","), nil, &a)
	f.ok("GET", "/crm/v3/objects/contacts?limit=100&properties="+strings.Join(names[half:], ","), nil, &b)
	union := map[string]bool{}
	for _, page := range []objectPage{a, b} {
		for k := range page.Results[0].Properties {
			union[k] = true
		}
	}
	if len(union) != len(names) {
		t.Errorf("the two halves hold %d distinct properties, want %d", len(union), len(names))
	}
	var batch objectPage
	f.ok("POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"properties": names, "inputs": []map[string]string{{"id": a.Results[0].ID}}}, &batch)
	if len(batch.Results[0].Properties) != len(names) {
		t.Errorf("batch read returned %d of %d properties", len(batch.Results[0].Properties), len(names))
	}
}

// TestFormTypes: HubSpot lists only hubspot forms without formTypes, the
// given types with it (repeated, or all), the archived forms with
// archived=true; a blog comment form's submissions answer 400.
func TestFormTypes(t *testing.T) {
	f := newFixture(t, Config{Scale: 10, Forms: 20})
	tr := f.s.Truth()
	list := func(t *testing.T, query string) (ids, types []string) {
		after := ""
		for {
			var page struct {
				Results []struct {
					ID         string `json:"id"`
					FormType   string `json:"formType"`
					Archived   bool   `json:"archived"`
					ArchivedAt string `json:"archivedAt"`
				} `json:"results"`
				Paging *pagingShape `json:"paging"`
			}
			f.with(t).ok("GET", "/marketing/v3/forms?limit=3&after="+url.QueryEscape(after)+query, nil, &page)
			for _, r := range page.Results {
				if r.Archived != strings.Contains(query, "archived=true") || r.Archived != (r.ArchivedAt != "") {
					t.Errorf("form %s: archived %t at %q", r.ID, r.Archived, r.ArchivedAt)
				}
				ids, types = append(ids, r.ID), append(types, r.FormType)
			}
			if after = page.Paging.after(); after == "" {
				return ids, types
			}
		}
	}
	of := func(ids []string, types ...string) []string {
		out := []string{}
		for _, id := range ids {
			if slices.Contains(types, tr.FormType(id)) {
				out = append(out, id)
			}
		}
		return out
	}
	active, archived := tr.Forms(), tr.ArchivedForms()
	for _, typ := range []string{formHubSpot, formCaptured, formFlow, formBlogComment} {
		if len(of(active, typ)) == 0 {
			t.Errorf("no active %s form", typ)
		}
	}
	if len(archived) == 0 || len(active)+len(archived) != 20 {
		t.Fatalf("%d active and %d archived forms, want 20 with some archived", len(active), len(archived))
	}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"default: hubspot only", "", of(active, formHubSpot)},
		{"one type", "&formTypes=captured", of(active, formCaptured)},
		{"repeated", "&formTypes=flow&formTypes=blog_comment", of(active, formFlow, formBlogComment)},
		{"all", "&formTypes=all", active},
		{"every type by name", "&formTypes=hubspot&formTypes=captured&formTypes=flow&formTypes=blog_comment", active},
		{"archived, hubspot only", "&archived=true", of(archived, formHubSpot)},
		{"archived, all", "&archived=true&formTypes=all", archived},
		{"archived=false", "&archived=false&formTypes=all", active},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, types := list(t, tt.query)
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("listed %v, want %v", ids, tt.want)
			}
			for i, id := range ids {
				if types[i] != tr.FormType(id) {
					t.Errorf("form %s: formType %q, truth %q", id, types[i], tr.FormType(id))
				}
			}
		})
	}
	f.fails("GET", "/marketing/v3/forms?formTypes=popup", nil, http.StatusBadRequest)
	f.fails("GET", "/marketing/v3/forms?archived=maybe", nil, http.StatusBadRequest)
	for _, id := range of(active, formBlogComment) {
		eb := f.fails("GET", "/form-integrations/v1/submissions/forms/"+id, nil, http.StatusBadRequest)
		if eb.Status != "error" || eb.Category != "VALIDATION_ERROR" || eb.CorrelationID == "" || eb.Message == "" {
			t.Errorf("blog comment form %s: error body %+v", id, eb)
		}
		if tr.Submissions(id) != 0 {
			t.Errorf("blog comment form %s: truth says %d submissions", id, tr.Submissions(id))
		}
	}
	for _, id := range archived {
		var page struct{ Results []any }
		f.ok("GET", "/form-integrations/v1/submissions/forms/"+id+"?limit=50", nil, &page)
		if len(page.Results) != min(tr.Submissions(id), 50) {
			t.Errorf("archived form %s: %d submissions on the first page, truth %d", id, len(page.Results), tr.Submissions(id))
		}
	}
}
