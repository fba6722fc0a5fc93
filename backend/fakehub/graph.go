package fakehub

import (
	"slices"
)

// The association graph: which record is associated with which, generated
// once as compact adjacency arrays (both directions) and filtered at read
// time so that archived records drop out of their partners' lists.

// assocKind names one direction of a relation the way HubSpot does.
type assocKind struct {
	v3        string // inline "type", e.g. contact_to_company
	typeID    int    // HUBSPOT_DEFINED unlabeled (or only) type
	primaryID int    // HUBSPOT_DEFINED "Primary" type; 0 when the relation has none
	userID    int    // USER_DEFINED labelled type on some pairs; 0 when none
	userLabel string
}

// csr is a compressed adjacency list: partners of i are to[off[i]:off[i+1]],
// sorted ascending.
type csr struct {
	off []int32
	to  []int32
}

func (c *csr) of(i int) []int32 {
	if i+1 >= len(c.off) {
		return nil
	}
	return c.to[c.off[i]:c.off[i+1]]
}

// relation links types a and b; a is the side whose records pick partners.
type relation struct {
	a, b int
	dist []float64 // chance of 0, 1, 2... partners per a record
	hubs bool      // 1 in 200 b records gets more partners than the inline page
	// build, when set, draws the relation's pairs instead of dist (it may
	// read the relations built before it).
	build func(ds *dataset, st *state, ri int) [][2]int32
	must  bool // every a record has a partner: AddRecords always links one
	kinds [2]assocKind
	adj   [2]csr // [0] a→b, [1] b→a
}

func (rel *relation) ends(dir int) (from, to int) {
	if dir == 0 {
		return rel.a, rel.b
	}
	return rel.b, rel.a
}

var engTypeIDs = [5][4][2]int{ // engagement × (contacts, companies, deals, tickets) × (eng→x, x→eng)
	{{194, 193}, {182, 181}, {206, 205}, {220, 219}}, // calls
	{{198, 197}, {186, 185}, {210, 209}, {224, 223}}, // emails
	{{200, 199}, {188, 187}, {212, 211}, {226, 225}}, // meetings
	{{202, 201}, {190, 189}, {214, 213}, {228, 227}}, // notes
	{{204, 203}, {192, 191}, {216, 215}, {230, 229}}, // tasks
}

func kindOf(from, to string, typeID, primaryID int) assocKind {
	return assocKind{v3: from + "_to_" + to, typeID: typeID, primaryID: primaryID}
}

// relationSpecs lists every relation with HubSpot's association type ids.
func relationSpecs() []*relation {
	ck := kindOf("contact", "company", 279, 1)
	ck.userID, ck.userLabel = 9, "Billing contact"
	kc := kindOf("company", "contact", 280, 2)
	kc.userID, kc.userLabel = 10, "Billing contact"
	dc := kindOf("deal", "contact", 3, 0)
	dc.userID, dc.userLabel = 11, "Decision maker"
	cd := kindOf("contact", "deal", 4, 0)
	cd.userID, cd.userLabel = 12, "Decision maker"
	rels := []*relation{
		{a: tContacts, b: tCompanies, dist: []float64{0.2, 0.7, 0.1}, hubs: true, kinds: [2]assocKind{ck, kc}},
		{a: tDeals, b: tContacts, dist: []float64{0.15, 0.5, 0.25, 0.1}, kinds: [2]assocKind{dc, cd}},
		{a: tDeals, b: tCompanies, dist: []float64{0.2, 0.8},
			kinds: [2]assocKind{kindOf("deal", "company", 341, 5), kindOf("company", "deal", 342, 6)}},
		{a: tTickets, b: tContacts, dist: []float64{0.1, 0.8, 0.1},
			kinds: [2]assocKind{kindOf("ticket", "contact", 16, 0), kindOf("contact", "ticket", 15, 0)}},
		{a: tTickets, b: tCompanies, dist: []float64{0.4, 0.6},
			kinds: [2]assocKind{kindOf("ticket", "company", 339, 26), kindOf("company", "ticket", 340, 25)}},
	}
	targets := []int{tContacts, tCompanies, tDeals, tTickets}
	dists := [][]float64{{0.15, 0.7, 0.15}, {0.5, 0.5}, {0.7, 0.3}, {0.85, 0.15}}
	for e := tCalls; e <= tTasks; e++ {
		for k, x := range targets {
			ids := engTypeIDs[e-tCalls][k]
			rels = append(rels, &relation{a: e, b: x, dist: dists[k], kinds: [2]assocKind{
				kindOf(objTypes[e].singular, objTypes[x].singular, ids[0], 0),
				kindOf(objTypes[x].singular, objTypes[e].singular, ids[1], 0),
			}})
		}
	}
	return append(rels, commerceRelations()...)
}

