package fakehub

import (
	"strconv"
	"time"
)

// Property history (propertiesWithHistory): each property's values over
// time, newest first as HubSpot sends them. It is derived from its own
// seeded hashes, never from the generators' streams, so serving history
// leaves every generated value as it was. Most properties have one entry,
// the current value, set when the record was created; some had 1–4 earlier
// values between the record's creation and its (generated) last update;
// each Modify of a record adds the mutable property's new value and the
// last-modified date's, at the edit's time.

// historyMax is the most records one request reads with history: a list
// page and a batch read both (HubSpot's description: propertiesWithHistory
// "will reduce the maximum number of objects that can be read by a single
// request"; ../shared/hubspot-api.md: 50 a list page).
const historyMax = 50

// historySources are HubSpot's source types of a change.
var historySources = []string{"CRM_UI", "IMPORT", "API", "INTEGRATION", "CALCULATED"}

var integrationLabels = []string{"Salesforce", "Zapier", "Mailchimp", "Gmail"}

// HistoryEntry is one value a property had: since when, and from which
// source.
type HistoryEntry struct {
	Value           string
	Timestamp       time.Time
	SourceType      string
	SourceID        string
	SourceLabel     string
	UpdatedByUserID int64 // 0: none
}

type histEntry struct {
	value                             string
	at                                int64 // ms
	sourceType, sourceID, sourceLabel string
	userID                            int64
}

// describe points sc at record i of type t.
func (v view) describe(sc *scratch, t, i int) {
	if !sc.valid || sc.g.ds != v.ds || sc.g.t != t || sc.g.idx != i {
		sc.g = gctx{ds: v.ds, t: t, idx: i, id: v.ds.idOf(t, i), created: v.st.recs[t].created[i]}
		sc.valid = true
	}
}

// source is who set entry j of property salt of record i: a user in the
// CRM, an import, an integration, the API or a calculation.
func (v view) source(t, i int, salt uint64, j int) histEntry {
	r := newRNG(uint64(v.ds.seed), uint64(t), uint64(i), salt, uint64(j), 0x5ce)
	e := histEntry{sourceType: pick(&r, historySources)}
	switch e.sourceType {
	case "CRM_UI":
		v.byUser(&e, &r)
	case "IMPORT":
		n := 1000 + r.intn(9000)
		e.sourceID, e.sourceLabel = "import-"+strconv.Itoa(n), "Import "+strconv.Itoa(n)
	case "INTEGRATION":
		e.sourceID = strconv.Itoa(100000 + r.intn(900000))
		if r.chance(0.7) {
			e.sourceLabel = pick(&r, integrationLabels)
		}
	case "API":
		if r.chance(0.5) {
			e.sourceID = "private-app-" + strconv.Itoa(1000+r.intn(9000))
		}
	}
	return e
}

// byUser makes e a change by one of the portal's users.
func (v view) byUser(e *histEntry, r *rng) {
	e.sourceType = "CRM_UI"
	if len(v.ds.owners) == 0 {
		return
	}
	o := v.ds.owners[r.intn(len(v.ds.owners))]
	e.userID = o.userID
	e.sourceID = "userId:" + strconv.FormatInt(o.userID, 10)
}

