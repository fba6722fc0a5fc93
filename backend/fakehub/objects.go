package fakehub

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CRM object reads: the list endpoint (with inline associations) and the
// batch read, plus the record encoder they share with search.

// splitList reads a query parameter given as a comma list, repeated, or both.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

// selectProps resolves requested property names (unknown ones are ignored,
// as HubSpot does) in name order. With none given, the type's defaults. The
// id and both timestamps are always included, as HubSpot includes them.
// Properties of a sensitivity level the key may not read (DenySensitive)
// are left out: HubSpot returns no value for them. Callers hold s.mu.
func (s *Server) selectProps(t int, names []string) []*propDef {
	sc := s.ds.schemas[t]
	o := &objTypes[t]
	if len(names) == 0 {
		names = o.defaults
	}
	want := map[string]bool{"hs_object_id": true, o.created: true, o.lastMod: true}
	for _, n := range names {
		want[n] = true
	}
	out := make([]*propDef, 0, len(want))
	for _, p := range sc.props {
		if want[p.name] && (p.sensitivity == "" || !s.sensDeny[sensKey{t, p.sensitivity}]) {
			out = append(out, p)
		}
	}
	return out
}

// appendRecord writes one record without its closing brace, so the caller
// can add associations. A date-based answer adds the record's url, as the
// 2026-09 SimplePublicObject does.
func (v view) appendRecord(b []byte, sc *scratch, t, i int, props []*propDef, dated bool) []byte {
	rs := v.st.recs[t]
	b = append(b, `{"id":`...)
	b = appendIDStr(b, v.ds.idOf(t, i))
	b = append(b, `,"properties":{`...)
	for k, p := range props {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendKey(b, p.name)
		if val, ok := v.valueWith(sc, t, i, p); ok {
			b = appendStr(b, val)
		} else {
			b = append(b, "null"...)
		}
	}
	b = append(b, `},"createdAt":`...)
	b = appendISO(b, rs.created[i])
	b = append(b, `,"updatedAt":`...)
	b = appendISO(b, rs.updated[i])
	if at := rs.archived[i]; at != 0 {
		b = append(b, `,"archived":true,"archivedAt":`...)
		b = appendISO(b, at)
	} else {
		b = append(b, `,"archived":false`...)
	}
	if dated {
		b = append(b, `,"url":"https://app.hubspot.com/contacts/`...)
		b = strconv.AppendInt(b, v.ds.portalID, 10)
		b = append(b, "/record/"...)
		b = append(b, v.ds.typeID(t)...)
		b = append(b, '/')
		b = strconv.AppendInt(b, v.ds.idOf(t, i), 10)
		b = append(b, '"')
	}
	return b
}

func appendPaging(b []byte, after, link string) []byte {
	b = append(b, `"paging":{"next":{"after":`...)
	b = appendStr(b, after)
	if link != "" {
		b = append(b, `,"link":`...)
		b = appendStr(b, link)
	}
	return append(b, `}}`...)
}

