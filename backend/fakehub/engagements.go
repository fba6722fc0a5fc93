package fakehub

import (
	"net/http"
	"strconv"
	"strings"
)

// GET /engagements/v1/engagements/paged: the legacy endpoint listing every
// engagement type mixed, in id order, with associations inline. It serves
// the same records as the v3 engagement types.

// prop is a record's value of a property by name ("" when null or unknown).
func (v view) prop(t, i int, name string) string {
	p := v.ds.schemas[t].byName[name]
	if p == nil {
		return ""
	}
	s, _ := v.value(t, i, p)
	return s
}

func (v view) propMs(t, i int, name string) any {
	if n, ok := toNumber(v.prop(t, i, name)); ok {
		return int64(n)
	}
	return nil
}

func (v view) v1Engagement(t, i int) map[string]any {
	rs := v.st.recs[t]
	id := v.ds.idOf(t, i)
	e := map[string]any{
		"id": id, "portalId": v.ds.portalID, "active": true, "type": objTypes[t].v1Type,
		"createdAt": rs.created[i], "lastUpdated": rs.updated[i], "timestamp": activityTime(&gctx{ds: v.ds, t: t, idx: i, id: id, created: rs.created[i]}),
		"allAccessibleTeamIds": []int{}, "queueMembershipIds": []int{},
	}
	var ownerIDs []int64
	if o, err := strconv.ParseInt(v.prop(t, i, "hubspot_owner_id"), 10, 64); err == nil {
		e["ownerId"] = o
		ownerIDs = append(ownerIDs, o)
	}
	assoc := map[string]any{"ownerIds": nonNil(ownerIDs), "workflowIds": []int64{}, "contentIds": []int64{}, "quoteIds": []int64{}, "marketingEventIds": []int64{}}
	for _, x := range []struct {
		t   int
		key string
	}{{tContacts, "contactIds"}, {tCompanies, "companyIds"}, {tDeals, "dealIds"}, {tTickets, "ticketIds"}} {
		var ids []int64
		if ri, dir, ok := v.ds.findRelation(t, x.t); ok {
			for _, j := range v.partners(ri, dir, i, nil) {
				ids = append(ids, v.ds.idOf(x.t, int(j)))
			}
		}
		assoc[x.key] = nonNil(ids)
	}
	var meta map[string]any
	switch t {
	case tCalls:
		meta = map[string]any{"title": v.prop(t, i, "hs_call_title"), "body": v.prop(t, i, "hs_call_body"),
			"toNumber": v.prop(t, i, "hs_call_to_number"), "fromNumber": v.prop(t, i, "hs_call_from_number"),
			"status": v.prop(t, i, "hs_call_status"), "durationMilliseconds": v.propMs(t, i, "hs_call_duration"),
			"recordingUrl": v.prop(t, i, "hs_call_recording_url"), "disposition": v.prop(t, i, "hs_call_disposition")}
	case tEmails:
		var to []map[string]string
		for _, addr := range strings.Split(v.prop(t, i, "hs_email_to_email"), ";") {
			if addr != "" {
				to = append(to, map[string]string{"email": addr})
			}
		}
		meta = map[string]any{"from": map[string]string{"email": v.prop(t, i, "hs_email_from_email"),
			"firstName": v.prop(t, i, "hs_email_from_firstname"), "lastName": v.prop(t, i, "hs_email_from_lastname")},
			"to": nonNil(to), "cc": []string{}, "bcc": []string{}, "subject": v.prop(t, i, "hs_email_subject"),
			"html": v.prop(t, i, "hs_email_html"), "text": v.prop(t, i, "hs_email_text")}
	case tMeetings:
		meta = map[string]any{"title": v.prop(t, i, "hs_meeting_title"), "body": v.prop(t, i, "hs_meeting_body"),
			"startTime": v.propMs(t, i, "hs_meeting_start_time"), "endTime": v.propMs(t, i, "hs_meeting_end_time"),
			"meetingOutcome": v.prop(t, i, "hs_meeting_outcome"), "location": v.prop(t, i, "hs_meeting_location")}
	case tNotes:
		meta = map[string]any{"body": v.prop(t, i, "hs_note_body")}
	default:
		meta = map[string]any{"subject": v.prop(t, i, "hs_task_subject"), "body": v.prop(t, i, "hs_task_body"),
			"status": v.prop(t, i, "hs_task_status"), "priority": v.prop(t, i, "hs_task_priority"),
			"taskType": v.prop(t, i, "hs_task_type"), "forObjectType": "OWNER",
			"completionDate": v.propMs(t, i, "hs_task_completion_date")}
	}
	if body, ok := meta["body"].(string); ok {
		e["bodyPreview"] = stripTags(body)
	}
	return map[string]any{"engagement": e, "associations": assoc, "attachments": []any{}, "metadata": meta}
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// stripTags is the plain-text preview of an HTML body.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, c := range s {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (s *Server) listEngagementsV1(r *http.Request) *response {
	limit, bad := s.queryLimit(r, 100, 250)
	if bad != nil {
		return bad
	}
	var offset int64
	if o := r.URL.Query().Get("offset"); o != "" {
		n, err := strconv.ParseInt(o, 10, 64)
		if err != nil {
			return s.badRequest("Unable to parse value for query parameter: offset")
		}
		offset = n
	}
	v := s.view()
	// next[k] is the next candidate index of engagement type tCalls+k.
	var next [5]int
	for k := range next {
		t := tCalls + k
		next[k] = s.ds.firstAtOrAfter(t, offset+1, v.st.recs[t].n())
	}
	// pop returns the engagement with the lowest id not yet listed.
	pop := func() (int, int, bool) {
		best, bestID := -1, int64(0)
		for k := range next {
			t := tCalls + k
			for next[k] < v.st.recs[t].n() && !v.active(t, next[k]) {
				next[k]++
			}
			if next[k] < v.st.recs[t].n() {
				if id := s.ds.idOf(t, next[k]); best < 0 || id < bestID {
					best, bestID = k, id
				}
			}
		}
		if best < 0 {
			return 0, 0, false
		}
		next[best]++
		return tCalls + best, next[best] - 1, true
	}
	results := []map[string]any{}
	last := offset
	for len(results) < limit {
		t, i, ok := pop()
		if !ok {
			break
		}
		results = append(results, v.v1Engagement(t, i))
		last = s.ds.idOf(t, i)
	}
	_, _, more := pop()
	return s.jsonResp(http.StatusOK, map[string]any{"results": results, "hasMore": more, "offset": last})
}
