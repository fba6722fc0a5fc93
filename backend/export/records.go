package export

import (
	"context"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// Records writes the CRM records of opts.Type as CSV to w and returns the
// number of data rows written. Columns: id, every property (the defined ones
// and any other found on a record, sorted by internal name; their labels as
// titles with opts.Labels; those defined as sensitive or highly sensitive
// only with opts.IncludeSensitive), created_at, updated_at, archived, then
// associated_<type> per type in catalog.AssociatedTypes (ids ascending, joined by
// ';'). Rows come in numeric id order, archived records included. Memory
// stays flat in the number of records: the records are read a range of ids
// at a time (store.IDRanges), a range's association pairs merged into its
// rows, on a goroutine per core, and the ranges written in order.
func Records(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	typ := opts.Type
	if !catalog.IsCRM(typ) {
		if catalog.Valid(typ) {
			return 0, fmt.Errorf("export %s: not a CRM object type", typ)
		}
		return 0, &catalog.UnknownTypeError{Name: typ}
	}
	props, err := propertyColumns(ctx, db, typ, opts.IncludeSensitive)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}
	var labels *Labeler
	if opts.Labels {
		if labels, err = NewLabeler(ctx, db, typ); err != nil {
			return 0, fmt.Errorf("export %s: %w", typ, err)
		}
	}
	assocTypes := associatedColumns(opts)
	total, err := count(ctx, db, opts)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}
	ranges, err := db.IDRanges(ctx, typ, rangeRows)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}

	header := make([]string, 0, 1+len(props)+3+len(assocTypes))
	header = append(header, "id")
	header = append(header, propertyHeaders(props, labels)...)
	header = append(header, "created_at", "updated_at", "archived")
	for _, other := range assocTypes {
		header = append(header, "associated_"+other)
	}
	t, err := newTable(ctx, w, opts, header, total)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}

	enc := &recordEncoder{db: db, typ: typ, props: props, labels: labels, assocTypes: assocTypes, width: len(header)}
	err = inOrder(ctx, len(ranges), exportWorkers(),
		func(ctx context.Context, i int, reuse chunk) (chunk, error) { return enc.encode(ctx, ranges[i], reuse) },
		func(c chunk) error { return t.Rows(c.buf, c.rows) })
	n, err := t.Close(err)
	if err != nil {
		return n, fmt.Errorf("export %s: %w", typ, err)
	}
	return n, nil
}

// rangeRows is how many records a worker reads and encodes at a time: a
// megabyte or two of CSV, so that a few ranges in flight keep memory flat.
const rangeRows = 2048

// recordEncoder encodes the records of one IDRange as CSV rows.
type recordEncoder struct {
	db         *store.DB
	typ        string
	props      []string
	labels     *Labeler
	assocTypes []string
	width      int
}

// encode encodes the rows of r into a chunk, reusing the buffers of reuse.
// The rows are read, their association
// pairs merged in and their cells encoded on the calling goroutine, so that
// several ranges are worked on at once.
func (e *recordEncoder) encode(ctx context.Context, r store.IDRange, reuse chunk) (chunk, error) {
	c := cells{buf: reuse.buf[:0], width: e.width}
	scratch := reuse.pairs
	if scratch == nil {
		scratch = new(store.PairScratch)
	}
	var assoc *assocMerge
	if len(e.assocTypes) > 0 {
		pairs, err := e.db.AssociationsIn(ctx, e.typ, e.assocTypes, r, scratch)
		if err != nil {
			return chunk{}, err
		}
		assoc = newAssocList(e.assocTypes, pairs)
	}
	// The stage labels of a record depend on its pipeline: with labels, its
	// pipeline properties are read too, whether columns or not.
	names := e.props
	var stageCtx store.Record
	if e.labels != nil {
		names = append(slices.Clip(e.props), "pipeline", "hs_pipeline")
		stageCtx.Properties = make(map[string]*string, 2)
	}
	var rows int64
	err := e.db.EachRecordValues(ctx, e.typ, r, names, func(r store.RecordValues) error {
		c.Cell(r.ID)
		if e.labels != nil {
			stageCtx.Properties["pipeline"], stageCtx.Properties["hs_pipeline"] = r.Values[len(e.props)], r.Values[len(e.props)+1]
		}
		for i, p := range e.props {
			switch v := r.Values[i]; {
			case e.labels != nil:
				c.Cell(e.labels.Value(p, v, stageCtx))
			case v != nil:
				c.Cell(*v)
			default:
				c.Cell("")
			}
		}
		c.Time(r.CreatedAt)
		c.Time(r.UpdatedAt)
		c.Cell(boolCell(r.Archived))
		if assoc != nil {
			if err := assoc.collect(r.ID); err != nil {
				return err
			}
			for i := range assoc.lists {
				c.scratch = assoc.appendList(c.scratch[:0], i)
				addCell(&c, c.scratch)
			}
		}
		rows++
		return c.end()
	})
	return chunk{buf: c.buf, rows: rows, pairs: scratch}, err
}

