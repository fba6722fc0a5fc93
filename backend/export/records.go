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
// stays flat in the number of records: rows and association pairs are both
// streamed in id order and merged.
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

	assoc := newAssocMerge(ctx, db, typ, assocTypes)
	defer assoc.stop()
	// The stage labels of a record depend on its pipeline: with labels, its
	// pipeline properties are read too, whether columns or not.
	names := props
	var stageCtx store.Record
	if labels != nil {
		names = append(slices.Clip(props), "pipeline", "hs_pipeline")
		stageCtx.Properties = make(map[string]*string, 2)
	}
	// Cells go straight into the table: no []string per row, and a value
	// without labels is written from the store's buffer as it is.
	assocCells := make([]string, len(assocTypes))
	err = db.EachRecordValues(ctx, typ, names, func(r store.RecordValues) error {
		t.Cell(r.ID)
		if labels != nil {
			stageCtx.Properties["pipeline"], stageCtx.Properties["hs_pipeline"] = r.Values[len(props)], r.Values[len(props)+1]
		}
		for i, p := range props {
			switch v := r.Values[i]; {
			case labels != nil:
				t.Cell(labels.Value(p, v, stageCtx))
			case v != nil:
				t.Cell(*v)
			default:
				t.Cell("")
			}
		}
		t.Time(r.CreatedAt)
		t.Time(r.UpdatedAt)
		t.Cell(boolCell(r.Archived))
		if err := assoc.fill(r.ID, assocCells); err != nil {
			return err
		}
		for _, c := range assocCells {
			t.Cell(c)
		}
		return t.EndRow()
	})
	n, err := t.Close(err)
	if err != nil {
		return n, fmt.Errorf("export %s: %w", typ, err)
	}
	return n, nil
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

func (m *assocMerge) advance() {
	m.cur, m.err, m.ok = m.next()
}

// fill writes into cells, one per type, the ';'-joined ids associated with
// id. Pairs of ids ordered before id belong to no stored record and are
// skipped.
func (m *assocMerge) fill(id string, cells []string) error {
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
	for i, l := range m.lists {
		cells[i] = strings.Join(l, ";")
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
