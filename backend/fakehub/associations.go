package fakehub

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Association reads: the collections inline in a list page, the v4 batch
// read, and the v4 per-record read that inline paging links point to.

// appendInline writes a record's "associations" member: per requested type,
// the first InlineAssociationLimit associated records (counted by id; a
// primary pair appears twice, once per type, as HubSpot sends it) and a
// cursor inside the collection when there are more. A type with no
// associated records is left out.
func (v view) appendInline(b []byte, r *http.Request, t, i int, assoc []int, bufs *[2][]int32) []byte {
	opened := false
	for _, u := range assoc {
		ri, dir, ok := v.ds.findRelation(t, u)
		if !ok {
			continue
		}
		ps := v.partners(ri, dir, i, bufs[0])
		bufs[0] = ps
		if len(ps) == 0 {
			continue
		}
		if !opened {
			b = append(b, `,"associations":{`...)
			opened = true
		} else {
			b = append(b, ',')
		}
		b = appendKey(b, v.ds.name(u))
		b = append(b, `{"results":[`...)
		kind := v.ds.relations[ri].kinds[dir]
		for k, j := range ps[:min(len(ps), v.ds.inlineLimit)] {
			if k > 0 {
				b = append(b, ',')
			}
			id := v.ds.idOf(u, int(j))
			if kind.primaryID != 0 {
				if v.pairPrimary(ri, dir, i, int(j), ps, &bufs[1]) {
					b = appendInlineEntry(b, id, kind.v3)
					b = append(b, ',')
				}
				b = appendInlineEntry(b, id, kind.v3+"_unlabeled")
			} else {
				b = appendInlineEntry(b, id, kind.v3)
			}
		}
		b = append(b, ']')
		if len(ps) > v.ds.inlineLimit {
			after := cursor("assoc:", v.ds.inlineLimit)
			link := "http://" + r.Host + "/crm/v4/objects/" + v.ds.name(t) + "/" +
				strconv.FormatInt(v.ds.idOf(t, i), 10) + "/associations/" + v.ds.name(u) + "?after=" + after
			b = append(b, ',')
			b = appendPaging(b, after, link)
		}
		b = append(b, '}')
	}
	if opened {
		b = append(b, '}')
	}
	return b
}

func appendInlineEntry(b []byte, id int64, typ string) []byte {
	b = append(b, `{"id":`...)
	b = appendIDStr(b, id)
	b = append(b, `,"type":`...)
	b = appendStr(b, typ)
	return append(b, '}')
}

// pairPrimary reports whether the pair (i along dir, j) is its a-side
// record's primary association: that record's lowest-id live partner. ps
// are i's partners along dir.
func (v view) pairPrimary(ri, dir, i, j int, ps []int32, buf *[]int32) bool {
	if dir == 0 {
		return int(ps[0]) == j
	}
	*buf = v.partners(ri, 0, j, *buf)
	return len(*buf) > 0 && int((*buf)[0]) == i
}

// appendV4To writes one v4 "to" entry with every association type of the
// pair: the unlabeled type, "Primary" where it applies, and the
// USER_DEFINED label on some pairs.
//
// toObjectId is a JSON number in v4 answers (as HubSpot's v4 answers send
// it, whatever the description says) and a JSON string in 2026-09 ones.
func (v view) appendV4To(b []byte, ri, dir, i, j int, ps []int32, buf *[]int32, dated bool) []byte {
	rel := v.ds.relations[ri]
	_, to := rel.ends(dir)
	kind := rel.kinds[dir]
	b = append(b, `{"toObjectId":`...)
	if dated {
		b = appendIDStr(b, v.ds.idOf(to, j))
	} else {
		b = strconv.AppendInt(b, v.ds.idOf(to, j), 10)
	}
	b = append(b, `,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":`...)
	b = strconv.AppendInt(b, int64(kind.typeID), 10)
	b = append(b, `,"label":null}`...)
	if kind.primaryID != 0 && v.pairPrimary(ri, dir, i, j, ps, buf) {
		b = append(b, `,{"category":"HUBSPOT_DEFINED","typeId":`...)
		b = strconv.AppendInt(b, int64(kind.primaryID), 10)
		b = append(b, `,"label":"Primary"}`...)
	}
	ia, ib := i, j
	if dir == 1 {
		ia, ib = j, i
	}
	if kind.userID != 0 && v.userLabelled(ri, ia, ib) {
		b = append(b, `,{"category":"USER_DEFINED","typeId":`...)
		b = strconv.AppendInt(b, int64(kind.userID), 10)
		b = append(b, `,"label":`...)
		b = appendStr(b, kind.userLabel)
		b = append(b, '}')
	}
	return append(b, `]}`...)
}

type v4Input struct {
	ID    json.RawMessage `json:"id"`
	After string          `json:"after"`
}