// history is property p of record i of type t over time, newest first;
// nil for a property that never had a value.
func (v view) history(sc *scratch, t, i int, p *propDef) []histEntry {
	v.describe(sc, t, i)
	rs := v.st.recs[t]
	created := rs.created[i]
	base, edited := rs.base[int32(i)]
	if !edited {
		base = rs.updated[i]
	}
	at := func(e histEntry, value string, ms int64) histEntry {
		e.value, e.at = value, ms
		return e
	}
	var out []histEntry // oldest first, reversed at the end
	switch p.special {
	case spID:
		out = append(out, at(v.source(t, i, p.salt, 0), strconv.FormatInt(sc.g.id, 10), created))
	case spCreated:
		out = append(out, at(v.source(t, i, p.salt, 0), isoMillis(created), created))
	case spUpdated:
		out = append(out, at(histEntry{sourceType: "CALCULATED"}, isoMillis(base), base))
		for _, e := range rs.edits[int32(i)] {
			out = append(out, at(histEntry{sourceType: "CALCULATED"}, isoMillis(e), e))
		}
	default:
		cur, ok := v.generated(sc, p, 0)
		if !ok {
			break
		}
		// Earlier values: only for generated records whose last update
		// leaves room for them, each strictly after the one before.
		r := newRNG(uint64(v.ds.seed), uint64(t), uint64(i), p.salt, 0x4157)
		earlier := 0
		if i < v.ds.generated[t] && base-created >= 10 && r.chance(0.12) {
			earlier = 1 + r.intn(4)
		}
		step := (base - created) / int64(earlier+1)
		for j := 0; j < earlier; j++ {
			// A generator that often gives no value (a sparse property)
			// is asked again: an earlier value is mostly a real one, and
			// "" (a value cleared) only when it keeps giving none.
			var old string
			for try := uint64(0); try < 4; try++ {
				sc.r = sc.g.rng(hash(p.salt, 0xe1, uint64(j), try))
				if s, ok := p.gen(&sc.g, &sc.r); ok {
					old = s
					break
				}
			}
			out = append(out, at(v.source(t, i, p.salt, j), old, created+int64(j)*step))
		}
		out = append(out, at(v.source(t, i, p.salt, earlier), cur, created+int64(earlier)*step))
	}
	if p.mutable {
		for k, e := range rs.edits[int32(i)] {
			val, _ := v.generated(sc, p, uint32(k+1))
			ent := histEntry{}
			r := newRNG(uint64(v.ds.seed), uint64(t), uint64(i), uint64(k), 0xed)
			v.byUser(&ent, &r)
			out = append(out, at(ent, val, e))
		}
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// historyProps resolves the names asked for with history, as selectProps
// does without adding the ones HubSpot always returns. Callers hold s.mu.
func (s *Server) historyProps(t int, names []string) []*propDef {
	var out []*propDef
	seen := map[string]bool{}
	for _, n := range names {
		p := s.ds.schemas[t].byName[n]
		if p == nil || seen[n] || (p.sensitivity != "" && s.sensDeny[sensKey{t, p.sensitivity}]) {
			continue
		}
		seen[n] = true
		out = append(out, p)
	}
	return out
}

// appendHistory adds a record's "propertiesWithHistory" (its object still
// open, as appendRecord leaves it).
func (v view) appendHistory(b []byte, sc *scratch, t, i int, props []*propDef) []byte {
	b = append(b, `,"propertiesWithHistory":{`...)
	first := true
	for _, p := range props {
		h := v.history(sc, t, i, p)
		if len(h) == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendKey(b, p.name)
		b = append(b, '[')
		for k, e := range h {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"value":`...)
			b = appendStr(b, e.value)
			b = append(b, `,"timestamp":`...)
			b = appendISO(b, e.at)
			b = append(b, `,"sourceType":`...)
			b = appendStr(b, e.sourceType)
			if e.sourceID != "" {
				b = append(b, `,"sourceId":`...)
				b = appendStr(b, e.sourceID)
			}
			if e.sourceLabel != "" {
				b = append(b, `,"sourceLabel":`...)
				b = appendStr(b, e.sourceLabel)
			}
			if e.userID != 0 {
				b = append(b, `,"updatedByUserId":`...)
				b = strconv.AppendInt(b, e.userID, 10)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// History is every property's history of one record, newest first, by
// property name (properties that never had a value are absent); nil for an
// unknown record.
func (tr *Truth) History(objectType, id string) map[string][]HistoryEntry {
	t := tr.v.ds.typeByName(objectType)
	if t < 0 {
		return nil
	}
	i, ok := tr.v.lookup(t, id)
	if !ok {
		return nil
	}
	out := map[string][]HistoryEntry{}
	sc := &scratch{}
	for _, p := range tr.v.ds.schemas[t].props {
		for _, e := range tr.v.history(sc, t, i, p) {
			out[p.name] = append(out[p.name], HistoryEntry{Value: e.value, Timestamp: time.UnixMilli(e.at).UTC(),
				SourceType: e.sourceType, SourceID: e.sourceID, SourceLabel: e.sourceLabel, UpdatedByUserID: e.userID})
		}
	}
	return out
}
