package export

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// The formats an export writes (Options.Format).
const (
	FormatCSV     = "csv" // also ""
	FormatParquet = "parquet"
)

// Parquet writes the CRM records of opts.Type as one Parquet file to w,
// for warehouses and dataframes (DuckDB, pandas, BigQuery), and returns the
// number of rows written. The columns are the CSV export's (Records), in
// the same order and typed: id (required text), each property by its
// HubSpot type (number as DOUBLE, datetime as a UTC TIMESTAMP in
// milliseconds, date as DATE, bool as BOOLEAN, anything else as text, all
// nullable: no value is NULL), created_at and updated_at (TIMESTAMP),
// archived (BOOLEAN), then associated_<type> (ids joined by ';', NULL when
// none). A property whose name is one of those columns' is written as
// property_<name>. A value that does not read as its property's type is
// written NULL. Raw values only: labels, the byte-order mark and property
// history are CSV matters.
func Parquet(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	typ := opts.Type
	switch {
	case !catalog.IsCRM(typ) && catalog.Valid(typ):
		return 0, fmt.Errorf("export %s as Parquet: only CRM records are written as Parquet (forms, submissions and email events as CSV)", typ)
	case !catalog.IsCRM(typ):
		return 0, &catalog.UnknownTypeError{Name: typ}
	case opts.Labels || opts.History || opts.BOM:
		return 0, fmt.Errorf("export %s as Parquet: labels, property history and the byte-order mark are for CSV", typ)
	}
	props, err := propertyColumns(ctx, db, typ, opts.IncludeSensitive)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}
	defs, err := db.Properties(ctx, typ)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}
	kinds := make(map[string]string, len(defs))
	for _, p := range defs {
		kinds[p.Name] = p.Type
	}
	assocTypes := associatedColumns(opts)
	total, err := count(ctx, db, opts)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", typ, err)
	}

	cols := parquetColumns(props, kinds, assocTypes)
	fields := make([]parquet.Field, len(cols))
	for i := range cols {
		fields[i] = cols[i]
	}
	schema := parquet.NewSchema(typ, orderedGroup{fields: fields})
	pw := parquet.NewWriter(w, schema, parquet.Compression(&parquet.Snappy))
	rb := parquet.NewRowBuilder(schema)
	rows := make([]parquet.Row, 0, parquetBatch)
	var n int64
	flush := func() error {
		if _, err := pw.WriteRows(rows); err != nil {
			return fmt.Errorf("write Parquet: %w", err)
		}
		rows = rows[:0]
		return nil
	}
	report := func() {
		if opts.Progress != nil {
			opts.Progress(n, total)
		}
	}
	report()
	assoc := newAssocMerge(ctx, db, typ, assocTypes)
	defer assoc.stop()
	cells := make([]string, len(assocTypes))
	first := 1 + len(props) + 3 // the first associated_<type> column
	err = db.EachRecord(ctx, typ, func(r store.Record) error {
		rb.Reset()
		rb.Add(0, parquet.ByteArrayValue([]byte(r.ID)))
		for i, p := range props {
			if v, ok := cols[1+i].value(r.Properties[p]); ok {
				rb.Add(1+i, v)
			}
		}
		i := 1 + len(props)
		if !r.CreatedAt.IsZero() {
			rb.Add(i, parquet.Int64Value(r.CreatedAt.UnixMilli()))
		}
		if !r.UpdatedAt.IsZero() {
			rb.Add(i+1, parquet.Int64Value(r.UpdatedAt.UnixMilli()))
		}
		rb.Add(i+2, parquet.BooleanValue(r.Archived))
		if err := assoc.fill(r.ID, cells); err != nil {
			return err
		}
		for k, c := range cells {
			if c != "" {
				rb.Add(first+k, parquet.ByteArrayValue([]byte(c)))
			}
		}
		rows = append(rows, rb.AppendRow(nil))
		n++
		if len(rows) == parquetBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			report()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if cerr := pw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write Parquet: %w", cerr)
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", typ, err)
	}
	report()
	return n, nil
}

// parquetBatch is how many rows are handed to the writer at once.
const parquetBatch = 1000