// GET /crm/v3/objects/{type} and /crm/objects/2026-09/{type} (whose paging
// has only next, as this one's always has).
func (s *Server) listObjects(r *http.Request, dated bool) *response {
	t, ok := s.ds.typeOf(r.PathValue("type"))
	if !ok {
		return s.badType(r.PathValue("type"))
	}
	q := r.URL.Query()
	limit, bad := s.queryLimit(r, 10, 100)
	if bad != nil {
		return bad
	}
	histNames := splitList(q["propertiesWithHistory"])
	if len(histNames) > 0 && limit > historyMax {
		// HubSpot reads fewer records with history; asked for more, it
		// refuses rather than silently answering a shorter page.
		return s.errorResp(http.StatusBadRequest, "VALIDATION_ERROR",
			"limit must be at most "+itoa(historyMax)+" when propertiesWithHistory is given, got "+itoa(limit),
			[]errorDetail{{Message: "must be less than or equal to " + itoa(historyMax), In: "limit", Code: "TOO_LARGE"}})
	}
	var after int64
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return s.badRequest("Unable to parse value for query parameter: after")
		}
		after = n
	}
	var assoc []int
	for _, name := range splitList(q["associations"]) {
		u, ok := s.ds.typeOf(name)
		if !ok {
			return s.badType(name)
		}
		if !slices.Contains(assoc, u) {
			assoc = append(assoc, u)
		}
	}
	archived := q.Get("archived") == "true"
	props := s.selectProps(t, splitList(q["properties"]))
	hist := s.historyProps(t, histNames)
	v := s.view()
	n := v.st.recs[t].n()
	b := make([]byte, 0, limit*(256+48*len(props)))
	b = append(b, `{"results":[`...)
	count := 0
	var bufs [2][]int32
	sc := &scratch{}
	i := s.ds.firstAtOrAfter(t, after, n)
	for ; i < n; i++ {
		if v.active(t, i) == archived {
			continue
		}
		if count == limit {
			break
		}
		if count > 0 {
			b = append(b, ',')
		}
		count++
		b = v.appendRecord(b, sc, t, i, props, dated)
		if len(histNames) > 0 {
			b = v.appendHistory(b, sc, t, i, hist)
		}
		if len(assoc) > 0 && !archived {
			b = v.appendInline(b, r, t, i, assoc, &bufs)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if i < n {
		next := strconv.FormatInt(s.ds.idOf(t, i), 10)
		b = append(b, ',')
		b = appendPaging(b, next, nextLink(r, next))
	}
	b = append(b, '}')
	return &response{status: http.StatusOK, body: b}
}

type batchReadBody struct {
	Inputs []struct {
		ID json.RawMessage `json:"id"`
	} `json:"inputs"`
	Properties            []string `json:"properties"`
	PropertiesWithHistory []string `json:"propertiesWithHistory"`
}

// rawID accepts an id sent as a JSON string or number.
func rawID(m json.RawMessage) string {
	var s string
	if json.Unmarshal(m, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(m))
}

// POST /crm/v3/objects/{type}/batch/read and /crm/objects/2026-09/{type}/batch/read
func (s *Server) batchRead(r *http.Request, dated bool) *response {
	t, ok := s.ds.typeOf(r.PathValue("type"))
	if !ok {
		return s.badType(r.PathValue("type"))
	}
	raw, err := readBody(r)
	var body batchReadBody
	if err != nil || json.Unmarshal(raw, &body) != nil {
		return s.badRequest("Invalid input JSON: the body must be {\"inputs\":[{\"id\":\"...\"}],\"properties\":[...]}")
	}
	if len(body.Inputs) > 100 {
		return s.badRequest("Batch input size of " + itoa(len(body.Inputs)) + " exceeds the limit of 100")
	}
	withHistory := len(body.PropertiesWithHistory) > 0
	if withHistory && len(body.Inputs) > historyMax {
		return s.badRequest("Batch input size of " + itoa(len(body.Inputs)) + " exceeds the limit of " + itoa(historyMax) + " with propertiesWithHistory")
	}
	archived := r.URL.Query().Get("archived") == "true"
	props := s.selectProps(t, body.Properties)
	hist := s.historyProps(t, body.PropertiesWithHistory)
	v := s.view()
	started := s.clk.Now()
	b := append(make([]byte, 0, 32*1024), `{"status":"COMPLETE","results":[`...)
	var missing []string
	seen := map[int]bool{}
	sc := &scratch{}
	for _, in := range body.Inputs {
		id := rawID(in.ID)
		i, ok := v.lookup(t, id)
		if !ok || v.active(t, i) == archived {
			missing = append(missing, id)
			continue
		}
		if seen[i] {
			continue
		}
		if len(seen) > 0 {
			b = append(b, ',')
		}
		seen[i] = true
		b = v.appendRecord(b, sc, t, i, props, dated)
		if withHistory {
			b = v.appendHistory(b, sc, t, i, hist)
		}
		b = append(b, '}')
	}
	var errs []errorBody
	if len(missing) > 0 {
		errs = []errorBody{{
			Status:        "error",
			Category:      "OBJECT_NOT_FOUND",
			Message:       "Could not get some " + strings.ToUpper(objTypes[t].singular) + " objects, they may be deleted or not exist. Check that ids are valid.",
			CorrelationID: s.newID(),
			Context:       map[string][]string{"ids": missing},
		}}
	}
	return s.finishBatch(b, errs, started)
}

// finishBatch closes the results of a batch answer and adds its tail: the
// per-input errors, which make the status 207, and the timings.
func (s *Server) finishBatch(b []byte, errs []errorBody, started time.Time) *response {
	b = append(b, ']')
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusMultiStatus
		eb, _ := json.Marshal(errs)
		b = append(b, `,"numErrors":`...)
		b = strconv.AppendInt(b, int64(len(errs)), 10)
		b = append(b, `,"errors":`...)
		b = append(b, eb...)
	}
	b = append(b, `,"startedAt":`...)
	b = appendISO(b, ms(started))
	b = append(b, `,"completedAt":`...)
	b = appendISO(b, ms(s.clk.Now()))
	return &response{status: status, body: append(b, '}')}
}
