package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hubextract/backend/catalog"
	"hubextract/backend/export"
	"hubextract/backend/htmltext"
	"hubextract/backend/store"
)

// UpdatedColumn is the pseudo-column of a record's last modification time,
// which every table shows last and sorts by.
const UpdatedColumn = "@updated"

// linkPrefix starts the pseudo-column of a type's associated records of
// another type ("@deals": a line item's deal), named by their titles. No
// property name starts with @.
const linkPrefix = "@link:"

// linkColumn is the column naming a record's associated records of type t.
func linkColumn(t string) string { return linkPrefix + t }

// linkedType is the type a link column names ("" for another column).
func linkedType(column string) string {
	t, _ := strings.CutPrefix(column, linkPrefix)
	if t == column || !catalog.IsCRM(t) {
		return ""
	}
	return t
}

// linkedShown is how many associated records a link cell names before
// "+N more".
const linkedShown = 2

// Column is one column of the record table.
type Column struct {
	Name    string `json:"name"`  // property name, or UpdatedColumn
	Label   string `json:"label"` // what the header says
	Default bool   `json:"default"`
	// Sensitivity is "sensitive" or "highly_sensitive" for a property
	// HubSpot marks so, "" otherwise (see Property.Sensitivity).
	Sensitivity string `json:"sensitivity"`
}

// Columns lists every column the chooser offers for objectType: the
// defaults first in their order, then every other property by label, then
// the last-modified time.
func columnsOf(ctx context.Context, db *store.DB, objectType string) ([]Column, error) {
	if !catalog.IsCRM(objectType) {
		return nil, fmt.Errorf("columns: %q is not a record type (valid: %s)", objectType, strings.Join(catalog.CRM(), ", "))
	}
	props, err := db.Properties(ctx, objectType)
	if err != nil {
		return nil, err
	}
	defs := defaultColumnsOf(objectType, props)
	cols := make([]Column, 0, len(props)+1)
	for _, name := range defs {
		cols = append(cols, Column{Name: name, Label: labelOf(props, name), Default: true,
			Sensitivity: sensitivityOf(props, name)})
	}
	var rest []Column
	for _, p := range props {
		if !slices.Contains(defs, p.Name) {
			rest = append(rest, Column{Name: p.Name, Label: labelOf(props, p.Name), Sensitivity: sensitivityOf(props, p.Name)})
		}
	}
	slices.SortFunc(rest, func(a, b Column) int {
		return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
	})
	cols = append(cols, rest...)
	// Each associated type can be a column; the catalog's links are shown
	// by default.
	t, _ := catalog.Lookup(objectType)
	for _, other := range catalog.AssociatedTypes(objectType) {
		cols = append(cols, Column{Name: linkColumn(other), Label: catalog.Label(other), Default: slices.Contains(t.Links, other)})
	}
	return append(cols, Column{Name: UpdatedColumn, Label: "Last modified", Default: true}), nil
}

// DefaultColumns are the default property columns of objectType that props
// define (all of them when props is empty: nothing is extracted yet).
func defaultColumnsOf(objectType string, props []store.Property) []string {
	var out []string
	t, _ := catalog.Lookup(objectType)
	for _, name := range t.Columns {
		if len(props) == 0 || slices.ContainsFunc(props, func(p store.Property) bool { return p.Name == name }) {
			out = append(out, name)
		}
	}
	return out
}

func labelOf(props []store.Property, name string) string {
	for _, p := range props {
		if p.Name == name && p.Label != "" {
			return p.Label
		}
	}
	return name
}

// sensitivityOf is the level HubSpot marks property name with, "" for a
// non-sensitive one (or one without a definition): the screens only mark
// the others.
func sensitivityOf(props []store.Property, name string) string {
	for _, p := range props {
		if p.Name == name && p.Sensitivity != store.NonSensitive {
			return p.Sensitivity
		}
	}
	return ""
}

// PageQuery asks for one page of the record table.
type PageQuery struct {
	Type    string   `json:"type"`
	Search  string   `json:"search"`  // words; "" for every record
	Columns []string `json:"columns"` // nil: the type's defaults
	Limit   int      `json:"limit"`   // 0: store.DefaultPageSize
	After   *Cursor  `json:"after"`   // nil: the first page
}

// Cursor is where the next page starts (keyset paging by last modified).
type Cursor struct {
	UpdatedAt int64  `json:"updatedAt"`
	ID        string `json:"id"`
	Undated   bool   `json:"undated"`
}

// Page is one page of the record table, newest modification first.
type Page struct {
	Type    string   `json:"type"`
	Columns []Column `json:"columns"`
	Rows    []Row    `json:"rows"`
	Next    *Cursor  `json:"next"` // nil on the last page
}

// Row is one record in the table: its cells as text, in column order.
type Row struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Cells    []string `json:"cells"`
	Archived bool     `json:"archived"`
}

// cellLength bounds a table cell; the detail shows the whole value.
const cellLength = 200

