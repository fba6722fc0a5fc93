package fakehub

import (
	"time"
)

// Edits made by tests (incremental runs): an overlay on the generated data.

// Modify marks records as changed at `at`: their updatedAt and last-modified
// property become at, and one property value (the type's mutable one, e.g.
// jobtitle for contacts) changes. Unknown ids are ignored.
func (s *Server) Modify(objectType string, ids []string, at time.Time) {
	s.edit(objectType, ids, func(rs *recordSet, i int) {
		rs.keepBase(i)
		rs.updated[i] = ms(at)
		rs.version[int32(i)]++
		rs.edits[int32(i)] = append(rs.edits[int32(i)], ms(at))
	})
}

// Archive archives records at `at`: they leave the active list and search,
// appear in archived=true lists, and drop out of their partners'
// associations. Unknown ids are ignored.
func (s *Server) Archive(objectType string, ids []string, at time.Time) {
	s.edit(objectType, ids, func(rs *recordSet, i int) {
		rs.keepBase(i)
		rs.archived[i] = max(ms(at), 1)
		rs.updated[i] = ms(at)
	})
}

// keepBase remembers record i's generated updatedAt before its first edit.
func (rs *recordSet) keepBase(i int) {
	if _, ok := rs.base[int32(i)]; !ok {
		rs.base[int32(i)] = rs.updated[i]
	}
}

func (s *Server) edit(objectType string, ids []string, f func(rs *recordSet, i int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.ds.typeByName(objectType)
	if t < 0 {
		return
	}
	v := s.view()
	for _, id := range ids {
		if i, ok := v.lookup(t, id); ok {
			f(s.st.recs[t], i)
		}
	}
}

// AddRecords creates n records of a type, created and modified at `at`, and
// returns their ids (higher than every existing id, as HubSpot's grow). Each
// new record is associated with one existing record per relation it picks
// partners in (most of the time), e.g. a new contact with a company.
func (s *Server) AddRecords(objectType string, n int, at time.Time) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.ds.typeByName(objectType)
	if t < 0 || n <= 0 {
		return nil
	}
	rs := s.st.recs[t]
	first := rs.n()
	ids := make([]string, n)
	for k := 0; k < n; k++ {
		i := first + k
		rs.created = append(rs.created, ms(at))
		rs.updated = append(rs.updated, ms(at))
		rs.archived = append(rs.archived, 0)
		ids[k] = itoa64(s.ds.idOf(t, i))
		for ri, rel := range s.ds.relations {
			if rel.a != t {
				continue
			}
			r := newRNG(uint64(s.ds.seed), uint64(ri), uint64(i), 0xad)
			nb := s.st.recs[rel.b].n()
			if nb == 0 || !rel.must && r.chance(0.3) {
				continue
			}
			for try := 0; try < 8; try++ {
				if j := r.intn(nb); s.st.recs[rel.b].archived[j] == 0 {
					s.st.link(ri, int32(i), int32(j))
					break
				}
			}
		}
	}
	return ids
}

// AddEmailEvents creates n marketing email events at `at` (moved up to the
// newest event's time if earlier: events keep their order) and returns
// their ids.
func (s *Server) AddEmailEvents(n int, at time.Time) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	created := ms(at)
	if k := len(s.st.events); k > 0 {
		created = max(created, s.st.events[k-1])
	}
	ids := make([]string, 0, n)
	for k := 0; k < n; k++ {
		ids = append(ids, s.ds.eventID(len(s.st.events)))
		s.st.events = append(s.st.events, created)
	}
	return ids
}
