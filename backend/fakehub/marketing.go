package fakehub

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
)

// Marketing endpoints: forms, their submissions, and marketing email events.

type form struct {
	id, name         string
	formType         string // hubspot, captured, flow or blog_comment
	archived         bool
	created, updated int64
	submissions      int
	fields           []formField
}

// Form types as HubSpot's forms API names them (formTypes, formType; see
// PublicApiSpecs/Marketing/Forms/Rollouts/144909/v3/forms.json in
// HubSpot/HubSpot-public-api-spec-collection). "all" asks for every one.
const (
	formHubSpot     = "hubspot"
	formCaptured    = "captured"
	formFlow        = "flow"
	formBlogComment = "blog_comment"
	formTypesAll    = "all"
)

var formTypes = []string{formHubSpot, formCaptured, formFlow, formBlogComment}

type formField struct {
	name, label, fieldType string
	required               bool
}

var formFieldPool = []formField{
	{"firstname", "First name", "single_line_text", false},
	{"lastname", "Last name", "single_line_text", false},
	{"company", "Company name", "single_line_text", false},
	{"phone", "Phone number", "phone", false},
	{"message", "Message", "multi_line_text", false},
	{"country", "Country/Region", "dropdown", false},
	{"jobtitle", "Job title", "single_line_text", false},
}

var formNames = []string{"Contact us", "Newsletter signup", "Demo request", "Webinar: Data, privacy & you",
	"Téléchargement du livre blanc", "Event registration 🎟", "Support request", "Partner application"}

func generateForms(ds *dataset, n int, counts []int) {
	for i := 0; i < n; i++ {
		r := newRNG(uint64(ds.seed), uint64(i), 0xf0)
		f := form{
			id:      uuidOf(r.next(), r.next()),
			name:    fmt.Sprintf("%s #%d", pick(&r, formNames), i+1),
			created: ds.anchor - int64(200+r.intn(700))*dayMs,
			fields:  []formField{{"email", "Email", "email", true}},
		}
		f.updated = f.created + int64(r.intn(100))*dayMs
		for _, ff := range formFieldPool {
			if r.chance(0.5) {
				f.fields = append(f.fields, ff)
			}
		}
		// Every type, and an archived form, in each ten past the forms with
		// configured counts (those stay active hubspot forms).
		f.formType = formHubSpot
		if i >= len(counts) {
			switch i % 10 {
			case 3:
				f.formType = formCaptured
			case 6:
				f.formType = formFlow
			case 8:
				f.archived = true
			case 9:
				f.formType = formBlogComment
			}
		}
		switch {
		case i < len(counts):
			f.submissions = counts[i]
		case f.formType == formBlogComment:
			f.submissions = 0 // comments are no form submissions: the endpoint answers 400
		case i%5 == 4:
			f.submissions = 0 // some forms were never submitted
		default:
			f.submissions = r.intn(300)
		}
		ds.forms = append(ds.forms, f)
	}
}

// submittedAt is when submission j (oldest first) of form fi arrived.
func (ds *dataset) submittedAt(fi, j int) int64 {
	f := &ds.forms[fi]
	span := ds.anchor - f.created
	w := max(span/int64(max(f.submissions, 1)), 1)
	r := newRNG(uint64(ds.seed), uint64(fi), uint64(j), 0x5b)
	return f.created + int64(j)*w + int64(r.intn(int(w)))
}

func (ds *dataset) formIndex(id string) int {
	for i := range ds.forms {
		if ds.forms[i].id == id {
			return i
		}
	}
	return -1
}

// listedForms is the indexes of the forms GET /marketing/v3/forms lists,
// in order: of the given types (every one with all), archived or not.
func (ds *dataset) listedForms(types []string, archived bool) []int {
	var out []int
	for i, f := range ds.forms {
		if f.archived == archived && (slices.Contains(types, formTypesAll) || slices.Contains(types, f.formType)) {
			out = append(out, i)
		}
	}
	return out
}

