package fakehub

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// dataset is everything generated once from the seed and never changed:
// schemas, owners, pipelines, forms, email events and the generated
// association graph. Record properties are not stored: record i of a type
// is rebuilt from (seed, type, i) whenever it is served.
type dataset struct {
	seed         int64
	anchor       int64 // ms; the generated "now": nothing generated is later
	portalID     int64
	inlineLimit  int
	v4Page       int
	schemas      [numTypes]*typeSchema
	owners       []owner
	activeOwners []int // indexes into owners
	dealPipelines,
	ticketPipelines []pipeline
	forms     []form
	campaigns []int64
	relations []*relation
	generated [numTypes]int // records per type before any AddRecords
	// The custom type (custom.go): whether the portal has it now, its
	// objectTypeId and fullyQualifiedName, and when AddCustomProperty last
	// changed its schema (ms; 0 never). RemoveCustomType and
	// AddCustomProperty replace the server's dataset by a changed copy.
	custom              bool
	customID, customFQN string
	customUpdated       int64
}

// recordSet is the compact mutable state of one type: timestamps per record
// and the edits made through Modify, Archive and AddRecords.
type recordSet struct {
	created  []int64 // ms
	updated  []int64 // ms
	archived []int64 // archivedAt ms; 0 while active
	version  map[int32]uint32
	// edits are the times of each Modify of a record (version k's value
	// was set at edits[k-1]); base is a record's generated updatedAt,
	// kept at its first edit: the history before the edits hangs on it.
	edits map[int32][]int64
	base  map[int32]int64
}

func (rs *recordSet) n() int { return len(rs.created) }

func (rs *recordSet) clone() *recordSet {
	c := &recordSet{
		created:  append([]int64(nil), rs.created...),
		updated:  append([]int64(nil), rs.updated...),
		archived: append([]int64(nil), rs.archived...),
		version:  make(map[int32]uint32, len(rs.version)),
		edits:    make(map[int32][]int64, len(rs.edits)),
		base:     make(map[int32]int64, len(rs.base)),
	}
	for k, v := range rs.version {
		c.version[k] = v
	}
	for k, v := range rs.edits {
		c.edits[k] = slices.Clone(v)
	}
	for k, v := range rs.base {
		c.base[k] = v
	}
	return c
}

// state is the mutable overlay: record timestamps, the association pairs
// added with new records (extra[rel][dir]) and the email events (created ms
// of event i, nondecreasing; AddEmailEvents appends).
type state struct {
	recs   [numTypes]*recordSet
	extra  [][2]map[int32][]int32
	events []int64
}

func (st *state) clone() *state {
	c := &state{extra: make([][2]map[int32][]int32, len(st.extra)), events: slices.Clip(st.events)}
	for t, rs := range st.recs {
		c.recs[t] = rs.clone()
	}
	for i, dirs := range st.extra {
		for d, m := range dirs {
			cm := make(map[int32][]int32, len(m))
			for k, v := range m {
				cm[k] = append([]int32(nil), v...)
			}
			c.extra[i][d] = cm
		}
	}
	return c
}

// view pairs the immutable dataset with one state: the server's live one
// (read under its lock) or a Truth snapshot.
type view struct {
	ds *dataset
	st *state
}

func idMult(t int) int64 {
	if sharedEngagementID(t) {
		return 5
	}
	return 1
}

func (ds *dataset) jitter(t, i int) int64 {
	step := objTypes[t].step
	if step <= 1 {
		return 0
	}
	return int64(hash(uint64(ds.seed), uint64(t), uint64(i), 0x1d) % uint64(step))
}

// idOf is record i's id: increasing with i, gaps like a real portal's.
func (ds *dataset) idOf(t, i int) int64 {
	o := &objTypes[t]
	return o.base + (int64(i)*o.step+ds.jitter(t, i))*idMult(t)
}

// indexOf inverts idOf; it does not check that the record exists.
func (ds *dataset) indexOf(t int, id int64) (int, bool) {
	o := &objTypes[t]
	x := id - o.base
	m := idMult(t)
	if x < 0 || x%m != 0 {
		return 0, false
	}
	q := x / m
	i := q / o.step
	if i > int64(^uint32(0)>>1) || q%o.step != ds.jitter(t, int(i)) {
		return 0, false
	}
	return int(i), true
}

// lookup parses an id string into an existing record's index.
func (v view) lookup(t int, id string) (int, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, false
	}
	i, ok := v.ds.indexOf(t, n)
	if !ok || i >= v.st.recs[t].n() {
		return 0, false
	}
	return i, true
}