// pathTypes resolves the object types named by path values.
func (s *Server) pathTypes(r *http.Request, keys ...string) ([]int, *response) {
	out := make([]int, len(keys))
	for i, k := range keys {
		t, ok := s.ds.typeOf(r.PathValue(k))
		if !ok {
			return nil, s.badType(r.PathValue(k))
		}
		out[i] = t
	}
	return out, nil
}

// POST /crm/v4/associations/{fromType}/{toType}/batch/read and
// /crm/associations/2026-09/{fromType}/{toType}/batch/read: the same
// associations, the date-based answer in its own shape (toObjectId a
// string, paging without the deprecated link, present only when there are
// more pages, as in both).
func (s *Server) associationsBatchRead(r *http.Request, dated bool) *response {
	types, bad := s.pathTypes(r, "fromType", "toType")
	if bad != nil {
		return bad
	}
	from, to := types[0], types[1]
	raw, err := readBody(r)
	var body struct {
		Inputs []v4Input `json:"inputs"`
	}
	if err != nil || json.Unmarshal(raw, &body) != nil {
		return s.badRequest("Invalid input JSON: the body must be {\"inputs\":[{\"id\":\"...\"}]}")
	}
	if len(body.Inputs) > 1000 {
		return s.badRequest("Batch input size of " + itoa(len(body.Inputs)) + " exceeds the limit of 1000")
	}
	ri, dir, related := s.ds.findRelation(from, to)
	v := s.view()
	started := s.clk.Now()
	b := append(make([]byte, 0, 64*1024), `{"status":"COMPLETE","results":[`...)
	var errs []errorBody
	var ps, buf []int32
	first := true
	for _, in := range body.Inputs {
		id := rawID(in.ID)
		start, ok := 0, true
		if in.After != "" {
			if start, ok = uncursor("assoc:", in.After); !ok {
				return s.badRequest("Invalid after cursor for id " + id + ": " + in.After)
			}
		}
		ps = ps[:0]
		if i, found := v.lookup(from, id); found && related {
			ps = v.partners(ri, dir, i, ps)
			if start < len(ps) {
				if !first {
					b = append(b, ',')
				}
				first = false
				b = v.appendV4Result(b, r, ri, dir, i, id, ps, start, &buf, dated)
				continue
			}
		}
		errs = append(errs, errorBody{
			Status: "error", Category: "OBJECT_NOT_FOUND", SubCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
			Message:       "No " + objTypes[to].singular + " is associated with " + objTypes[from].singular + " " + id + ".",
			CorrelationID: s.newID(),
			Context:       map[string][]string{"fromObjectId": {id}, "fromObjectType": {objTypes[from].singular}, "toObjectType": {objTypes[to].singular}},
		})
	}
	return s.finishBatch(b, errs, started)
}

func (v view) appendV4Result(b []byte, r *http.Request, ri, dir, i int, id string, ps []int32, start int, buf *[]int32, dated bool) []byte {
	b = append(b, `{"from":{"id":`...)
	b = appendStr(b, id)
	b = append(b, `},"to":[`...)
	end := min(start+v.ds.v4Page, len(ps))
	for k := start; k < end; k++ {
		if k > start {
			b = append(b, ',')
		}
		b = v.appendV4To(b, ri, dir, i, int(ps[k]), ps, buf, dated)
	}
	b = append(b, ']')
	if end < len(ps) {
		rel := v.ds.relations[ri]
		from, to := rel.ends(dir)
		after := cursor("assoc:", end)
		link := "http://" + r.Host + "/crm/v4/objects/" + v.ds.name(from) + "/" + id + "/associations/" + v.ds.name(to) + "?after=" + after
		if dated {
			link = ""
		}
		b = append(b, ',')
		b = appendPaging(b, after, link)
	}
	return append(b, '}')
}

// GET /crm/v4/objects/{type}/{id}/associations/{toType}: one record's
// associations, 500 at most per page (the per-record call to avoid).
func (s *Server) v4RecordAssociations(r *http.Request) *response {
	types, bad := s.pathTypes(r, "type", "toType")
	if bad != nil {
		return bad
	}
	from, to := types[0], types[1]
	limit, bad := s.queryLimit(r, 500, 500)
	if bad != nil {
		return bad
	}
	start, bad := s.afterCursor(r, "assoc:")
	if bad != nil {
		return bad
	}
	v := s.view()
	var ps, buf []int32
	ri, dir, related := s.ds.findRelation(from, to)
	i, found := v.lookup(from, r.PathValue("id"))
	if found && related {
		ps = v.partners(ri, dir, i, nil)
	}
	b := append(make([]byte, 0, 16*1024), `{"results":[`...)
	end := min(start+limit, len(ps))
	for k := start; k < end; k++ {
		if k > start {
			b = append(b, ',')
		}
		b = v.appendV4To(b, ri, dir, i, int(ps[k]), ps, &buf, false)
	}
	b = append(b, ']')
	if end < len(ps) {
		after := cursor("assoc:", end)
		b = append(b, ',')
		b = appendPaging(b, after, nextLink(r, after))
	}
	return &response{status: http.StatusOK, body: append(b, '}')}
}