// GET /marketing/v3/forms: formTypes is repeated (hubspot only when
// absent, as HubSpot does), archived=true lists only the archived forms.
func (s *Server) listForms(r *http.Request) *response {
	limit, bad := s.queryLimit(r, 20, 500)
	if bad != nil {
		return bad
	}
	start, bad := s.afterCursor(r, "form:")
	if bad != nil {
		return bad
	}
	q := r.URL.Query()
	types := q["formTypes"]
	for _, t := range types {
		if t != formTypesAll && !slices.Contains(formTypes, t) {
			return s.badRequest("Unable to parse value for query parameter: formTypes")
		}
	}
	if len(types) == 0 {
		types = []string{formHubSpot}
	}
	archived := false
	if v := q.Get("archived"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return s.badRequest("Unable to parse value for query parameter: archived")
		}
		archived = b
	}
	listed := s.ds.listedForms(types, archived)
	results := []map[string]any{}
	end := min(start+limit, len(listed))
	for _, i := range listed[min(start, end):end] {
		f := &s.ds.forms[i]
		groups := []map[string]any{}
		for _, ff := range f.fields {
			groups = append(groups, map[string]any{"groupType": "default_group", "richTextType": "text", "fields": []map[string]any{{
				"objectTypeId": "0-1", "name": ff.name, "label": ff.label, "required": ff.required, "hidden": false, "fieldType": ff.fieldType,
			}}})
		}
		form := map[string]any{
			"id": f.id, "name": f.name, "formType": f.formType, "createdAt": isoMillis(f.created), "updatedAt": isoMillis(f.updated),
			"archived": f.archived, "fieldGroups": groups,
			"configuration": map[string]any{"language": "en", "cloneable": true, "editable": true, "archivable": true,
				"recaptchaEnabled": false, "createNewContactForNewEmail": false, "prePopulateKnownValues": true,
				"postSubmitAction": map[string]string{"type": "thank_you", "value": "Thanks for submitting the form."}},
			"displayOptions":      map[string]any{"renderRawHtml": false, "theme": "default_style", "submitButtonText": "Submit"},
			"legalConsentOptions": map[string]string{"type": "none"},
		}
		if f.archived {
			form["archivedAt"] = isoMillis(f.updated)
		}
		results = append(results, form)
	}
	body := map[string]any{"results": results}
	if end < len(listed) {
		after := cursor("form:", end)
		body["paging"] = pagingJSON(after, nextLink(r, after))
	}
	return s.jsonResp(http.StatusOK, body)
}

// GET /form-integrations/v1/submissions/forms/{formGuid}: newest first.
func (s *Server) listSubmissions(r *http.Request) *response {
	fi := s.ds.formIndex(r.PathValue("formGuid"))
	if fi < 0 {
		return s.errorResp(http.StatusNotFound, "OBJECT_NOT_FOUND", "Form not found: "+r.PathValue("formGuid"), nil)
	}
	limit, bad := s.queryLimit(r, 20, 50)
	if bad != nil {
		return bad
	}
	pos, bad := s.afterCursor(r, "sub:")
	if bad != nil {
		return bad
	}
	f := &s.ds.forms[fi]
	if f.formType == formBlogComment {
		// HubSpot's answer for a blog comment form: its comments are not
		// form submissions.
		return s.badRequest("Form " + f.id + " is a blog comment form; its submissions are not available")
	}
	results := []map[string]any{}
	end := min(pos+limit, f.submissions)
	for p := pos; p < end; p++ {
		j := f.submissions - 1 - p
		r := newRNG(uint64(s.ds.seed), uint64(fi), uint64(j), 0x5c)
		values := []map[string]string{}
		for _, ff := range f.fields {
			var v string
			switch ff.name {
			case "email":
				v = fmt.Sprintf("%s.%d.%d@%s", pick(&r, emailLocal), fi, j, pick(&r, emailDomains))
			case "firstname":
				v = personName(&r, firstNames)
			case "lastname":
				v = personName(&r, lastNames)
			case "company":
				v = pick(&r, companyNames)
			case "phone":
				v = phone(&r)
			case "country":
				v = pick(&r, countries)
			default:
				v = personName(&r, jobTitles)
			}
			if !ff.required && r.chance(0.2) {
				continue // left blank: HubSpot omits the field
			}
			values = append(values, map[string]string{"name": ff.name, "value": v})
		}
		results = append(results, map[string]any{
			"conversionId": uuidOf(r.next(), r.next()),
			"submittedAt":  s.ds.submittedAt(fi, j),
			"values":       values,
			"pageUrl":      fmt.Sprintf("https://www.example.com/%s?utm_source=%s&page=%d", slug(f.name, int64(fi)), pick(&r, []string{"google", "newsletter", "linkedin"}), j%7),
		})
	}
	body := map[string]any{"results": results}
	if end < f.submissions {
		after := cursor("sub:", end)
		body["paging"] = pagingJSON(after, nextLink(r, after))
	}
	return s.jsonResp(http.StatusOK, body)
}