// commerceRelations are the relations of the types added after the first
// nine, listed after theirs so the first nine's pairs stay as they were.
// Association type ids are HubSpot's; contact_to_quote 70,
// company_to_quote 72, contact_to_lead 609 and company_to_lead 611 are
// guessed from HubSpot's pairing of consecutive ids (quote_to_contact 69,
// quote_to_company 71, lead_to_contact 608, lead_to_company 610), as is
// the contact side's "Primary" 579 of lead_to_primary_contact 578.
func commerceRelations() []*relation {
	lc := kindOf("lead", "contact", 608, 578)
	cl := kindOf("contact", "lead", 609, 579)
	rels := []*relation{
		{a: tLineItems, b: tDeals, build: lineItemDeals, must: true,
			kinds: [2]assocKind{kindOf("line_item", "deal", 20, 0), kindOf("deal", "line_item", 19, 0)}},
		{a: tQuotes, b: tDeals, dist: []float64{0, 1}, must: true,
			kinds: [2]assocKind{kindOf("quote", "deal", 64, 0), kindOf("deal", "quote", 63, 0)}},
		{a: tQuotes, b: tContacts, dist: []float64{0, 0.65, 0.35}, must: true,
			kinds: [2]assocKind{kindOf("quote", "contact", 69, 0), kindOf("contact", "quote", 70, 0)}},
		{a: tQuotes, b: tCompanies, dist: []float64{0, 1}, must: true,
			kinds: [2]assocKind{kindOf("quote", "company", 71, 0), kindOf("company", "quote", 72, 0)}},
		{a: tQuotes, b: tLineItems, build: quoteLineItems,
			kinds: [2]assocKind{kindOf("quote", "line_item", 67, 0), kindOf("line_item", "quote", 68, 0)}},
		{a: tLeads, b: tContacts, dist: []float64{0, 1}, must: true, kinds: [2]assocKind{lc, cl}},
		{a: tLeads, b: tCompanies, dist: []float64{0.15, 0.85},
			kinds: [2]assocKind{kindOf("lead", "company", 610, 0), kindOf("company", "lead", 611, 0)}},
	}
	targets := []int{tContacts, tCompanies, tDeals, tTickets}
	dists := [][]float64{{0.15, 0.7, 0.15}, {0.5, 0.5}, {0.7, 0.3}, {0.85, 0.15}}
	activityIDs := map[int][4][2]int{ // × (contacts, companies, deals, tickets) × (activity→x, x→activity)
		tCommunications: {{81, 82}, {87, 88}, {85, 86}, {83, 84}},
		tPostalMail:     {{453, 454}, {459, 460}, {457, 458}, {455, 456}},
	}
	for _, e := range []int{tCommunications, tPostalMail} {
		for k, x := range targets {
			ids := activityIDs[e][k]
			rels = append(rels, &relation{a: e, b: x, dist: dists[k], kinds: [2]assocKind{
				kindOf(objTypes[e].singular, objTypes[x].singular, ids[0], 0),
				kindOf(objTypes[x].singular, objTypes[e].singular, ids[1], 0),
			}})
		}
	}
	return rels
}

// maxLineItems is the most line items the generator gives one deal (when
// there are deals enough for them).
const maxLineItems = 6

// lineItemDeals puts each line item on exactly one deal, at most
// maxLineItems per deal while the deals have room.
func lineItemDeals(ds *dataset, st *state, ri int) [][2]int32 {
	na, nb := st.recs[tLineItems].n(), st.recs[tDeals].n()
	room := na <= nb*maxLineItems
	count := make([]int, nb)
	pairs := make([][2]int32, 0, na)
	for i := 0; i < na; i++ {
		r := newRNG(uint64(ds.seed), uint64(ri), uint64(i), 0x5a)
		j := r.intn(nb)
		for try := 0; (room && count[j] >= maxLineItems || st.recs[tDeals].archived[j] != 0) && try < 1000; try++ {
			j = r.intn(nb)
		}
		count[j]++
		pairs = append(pairs, [2]int32{int32(i), int32(j)})
	}
	return pairs
}

// quoteLineItems gives each quote the line items of its deal.
func quoteLineItems(ds *dataset, _ *state, _ int) [][2]int32 {
	qd, _, _ := ds.findRelation(tQuotes, tDeals)
	ld, _, _ := ds.findRelation(tLineItems, tDeals)
	var pairs [][2]int32
	quotes := ds.relations[qd].adj[0]
	dealItems := ds.relations[ld].adj[1]
	for q := 0; q+1 < len(quotes.off); q++ {
		for _, d := range quotes.of(q) {
			for _, li := range dealItems.of(int(d)) {
				pairs = append(pairs, [2]int32{int32(q), li})
			}
		}
	}
	return pairs
}

