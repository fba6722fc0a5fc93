package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// typedTickets adds tickets with a property of every type, values HubSpot
// writes in more than one way, one that is not of its type, and a property
// named like a column of the export's own.
func typedTickets(t testing.TB, db *store.DB) {
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.ReplaceProperties(ctx, "tickets", []store.Property{
			{Name: "subject", Type: "string"}, {Name: "score", Type: "number"}, {Name: "opened", Type: "datetime"},
			{Name: "due", Type: "date"}, {Name: "urgent", Type: "bool"}, {Name: "archived", Type: "string"},
		}); err != nil {
			return err
		}
		return tx.UpsertRecords(ctx, 1, []store.Record{
			{Type: "tickets", ID: "1", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{
				"subject": ptr("=SUM(A1)"), "score": ptr("12.75"), "opened": ptr("2024-03-01T10:00:00.123Z"),
				"due": ptr("2024-03-05"), "urgent": ptr("true"), "archived": ptr("no")}},
			{Type: "tickets", ID: "2", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{
				"score": ptr("not a number"), "opened": ptr("1709287200000"), "due": ptr("1709596800000"),
				"urgent": ptr("false"), "subject": nil}},
			{Type: "tickets", ID: "10", Archived: true, Properties: map[string]*string{"score": ptr(""), "extra": ptr("x")}},
		})
	})
}

// readParquet reads a Parquet file back through the library's reader:
// the column names and each row's values, nil for NULL.
func readParquet(t *testing.T, path string) ([]string, [][]any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := parquet.NewReader(f)
	defer r.Close()
	var names []string
	var kinds []parquet.Node
	for _, field := range r.Schema().Fields() {
		names, kinds = append(names, field.Name()), append(kinds, field)
	}
	var rows [][]any
	row := make([]parquet.Row, 1)
	for {
		n, err := r.ReadRows(row)
		if n == 1 {
			out := make([]any, len(names))
			for _, v := range row[0] {
				if v.IsNull() {
					continue
				}
				k := kinds[v.Column()]
				switch {
				case strings.HasPrefix(k.Type().String(), "TIMESTAMP"):
					out[v.Column()] = time.UnixMilli(v.Int64()).UTC()
				case k.Type().String() == "DATE":
					out[v.Column()] = time.Unix(int64(v.Int32())*86400, 0).UTC()
				case k.Type().Kind() == parquet.Double:
					out[v.Column()] = v.Double()
				case k.Type().Kind() == parquet.Boolean:
					out[v.Column()] = v.Boolean()
				default:
					out[v.Column()] = string(v.ByteArray())
				}
			}
			rows = append(rows, out)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return names, rows
}

// TestParquetMatchesCSV: for every CRM type with records, the Parquet file
// read back holds the CSV export's rows and columns, each value typed as its
// property's type says (a value not of its type, NULL).
func TestParquetMatchesCSV(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	typedTickets(t, db)
	dir := t.TempDir()
	files, err := All(ctx, db, dir, false, Options{Format: FormatParquet})
	if err != nil {
		t.Fatal(err)
	}
	var wrote []string
	for _, f := range files {
		wrote = append(wrote, f.Type)
		if !strings.HasSuffix(f.Path, ".parquet") || !catalog.IsCRM(f.Type) {
			t.Errorf("parquet export wrote %s for %s", f.Path, f.Type)
		}
	}
	if !strings.Contains(strings.Join(wrote, ","), "tickets") || len(wrote) < 4 {
		t.Fatalf("parquet export of every CRM type with records wrote %v", wrote)
	}
	for _, f := range files {
		t.Run(f.Type, func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := Records(ctx, db, &buf, Options{Type: f.Type}); err != nil {
				t.Fatal(err)
			}
			want, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			names, rows := readParquet(t, f.Path)
			if len(rows) != len(want)-1 || int64(len(rows)) != f.Rows {
				t.Fatalf("%d rows (reported %d), CSV has %d", len(rows), f.Rows, len(want)-1)
			}
			for i, h := range want[0] {
				if names[i] != h && names[i] != "property_"+h {
					t.Errorf("column %d: %q, CSV %q", i, names[i], h)
				}
			}
			for r, row := range rows {
				for c, got := range row {
					if cell := want[r+1][c]; !sameCell(got, cell) {
						t.Errorf("row %d (%s) column %s: parquet %#v, CSV %q", r, want[r+1][0], names[c], got, cell)
					}
				}
			}
		})
	}
}

// sameCell: the Parquet value says what the CSV cell says.
func sameCell(got any, cell string) bool {
	switch g := got.(type) {
	case nil:
		// Empty in the CSV, or the fixture's one value not of its type.
		return cell == "" || cell == "not a number"
	case string:
		return g == cell || "'"+g == cell // the CSV neutralises formulas
	case float64:
		f, err := strconv.ParseFloat(strings.TrimPrefix(cell, "'"), 64) // "-5" is neutralised in the CSV
		return err == nil && f == g
	case bool:
		return strconv.FormatBool(g) == cell
	case time.Time:
		// A timestamp to the millisecond; a date as the day it names.
		t, ok := ParseTime(cell)
		day := g.Equal(g.Truncate(24 * time.Hour))
		return ok && (t.Equal(g) || day && t.Format(time.DateOnly) == g.Format(time.DateOnly))
	}
	return false
}

// TestParquetTypes: the tickets' columns carry their types, as a reader
// (DuckDB, pandas) sees them.
func TestParquetTypes(t *testing.T) {
	db := fixtureDB(t)
	typedTickets(t, db)
	path := filepath.Join(t.TempDir(), "tickets.parquet")
	if _, err := ToFile(context.Background(), db, path, false, Options{Type: "tickets", Format: FormatParquet}); err != nil {
		t.Fatal(err)
	}
	names, rows := readParquet(t, path)
	col := map[string]int{}
	for i, n := range names {
		col[n] = i
	}
	first := rows[0]
	want := map[string]any{
		"id": "1", "subject": "=SUM(A1)", "score": 12.75, "opened": time.Date(2024, 3, 1, 10, 0, 0, 123e6, time.UTC),
		"due": time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "urgent": true, "property_archived": "no", "archived": false,
		"created_at": t0,
	}
	for name, w := range want {
		i, ok := col[name]
		if !ok {
			t.Errorf("no column %s in %v", name, names)
			continue
		}
		if g := first[i]; g != w && !(isTime(g) && g.(time.Time).Equal(w.(time.Time))) {
			t.Errorf("%s: %#v, want %#v", name, g, w)
		}
	}
	if second := rows[1]; second[col["score"]] != nil || !second[col["opened"]].(time.Time).Equal(time.UnixMilli(1709287200000)) {
		t.Errorf("ticket 2: score %v (want NULL: not a number), opened %v", second[col["score"]], second[col["opened"]])
	}
}

func isTime(v any) bool { _, ok := v.(time.Time); return ok }

func TestParquetRefuses(t *testing.T) {
	db := fixtureDB(t)
	tests := []struct {
		name string
		opts Options
		says string
	}{
		{"ErrMarketing", Options{Type: "forms", Format: FormatParquet}, "only CRM records"},
		{"ErrLabels", Options{Type: "contacts", Format: FormatParquet, Labels: true}, "for CSV"},
		{"ErrHistory", Options{Type: "contacts", Format: FormatParquet, History: true}, "for CSV"},
		{"ErrUnknown", Options{Type: "nope", Format: FormatParquet}, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.parquet")
			if _, err := ToFile(context.Background(), db, path, false, tt.opts); err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %v, want one saying %q", err, tt.says)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a refused export left %s", path)
			}
		})
	}
}