var eventTypes = []struct {
	name   string
	weight float64
}{
	{"PROCESSED", 0.15}, {"SENT", 0.2}, {"DELIVERED", 0.2}, {"OPEN", 0.2}, {"CLICK", 0.1}, {"DEFERRED", 0.03},
	{"BOUNCE", 0.03}, {"DROPPED", 0.02}, {"STATUSCHANGE", 0.02}, {"SPAMREPORT", 0.01}, {"FORWARD", 0.02},
	{"PRINT", 0.01}, {"UNBOUNCE", 0.01},
}

// generateEvents spreads email events over the last 90 days, oldest first;
// about one in ten shares its predecessor's millisecond. It returns their
// creation times.
func generateEvents(ds *dataset, n int) []int64 {
	span := int64(90 * dayMs)
	start := ds.anchor - span
	w := max(span/int64(max(n, 1)), 1)
	events := make([]int64, n)
	for i := range events {
		r := newRNG(uint64(ds.seed), uint64(i), 0xe0)
		events[i] = start + int64(i)*w + int64(r.intn(int(w)))
		if i > 0 && r.chance(0.1) {
			events[i] = events[i-1]
		}
	}
	for i := 0; i < 14; i++ {
		ds.campaigns = append(ds.campaigns, int64(30_000_000+i*104_729))
	}
	return events
}

func (ds *dataset) eventID(i int) string {
	return uuidOf(hash(uint64(ds.seed), uint64(i), 0xe1), hash(uint64(ds.seed), uint64(i), 0xe2))
}

func (ds *dataset) eventType(i int) string {
	r := newRNG(uint64(ds.seed), uint64(i), 0xe3)
	p := r.float()
	for _, et := range eventTypes {
		if p < et.weight {
			return et.name
		}
		p -= et.weight
	}
	return "SENT"
}

// eventRange is the index range [lo, hi) of events created within
// [startMs, endMs].
func (v view) eventRange(startMs, endMs int64) (lo, hi int) {
	events := v.st.events
	lo = sort.Search(len(events), func(i int) bool { return events[i] >= startMs })
	hi = sort.Search(len(events), func(i int) bool { return events[i] > endMs })
	return lo, max(lo, hi)
}