// RecordsPage reads one page of q.Type with readable values: labels for
// options, owners, pipelines and stages; HTML bodies as their text.
func recordsPage(ctx context.Context, db *store.DB, q PageQuery) (Page, error) {
	if !catalog.IsCRM(q.Type) {
		return Page{}, fmt.Errorf("records: %q is not a record type (valid: %s)", q.Type, strings.Join(catalog.CRM(), ", "))
	}
	props, err := db.Properties(ctx, q.Type)
	if err != nil {
		return Page{}, err
	}
	names := q.Columns
	if len(names) == 0 {
		names = defaultColumnsOf(q.Type, props)
		t, _ := catalog.Lookup(q.Type)
		for _, l := range t.Links {
			names = append(names, linkColumn(l))
		}
		names = append(names, UpdatedColumn)
	}
	r, err := newReader(ctx, db, q.Type, props)
	if err != nil {
		return Page{}, err
	}
	sq := store.RecordQuery{Type: q.Type, Search: q.Search, Limit: q.Limit}
	if q.After != nil {
		sq.After = &store.Cursor{UpdatedAt: q.After.UpdatedAt, ID: q.After.ID, Undated: q.After.Undated}
	}
	recs, next, err := db.RecordsPage(ctx, sq)
	if err != nil {
		return Page{}, err
	}
	page := Page{Type: q.Type, Columns: make([]Column, len(names)), Rows: make([]Row, len(recs))}
	for i, n := range names {
		page.Columns[i] = Column{Name: n, Label: labelOf(props, n), Sensitivity: sensitivityOf(props, n)}
		switch {
		case n == UpdatedColumn:
			page.Columns[i].Label = "Last modified"
		case linkedType(n) != "":
			page.Columns[i].Label = catalog.Label(linkedType(n))
		}
	}
	readers := map[string]*reader{}
	for i, rec := range recs {
		row := Row{ID: rec.ID, Title: r.title(rec), Cells: make([]string, len(names)), Archived: rec.Archived}
		var linked map[string][]string // read once per row, when a link column asks
		for j, n := range names {
			switch lt := linkedType(n); {
			case n == UpdatedColumn:
				row.Cells[j] = timeText(rec.UpdatedAt)
			case lt != "":
				if linked == nil {
					if linked, err = db.AssociatedIDs(ctx, q.Type, rec.ID); err != nil {
						return Page{}, err
					}
				}
				if row.Cells[j], err = linkedTitles(ctx, db, readers, lt, linked[lt]); err != nil {
					return Page{}, err
				}
			default:
				row.Cells[j] = truncate(r.value(n, rec), cellLength)
			}
		}
		page.Rows[i] = row
	}
	// No count here: counting a million rows would cost more than the
	// page itself (the type list carries the counts).
	if next != nil {
		page.Next = &Cursor{UpdatedAt: next.UpdatedAt, ID: next.ID, Undated: next.Undated}
	}
	return page, nil
}

// linkedTitles names the first associated records of type t, and how many
// more there are: "Big deal", "Ada; Bob +3 more".
func linkedTitles(ctx context.Context, db *store.DB, readers map[string]*reader, t string, ids []string) (string, error) {
	var titles []string
	for _, id := range ids[:min(len(ids), linkedShown)] {
		ref, err := refOf(ctx, db, readers, t, id)
		if err != nil {
			return "", err
		}
		titles = append(titles, ref.Title)
	}
	s := strings.Join(titles, "; ")
	if more := len(ids) - len(titles); more > 0 {
		s += fmt.Sprintf(" +%d more", more)
	}
	return truncate(s, cellLength), nil
}

// reader turns one type's stored values into text.
type reader struct {
	typ    string
	labels *export.Labeler
	html   map[string]bool // properties holding HTML
}

func newReader(ctx context.Context, db *store.DB, typ string, props []store.Property) (*reader, error) {
	labels, err := export.NewLabeler(ctx, db, typ)
	if err != nil {
		return nil, err
	}
	r := &reader{typ: typ, labels: labels, html: map[string]bool{}}
	for _, p := range props {
		if p.FieldType == "html" {
			r.html[p.Name] = true
		}
	}
	// HubSpot's bodies, even when a definition is missing.
	t, _ := catalog.Lookup(typ)
	for _, n := range t.HTML {
		r.html[n] = true
	}
	return r, nil
}

// value is property name of rec as a person reads it.
func (r *reader) value(name string, rec store.Record) string {
	v := r.labels.Value(name, rec.Properties[name], rec)
	if r.html[name] {
		return htmltext.Text(v)
	}
	return v
}

const titleLength = 80

// title names rec: "Ada Lovelace", "Acme Ltd", a deal's name, a note's
// first words; else "Contact 123".
func (r *reader) title(rec store.Record) string {
	t, _ := catalog.Lookup(r.typ)
	for _, parts := range t.Title {
		var words []string
		for _, p := range parts {
			if v := strings.TrimSpace(r.value(p, rec)); v != "" {
				words = append(words, v)
			}
		}
		if len(words) > 0 {
			return truncate(strings.Join(strings.Fields(strings.Join(words, " ")), " "), titleLength)
		}
	}
	return catalog.Singular(r.typ) + " " + rec.ID
}