func (v view) active(t, i int) bool { return v.st.recs[t].archived[i] == 0 }

// firstAtOrAfter is the first index whose id is >= id (ids grow with i).
func (ds *dataset) firstAtOrAfter(t int, id int64, n int) int {
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if ds.idOf(t, mid) < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// generateRecords builds a type's timestamps: scale active records plus
// about 2% archived ones spread through the id range.
//
// With growth, create dates crowd toward now: the even date at fraction x
// of the span moves to f(x) = (x + 3√x)/4, so the last months hold 1.6
// times the average and the first ones a small fraction of it.
func (ds *dataset) generateRecords(t, scale int, growth bool) *recordSet {
	archivedN := 0
	if scale > 0 {
		archivedN = max(1, scale/50)
	}
	n := scale + archivedN
	rs := &recordSet{
		created:  make([]int64, n),
		updated:  make([]int64, n),
		archived: make([]int64, n),
		version:  map[int32]uint32{},
		edits:    map[int32][]int64{},
		base:     map[int32]int64{},
	}
	span := int64(3 * 365 * dayMs)
	if isEngagement(t) {
		span = 2 * 365 * dayMs
	}
	start := ds.anchor - span
	w := max(span/int64(max(n, 1)), 1)
	bulk := ds.anchor - 20*dayMs - int64(t)*7*60*1000 // a shared bulk-import instant
	seed := uint64(ds.seed)
	for i := 0; i < n; i++ {
		r := newRNG(seed, uint64(t), uint64(i), 0x71)
		c := start + int64(i)*w + int64(r.intn(int(w)))
		if growth {
			x := float64(c-start) / float64(span)
			c = start + int64((x+3*math.Sqrt(x))/4*float64(span))
		}
		u := c
		switch p := r.float(); {
		case p < 0.3: // never edited
		case p < 0.34:
			u = max(bulk, c)
		default:
			f := r.float()
			u = c + int64((1-f*f)*float64(ds.anchor-c))
		}
		rs.created[i], rs.updated[i] = c, u
	}
	for k := 0; k < archivedN; k++ {
		lo, hi := k*n/archivedN, (k+1)*n/archivedN
		r := newRNG(seed, uint64(t), uint64(k), 0xa7)
		i := lo + r.intn(hi-lo)
		at := rs.updated[i] + int64(r.float()*float64(ds.anchor-rs.updated[i]))
		rs.archived[i], rs.updated[i] = at, at
	}
	return rs
}

// gctx is what a property generator knows about its record.
type gctx struct {
	ds      *dataset
	t, idx  int
	id      int64
	created int64
}

func (g *gctx) rng(salt uint64) rng {
	return newRNG(uint64(g.ds.seed), uint64(g.t), uint64(g.idx), salt)
}

// scratch holds a generator's context and stream: generators are called
// through func values, so these would otherwise be allocated per value.
type scratch struct {
	g     gctx
	r     rng
	valid bool // g describes the record of the previous call
}

// value is property p of record i of type t.
func (v view) value(t, i int, p *propDef) (string, bool) {
	return v.valueWith(&scratch{}, t, i, p)
}

// valueWith is value reusing sc, for loops over many values.
func (v view) valueWith(sc *scratch, t, i int, p *propDef) (string, bool) {
	rs := v.st.recs[t]
	if !sc.valid || sc.g.ds != v.ds || sc.g.t != t || sc.g.idx != i {
		sc.g = gctx{ds: v.ds, t: t, idx: i, id: v.ds.idOf(t, i), created: rs.created[i]}
		sc.valid = true
	}
	id := sc.g.id
	switch p.special {
	case spID:
		return strconv.FormatInt(id, 10), true
	case spCreated:
		return isoMillis(rs.created[i]), true
	case spUpdated:
		return isoMillis(rs.updated[i]), true
	}
	var ver uint32
	if p.mutable {
		ver = rs.version[int32(i)]
	}
	return v.generated(sc, p, ver)
}

// generated is the value a generated property has at version ver of its
// record (sc describes the record).
func (v view) generated(sc *scratch, p *propDef, ver uint32) (string, bool) {
	salt := p.salt
	if p.mutable {
		salt = hash(salt, uint64(ver))
	}
	sc.r = sc.g.rng(salt)
	s, ok := p.gen(&sc.g, &sc.r)
	if ver > 0 { // an edit always changes the value, even from null
		s += " (edited " + strconv.Itoa(int(ver)) + ")"
		ok = true
	}
	return s, ok
}

func ms(t time.Time) int64 { return t.UnixMilli() }