// buildGraph draws each relation's pairs among the generated records.
func (ds *dataset) buildGraph(st *state) {
	ds.relations = append(relationSpecs(), projectRelations(ds)...)
	st.extra = make([][2]map[int32][]int32, len(ds.relations))
	for ri, rel := range ds.relations {
		st.extra[ri] = [2]map[int32][]int32{{}, {}}
		na, nb := st.recs[rel.a].n(), st.recs[rel.b].n()
		if na == 0 || nb == 0 {
			rel.adj = [2]csr{{off: make([]int32, na+1)}, {off: make([]int32, nb+1)}}
			continue
		}
		var pairs [][2]int32
		if rel.build != nil {
			pairs = rel.build(ds, st, ri)
		}
		for i := 0; rel.build == nil && i < na; i++ {
			r := newRNG(uint64(ds.seed), uint64(ri), uint64(i), 0x5a)
			for k := drawCount(&r, rel.dist); k > 0; k-- {
				j := r.intn(nb)
				for try := 0; rel.must && st.recs[rel.b].archived[j] != 0 && try < 100; try++ {
					j = r.intn(nb) // a partner that stays: its records would go with it
				}
				pairs = append(pairs, [2]int32{int32(i), int32(j)})
			}
		}
		if rel.hubs {
			for j := 7; j < nb; j += 200 {
				r := newRNG(uint64(ds.seed), uint64(ri), uint64(j), 0x4b)
				for k := ds.inlineLimit + 10 + r.intn(150); k > 0; k-- {
					pairs = append(pairs, [2]int32{int32(r.intn(na)), int32(j)})
				}
			}
		}
		pairs = sortPairs(pairs)
		rel.adj[0] = buildCSR(pairs, na)
		for i := range pairs {
			pairs[i][0], pairs[i][1] = pairs[i][1], pairs[i][0]
		}
		rel.adj[1] = buildCSR(sortPairs(pairs), nb)
	}
}

func drawCount(r *rng, dist []float64) int {
	p := r.float()
	for k, q := range dist {
		if p < q {
			return k
		}
		p -= q
	}
	return len(dist) - 1
}

// sortPairs sorts pairs and drops duplicates; use its result, not pairs.
func sortPairs(pairs [][2]int32) [][2]int32 {
	slices.SortFunc(pairs, func(x, y [2]int32) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	})
	return slices.Compact(pairs)
}

// buildCSR indexes sorted, distinct pairs by their first element.
func buildCSR(pairs [][2]int32, n int) csr {
	c := csr{off: make([]int32, n+1), to: make([]int32, len(pairs))}
	for i, p := range pairs {
		c.off[p[0]+1]++
		c.to[i] = p[1]
	}
	for i := 1; i <= n; i++ {
		c.off[i] += c.off[i-1]
	}
	return c
}

// findRelation returns the relation between two types and the direction
// from → to, or ok=false when HubSpot would have none.
func (ds *dataset) findRelation(from, to int) (ri, dir int, ok bool) {
	for i, rel := range ds.relations {
		switch {
		case rel.a == from && rel.b == to:
			return i, 0, true
		case rel.b == from && rel.a == to:
			return i, 1, true
		}
	}
	return 0, 0, false
}

// partners lists the live partners of record i along relation ri in
// direction dir, ascending; an archived record has none.
func (v view) partners(ri, dir, i int, buf []int32) []int32 {
	rel := v.ds.relations[ri]
	from, to := rel.ends(dir)
	out := buf[:0]
	if !v.active(from, i) {
		return out
	}
	for _, j := range rel.adj[dir].of(i) {
		if v.active(to, int(j)) {
			out = append(out, j)
		}
	}
	for _, j := range v.st.extra[ri][dir][int32(i)] {
		if v.active(to, int(j)) {
			out = append(out, j)
		}
	}
	return out
}

// link adds a pair (a-side index ia, b-side index ib) for a new record.
func (st *state) link(ri int, ia, ib int32) {
	e := st.extra[ri]
	e[0][ia] = insertSorted(e[0][ia], ib)
	e[1][ib] = insertSorted(e[1][ib], ia)
}

func insertSorted(xs []int32, x int32) []int32 {
	i, found := slices.BinarySearch(xs, x)
	if found {
		return xs
	}
	return slices.Insert(xs, i, x)
}

// userLabelled marks the pairs that also carry the relation's USER_DEFINED
// label.
func (v view) userLabelled(ri, ia, ib int) bool {
	return hash(uint64(v.ds.seed), uint64(ri), uint64(ia), uint64(ib), 0x11)%6 == 0
}
