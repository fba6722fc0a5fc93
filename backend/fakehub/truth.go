package fakehub

import (
	"strconv"
	"time"
)

// Truth is the ground truth of a fake portal at the moment Truth() was
// called: what a complete extraction must contain. It is a snapshot; later
// edits to the server do not change it.
type Truth struct{ v view }

// Truth snapshots the current data.
func (s *Server) Truth() *Truth {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &Truth{v: view{ds: s.ds, st: s.st.clone()}}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// Types lists the CRM object and engagement types, and the custom type
// (by its fullyQualifiedName) last while the portal has it.
func (tr *Truth) Types() []string {
	out := make([]string, 0, numTypes)
	for t := range objTypes {
		if t != tProjects || tr.v.ds.custom {
			out = append(out, tr.v.ds.name(t))
		}
	}
	return out
}

// IDs lists the active (or archived) record ids of a type, numerically sorted.
func (tr *Truth) IDs(objectType string, archived bool) []string {
	t := tr.v.ds.typeByName(objectType)
	if t < 0 {
		return nil
	}
	var out []string
	for i, n := 0, tr.v.st.recs[t].n(); i < n; i++ {
		if tr.v.active(t, i) != archived {
			out = append(out, itoa64(tr.v.ds.idOf(t, i)))
		}
	}
	return out
}

// Record is one record: every property (nil for null), its timestamps and
// whether it is archived.
func (tr *Truth) Record(objectType, id string) (props map[string]*string, createdAt, updatedAt time.Time, archived bool, ok bool) {
	t := tr.v.ds.typeByName(objectType)
	if t < 0 {
		return nil, time.Time{}, time.Time{}, false, false
	}
	i, found := tr.v.lookup(t, id)
	if !found {
		return nil, time.Time{}, time.Time{}, false, false
	}
	props = map[string]*string{}
	for _, p := range tr.v.ds.schemas[t].props {
		if val, has := tr.v.value(t, i, p); has {
			props[p.name] = &val
		} else {
			props[p.name] = nil
		}
	}
	rs := tr.v.st.recs[t]
	return props, time.UnixMilli(rs.created[i]).UTC(), time.UnixMilli(rs.updated[i]).UTC(), rs.archived[i] != 0, true
}

// Pairs lists every association between live records from fromType to
// toType as (from id, to id), deduplicated across labels and sorted.
// Pairs(a, b) is exactly Pairs(b, a) with each pair reversed.
func (tr *Truth) Pairs(fromType, toType string) [][2]string {
	from, to, ri, dir, ok := tr.relation(fromType, toType)
	if !ok {
		return nil
	}
	var out [][2]string
	var buf []int32
	for i, n := 0, tr.v.st.recs[from].n(); i < n; i++ {
		buf = tr.v.partners(ri, dir, i, buf)
		for _, j := range buf {
			out = append(out, [2]string{itoa64(tr.v.ds.idOf(from, i)), itoa64(tr.v.ds.idOf(to, int(j)))})
		}
	}
	return out
}

// relation resolves two type names and the relation between them.
func (tr *Truth) relation(fromType, toType string) (from, to, ri, dir int, ok bool) {
	from, to = tr.v.ds.typeByName(fromType), tr.v.ds.typeByName(toType)
	if from < 0 || to < 0 {
		return 0, 0, 0, 0, false
	}
	ri, dir, ok = tr.v.ds.findRelation(from, to)
	return from, to, ri, dir, ok
}

// OverflowIDs lists the records whose association collection toward toType
// holds more than the inline page of a list call.
func (tr *Truth) OverflowIDs(fromType, toType string) []string {
	from, _, ri, dir, ok := tr.relation(fromType, toType)
	if !ok {
		return nil
	}
	var out []string
	var buf []int32
	for i, n := 0, tr.v.st.recs[from].n(); i < n; i++ {
		if buf = tr.v.partners(ri, dir, i, buf); len(buf) > tr.v.ds.inlineLimit {
			out = append(out, itoa64(tr.v.ds.idOf(from, i)))
		}
	}
	return out
}

// Properties lists a type's property names, sorted, of every sensitivity
// level: a complete extraction reads the sensitive ones too (PropertiesAt
// splits them by level).
func (tr *Truth) Properties(objectType string) []string {
	t := tr.v.ds.typeByName(objectType)
	if t < 0 {
		return nil
	}
	return tr.v.ds.schemas[t].names()
}

// Owners lists the active owners' ids (the ones records reference).
func (tr *Truth) Owners() []string {
	var out []string
	for _, i := range tr.v.ds.activeOwners {
		out = append(out, tr.v.ds.owners[i].id)
	}
	return out
}

// ArchivedOwners lists the deactivated owners' ids (listed with archived=true).
func (tr *Truth) ArchivedOwners() []string {
	var out []string
	for _, o := range tr.v.ds.owners {
		if o.archived {
			out = append(out, o.id)
		}
	}
	return out
}

// Forms lists the active forms' ids, of every type, in list order
// (formTypes=all).
func (tr *Truth) Forms() []string {
	out := []string{}
	for _, i := range tr.v.ds.listedForms([]string{formTypesAll}, false) {
		out = append(out, tr.v.ds.forms[i].id)
	}
	return out
}

// ArchivedForms lists the archived forms' ids, of every type, in list
// order (formTypes=all&archived=true).
func (tr *Truth) ArchivedForms() []string {
	out := []string{}
	for _, i := range tr.v.ds.listedForms([]string{formTypesAll}, true) {
		out = append(out, tr.v.ds.forms[i].id)
	}
	return out
}

// FormType is a form's type: hubspot, captured, flow or blog_comment (""
// for an unknown form). A blog_comment form's submissions answer 400.
func (tr *Truth) FormType(formID string) string {
	if i := tr.v.ds.formIndex(formID); i >= 0 {
		return tr.v.ds.forms[i].formType
	}
	return ""
}

// Submissions is a form's submission count (0 for an unknown form and a
// blog_comment form).
func (tr *Truth) Submissions(formID string) int {
	if i := tr.v.ds.formIndex(formID); i >= 0 {
		return tr.v.ds.forms[i].submissions
	}
	return 0
}

// EmailEventIDs lists the ids of the email events created within
// [start, end] (inclusive, to the millisecond), newest first as the API
// returns them.
func (tr *Truth) EmailEventIDs(start, end time.Time) []string {
	lo, hi := tr.v.eventRange(start.UnixMilli(), end.UnixMilli())
	out := make([]string, 0, hi-lo)
	for i := hi - 1; i >= lo; i-- {
		out = append(out, tr.v.ds.eventID(i))
	}
	return out
}

// PropertiesAt lists a type's property names of one sensitivity level
// ("non_sensitive" or "", "sensitive", "highly_sensitive"), sorted: what
// the properties list answers for that dataSensitivity. Properties lists
// every level.
func (tr *Truth) PropertiesAt(objectType, level string) []string {
	t := tr.v.ds.typeByName(objectType)
	if t < 0 {
		return nil
	}
	if level == "" {
		level = levelNon
	}
	out := []string{}
	for _, p := range tr.v.ds.schemas[t].props {
		if propLevel(p) == level {
			out = append(out, p.name)
		}
	}
	return out
}