// parquetColumn is one column of a Parquet export: its name, its node
// (type and nullability) and how a property's text becomes its value.
type parquetColumn struct {
	parquet.Node
	name  string
	value func(*string) (parquet.Value, bool)
}

func (c parquetColumn) Name() string { return c.name }

// Value serves the library's Go-value writers, which this export does not
// use (it writes rows): a field of a map.
func (c parquetColumn) Value(base reflect.Value) reflect.Value {
	return base.MapIndex(reflect.ValueOf(c.name))
}

// orderedGroup is a group whose columns keep the order given (the
// library's Group sorts them by name): id first, as in the CSV.
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g orderedGroup) Fields() []parquet.Field { return g.fields }

// parquetColumns are the export's columns, in the CSV's order.
func parquetColumns(props []string, kinds map[string]string, assocTypes []string) []parquetColumn {
	text := func(v *string) (parquet.Value, bool) {
		if v == nil {
			return parquet.Value{}, false
		}
		return parquet.ByteArrayValue([]byte(*v)), true
	}
	system := map[string]bool{"id": true, "created_at": true, "updated_at": true, "archived": true}
	for _, t := range assocTypes {
		system["associated_"+t] = true
	}
	cols := []parquetColumn{{Node: parquet.String(), name: "id"}}
	for _, p := range props {
		name := p
		if system[p] {
			name = "property_" + p
		}
		c := parquetColumn{Node: parquet.Optional(parquet.String()), name: name, value: text}
		switch kinds[p] {
		case "number":
			c.Node, c.value = parquet.Optional(parquet.Leaf(parquet.DoubleType)), number
		case "datetime":
			c.Node, c.value = parquet.Optional(parquet.TimestampAdjusted(parquet.Millisecond, true)), datetime
		case "date":
			c.Node, c.value = parquet.Optional(parquet.Date()), date
		case "bool":
			c.Node, c.value = parquet.Optional(parquet.Leaf(parquet.BooleanType)), boolean
		}
		cols = append(cols, c)
	}
	stamp := parquet.Optional(parquet.TimestampAdjusted(parquet.Millisecond, true))
	cols = append(cols, parquetColumn{Node: stamp, name: "created_at"}, parquetColumn{Node: stamp, name: "updated_at"},
		parquetColumn{Node: parquet.Leaf(parquet.BooleanType), name: "archived"})
	for _, t := range assocTypes {
		cols = append(cols, parquetColumn{Node: parquet.Optional(parquet.String()), name: "associated_" + t})
	}
	return cols
}

// typed trims a typed property's text; false for no value or an empty one.
func typed(v *string) (string, bool) {
	if v == nil {
		return "", false
	}
	s := strings.TrimSpace(*v)
	return s, s != ""
}

func number(v *string) (parquet.Value, bool) {
	s, ok := typed(v)
	if !ok {
		return parquet.Value{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return parquet.Value{}, false
	}
	return parquet.DoubleValue(f), true
}

// moment reads a datetime or date property's text.
func moment(v *string) (time.Time, bool) {
	s, ok := typed(v)
	if !ok {
		return time.Time{}, false
	}
	return ParseTime(s)
}

func datetime(v *string) (parquet.Value, bool) {
	t, ok := moment(v)
	if !ok {
		return parquet.Value{}, false
	}
	return parquet.Int64Value(t.UnixMilli()), true
}

// date is the day a date property names, as days since 1970-01-01.
func date(v *string) (parquet.Value, bool) {
	t, ok := moment(v)
	if !ok {
		return parquet.Value{}, false
	}
	days := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
	return parquet.Int32Value(int32(days)), true
}

func boolean(v *string) (parquet.Value, bool) {
	s, ok := typed(v)
	if !ok {
		return parquet.Value{}, false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return parquet.Value{}, false
	}
	return parquet.BooleanValue(b), true
}

// ParseTime reads the ways HubSpot writes a moment in a property: RFC 3339
// (the v3 APIs), a bare date (date properties) or unix milliseconds (older
// properties and the v1 APIs). The time is UTC.
func ParseTime(s string) (time.Time, bool) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