// associatedColumns are the types whose ids an export of opts.Type lists,
// a column each: none with opts.NoAssociations.
func associatedColumns(opts Options) []string {
	if opts.NoAssociations {
		return nil
	}
	return catalog.AssociatedTypes(opts.Type)
}

// propertyColumns is every property of typ that a column is due to: the
// defined ones and any name found on a stored record, sorted; without
// sensitive, none defined as sensitive or highly sensitive (a value found on
// a record is left out by its definition, not only the definition's column).
func propertyColumns(ctx context.Context, db *store.DB, typ string, sensitive bool) ([]string, error) {
	defs, err := db.Properties(ctx, typ)
	if err != nil {
		return nil, err
	}
	used, err := db.RecordPropertyNames(ctx, typ)
	if err != nil {
		return nil, err
	}
	names := used
	for _, p := range defs {
		names = append(names, p.Name)
	}
	if !sensitive {
		leaveOut := make(map[string]bool)
		for _, p := range defs {
			if p.Sensitivity != "" && p.Sensitivity != store.NonSensitive {
				leaveOut[p.Name] = true
			}
		}
		names = slices.DeleteFunc(names, func(n string) bool { return leaveOut[n] })
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// propertyHeaders titles the property columns: internal names, or labels
// made unique (HubSpot lets two properties share a label) by adding the
// internal name to every label that is not.
func propertyHeaders(props []string, labels *Labeler) []string {
	out := make([]string, len(props))
	if labels == nil {
		copy(out, props)
		return out
	}
	seen := make(map[string]int, len(props))
	for i, p := range props {
		out[i] = labels.Header(p)
		seen[strings.ToLower(out[i])]++
	}
	for i, p := range props {
		if seen[strings.ToLower(out[i])] > 1 {
			out[i] = fmt.Sprintf("%s (%s)", out[i], p)
		}
	}
	return out
}

// assocMerge walks the association pairs of a type in the same id order as
// store.EachRecord, so each record's associated ids are collected without
// holding the table in memory or querying once per record.
type assocMerge struct {
	types []string
	next  func() (store.Association, error, bool)
	stop  func()
	cur   store.Association
	err   error
	ok    bool
	lists [][]string // per type, reused between rows
}

func newAssocMerge(ctx context.Context, db *store.DB, typ string, types []string) *assocMerge {
	m := &assocMerge{types: types, lists: make([][]string, len(types)), stop: func() {}}
	if len(types) == 0 {
		return m
	}
	m.next, m.stop = iter.Pull2(db.AssociationPairs(ctx, typ, types))
	m.advance()
	return m
}

// newAssocList merges the pairs of one range, read beforehand, in the
// same way.
func newAssocList(types []string, pairs []store.Association) *assocMerge {
	m := &assocMerge{types: types, lists: make([][]string, len(types)), stop: func() {}}
	m.next = func() (store.Association, error, bool) {
		if len(pairs) == 0 {
			return store.Association{}, nil, false
		}
		a := pairs[0]
		pairs = pairs[1:]
		return a, nil, true
	}
	m.advance()
	return m
}

func (m *assocMerge) advance() {
	m.cur, m.err, m.ok = m.next()
}

// fill writes into cells, one per type, the ';'-joined ids associated with
// id.
func (m *assocMerge) fill(id string, cells []string) error {
	if err := m.collect(id); err != nil {
		return err
	}
	for i := range m.lists {
		cells[i] = string(m.appendList(nil, i))
	}
	return nil
}

// appendList appends the ids collect found for the i-th type, joined by ';'.
func (m *assocMerge) appendList(dst []byte, i int) []byte {
	for k, id := range m.lists[i] {
		if k > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, id...)
	}
	return dst
}

// collect sets m.lists, one per type, to the ids associated with id. Pairs
// of ids ordered before id belong to no stored record and are skipped.
func (m *assocMerge) collect(id string) error {
	for i := range m.lists {
		m.lists[i] = m.lists[i][:0]
	}
	for m.ok {
		if m.err != nil {
			return m.err
		}
		c := compareIDs(m.cur.FromID, id)
		if c > 0 {
			break
		}
		if c == 0 {
			if k := slices.Index(m.types, m.cur.ToType); k >= 0 {
				// Pairs arrive sorted by type then id; a pair stored from both
				// sides arrives twice in a row.
				if l := m.lists[k]; len(l) == 0 || l[len(l)-1] != m.cur.ToID {
					m.lists[k] = append(l, m.cur.ToID)
				}
			}
		}
		m.advance()
	}
	return nil
}

// compareIDs orders ids as the store streams them: shorter first, then byte
// by byte, which is numeric order for HubSpot's decimal ids.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