func (v view) eventJSON(i int) map[string]any {
	ds := v.ds
	r := newRNG(uint64(ds.seed), uint64(i), 0xe4)
	typ := ds.eventType(i)
	recipient := fmt.Sprintf("unknown.%d@example.com", i)
	if n := ds.generated[tContacts]; n > 0 { // generated contacts only: added ones must not change old events
		if e, ok := v.value(tContacts, r.intn(n), v.ds.schemas[tContacts].byName["email"]); ok {
			recipient = e
		}
	}
	ev := map[string]any{
		"id": ds.eventID(i), "type": typ, "created": v.st.events[i], "recipient": recipient,
		"emailCampaignId": pick(&r, ds.campaigns), "appId": 113, "appName": "BatchEmail", "portalId": ds.portalID,
		"sentBy": map[string]any{"id": uuidOf(r.next(), r.next()), "created": v.st.events[i] - int64(r.intn(60_000))},
	}
	location := map[string]string{"country": pick(&r, countries), "city": pick(&r, cities), "state": ""}
	agent := pick(&r, []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", "Microsoft Office/16.0"})
	switch typ {
	case "SENT":
		ev["subject"] = pick(&r, []string{"Your March update", "Nouveautés de printemps 🌸", "Webinar: \"Data, privacy & you\""})
		ev["from"] = "Marketing <news@example.com>"
	case "DELIVERED":
		ev["response"], ev["smtpId"] = "250 2.0.0 OK", fmt.Sprintf("<%d@smtp.example.com>", i)
	case "OPEN", "FORWARD", "PRINT":
		ev["userAgent"], ev["location"], ev["deviceType"], ev["filteredEvent"] = agent, location, "COMPUTER", r.chance(0.1)
	case "CLICK":
		ev["url"], ev["userAgent"], ev["location"] = "https://www.example.com/offer?utm_campaign="+strconv.Itoa(i%9), agent, location
	case "BOUNCE":
		ev["category"], ev["status"], ev["response"] = pick(&r, []string{"MAILBOX_FULL", "UNKNOWN_USER", "SPAM"}), "5.2.2", "552 5.2.2 Mailbox full"
	case "DROPPED":
		ev["dropReason"], ev["dropMessage"] = "PREVIOUSLY_BOUNCED", "The recipient previously bounced."
	case "DEFERRED":
		ev["response"], ev["attempt"] = "421 4.7.0 Try again later", 1+r.intn(3)
	case "STATUSCHANGE":
		ev["source"], ev["requestedBy"] = "SOURCE_RECIPIENT", recipient
		ev["subscriptions"] = []map[string]any{{"id": 4_180_000 + r.intn(10), "status": "UNSUBSCRIBED"}}
	}
	return ev
}

// GET /email/public/v1/events: newest first, with an opaque offset.
func (s *Server) listEmailEvents(r *http.Request) *response {
	q := r.URL.Query()
	limit, bad := s.queryLimit(r, 100, 1000)
	if bad != nil {
		return bad
	}
	startMs, endMs := int64(0), int64(1<<62)
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"startTimestamp", &startMs}, {"endTimestamp", &endMs}} { // in order, so a bad request always names the same one
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return s.badRequest("Unable to parse value for query parameter: " + p.name)
			}
			*p.dst = n
		}
	}
	view := s.view()
	lo, hi := view.eventRange(startMs, endMs)
	pos := hi - 1
	if off := q.Get("offset"); off != "" {
		p, ok := uncursor("ev:", off)
		if !ok {
			return s.badRequest("Invalid offset: " + off)
		}
		pos = min(p, hi-1)
	}
	typ, campaign, recipient := q.Get("eventType"), q.Get("campaignId"), q.Get("recipient")
	match := func(i int) bool {
		if typ != "" && s.ds.eventType(i) != typ {
			return false
		}
		if campaign == "" && recipient == "" {
			return true
		}
		ev := view.eventJSON(i)
		return (campaign == "" || strconv.FormatInt(ev["emailCampaignId"].(int64), 10) == campaign) &&
			(recipient == "" || ev["recipient"] == recipient)
	}
	events := []map[string]any{}
	for ; pos >= lo && len(events) < limit; pos-- {
		if match(pos) {
			events = append(events, view.eventJSON(pos))
		}
	}
	for pos >= lo && !match(pos) {
		pos--
	}
	more := pos >= lo
	return s.jsonResp(http.StatusOK, map[string]any{"events": events, "hasMore": more, "offset": cursor("ev:", max(pos, 0))})
}
