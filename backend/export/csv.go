// Package export owns the CSV encoding of what the store holds: CRM records
// with their association ids, forms, form submissions and marketing email
// events, in raw values or readable labels, one type per file. It reads
// through backend/store only and must not touch HTTP, HubSpot's API or Wails.
//
// Every file follows the same rules: RFC 4180 (comma-separated, fields
// quoted when needed, records ended by CRLF), UTF-8 with no byte-order mark
// unless Options.BOM asks for one (Excel on Windows needs it to read UTF-8),
// timestamps in RFC 3339 UTC with milliseconds, and every cell that starts
// with a character a spreadsheet would run as a formula neutralised.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// bom is the UTF-8 byte-order mark that makes Excel read a CSV as UTF-8.
const bom = "\uFEFF"

// checkEvery is how many rows pass between two looks at the context and two
// progress reports: often enough to stop within milliseconds, rarely enough
// to cost nothing.
const checkEvery = 1000

// flushAt is how many bytes a table gathers before it hands them to its
// writer: large enough that writes cost nothing per row.
const flushAt = 64 << 10

// table writes one CSV export: the header from its constructor, then a row
// per Row (or rows that cells encoded elsewhere, handed over by Rows), which also counts the rows, looks at
// the context and reports progress every checkEvery rows; Close flushes and
// returns the count.
//
// It encodes as encoding/csv's Writer with UseCRLF does, byte for byte
// (TestTable_MatchesEncodingCSV), into a buffer of its own: the export's
// hot loop appends cells without a []string per row or a string per cell.
type table struct {
	cells
	ctx      context.Context
	w        io.Writer
	err      error // the first write error; nothing is written after it
	n, total int64
	progress func(done, total int64)
}

// cells encodes CSV rows into buf, a cell at a time.
type cells struct {
	buf     []byte
	scratch []byte // a cell being built (a timestamp, a list of ids)
	width   int
	n       int // cells in the current row
}

// Cell appends the next cell of the current row, neutralised.
func (c *cells) Cell(s string) { addCell(c, s) }

// addCell is Cell for a string or, without copying it to one, the bytes
// of c.scratch (methods cannot be generic).
func addCell[S string | []byte](c *cells, s S) {
	if c.n > 0 {
		c.buf = append(c.buf, ',')
	}
	c.n++
	c.buf = appendCell(c.buf, s)
}

// Time appends a timestamp cell (see timestamp).
func (c *cells) Time(tm time.Time) {
	if tm.IsZero() {
		c.Cell("")
		return
	}
	c.scratch = tm.UTC().AppendFormat(c.scratch[:0], timeLayout)
	addCell(c, c.scratch)
}

// end closes the row, which must have a cell per column.
func (c *cells) end() error {
	if c.n != c.width {
		return fmt.Errorf("write CSV: row of %d cells under a header of %d", c.n, c.width)
	}
	c.n = 0
	c.buf = append(c.buf, '\r', '\n')
	return nil
}

// newTable writes the byte-order mark if opts asks for one and the header,
// and reports progress 0 of total.
func newTable(ctx context.Context, w io.Writer, opts Options, header []string, total int64) (*table, error) {
	t := &table{cells: cells{buf: make([]byte, 0, flushAt+4<<10), width: len(header)},
		ctx: ctx, w: w, total: total, progress: opts.Progress}
	if opts.BOM {
		t.buf = append(t.buf, bom...)
	}
	if err := t.write(header); err != nil {
		return nil, err
	}
	t.report()
	return t, nil
}

// Row writes one data row, each cell neutralised.
func (t *table) Row(cells []string) error {
	if err := t.write(cells); err != nil {
		return err
	}
	return t.counted()
}

// Rows writes n rows that cells of the same width encoded into b, counting
// them, looking at the context and reporting progress as n calls to Row
// would have.
func (t *table) Rows(b []byte, n int64) error {
	t.flush()
	if t.err == nil {
		_, t.err = t.w.Write(b)
	}
	if t.err != nil {
		return fmt.Errorf("write CSV: %w", t.err)
	}
	for end := t.n + n; t.n < end; {
		t.n = min(end, (t.n/checkEvery+1)*checkEvery)
		if t.n%checkEvery == 0 {
			if err := t.ctx.Err(); err != nil {
				return err
			}
			t.report()
		}
	}
	return nil
}

// counted counts a written row, and every checkEvery rows looks at the
// context and reports progress.
func (t *table) counted() error {
	t.n++
	if t.n%checkEvery != 0 {
		return nil
	}
	if err := t.ctx.Err(); err != nil {
		return err
	}
	t.report()
	return nil
}

// Close flushes the buffered rows and returns how many were written, with
// walkErr (what stopped the rows, if anything) joined to any write error.
// Only a complete table gets the final progress report.
func (t *table) Close(walkErr error) (int64, error) {
	t.flush()
	var err error
	if t.err != nil {
		err = fmt.Errorf("write CSV: %w", t.err)
	}
	if err = errors.Join(walkErr, err); err != nil {
		return t.n, err
	}
	t.report()
	return t.n, nil
}

func (t *table) write(row []string) error {
	if len(row) != t.width {
		return fmt.Errorf("write CSV: row of %d cells under a header of %d", len(row), t.width)
	}
	for _, c := range row {
		t.Cell(c)
	}
	return t.endRow()
}

// endRow closes the row and flushes a full buffer.
func (t *table) endRow() error {
	if err := t.end(); err != nil {
		return err
	}
	if len(t.buf) >= flushAt {
		t.flush()
	}
	if t.err != nil {
		return fmt.Errorf("write CSV: %w", t.err)
	}
	return nil
}

func (t *table) flush() {
	if t.err == nil && len(t.buf) > 0 {
		_, t.err = t.w.Write(t.buf)
	}
	t.buf = t.buf[:0]
}

func (t *table) report() {
	if t.progress != nil {
		t.progress(t.n, t.total)
	}
}

// appendCell appends s as a neutralised CSV field. Most cells need neither
// (a first byte that is plain ASCII and cannot start a formula, and none of
// the bytes that call for quotes), and are copied as they are; the others
// take cell and then encoding/csv's quoting.
func appendCell[S string | []byte](dst []byte, s S) []byte {
	if len(s) == 0 {
		return dst
	}
	if c := s[0]; c >= utf8.RuneSelf || !plainFirst[c] || len(s) == 2 && c == '\\' && s[1] == '.' {
		return appendQuoted(dst, cell(string(s)))
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; c == '"' || c == ',' || c == '\r' || c == '\n' {
			return appendQuoted(dst, cell(string(s)))
		}
	}
	return append(dst, s...)
}

// plainFirst[c] is true for the ASCII bytes that may start a cell copied as
// it is: none a formula starts with, a spreadsheet skips before one, or
// that makes encoding/csv quote a field (a space).
var plainFirst = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = !strings.ContainsRune("=+-@\t\r\n\v\f \",", rune(c))
	}
	return t
}()

// appendQuoted appends a neutralised cell as encoding/csv's Writer (with
// UseCRLF) writes a field: quoted when it holds a quote, a comma or a line
// break, starts with a space or is \.; quotes doubled, line breaks CRLF.
func appendQuoted(dst []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			dst = append(dst, '"', '"')
		case '\r':
		case '\n':
			dst = append(dst, '\r', '\n')
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// needsQuotes is encoding/csv's fieldNeedsQuotes with a comma.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` || strings.ContainsAny(s, "\"\r\n,") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// cell makes a value safe to hand to a spreadsheet.
//
// A value starting with '=', '+', '-', '@', tab or carriage return is run as
// a formula by Excel, LibreOffice and Google Sheets (CSV injection), so it
// gets a leading apostrophe, exactly as the export's specification says.
// That includes a plain negative number such as "-5", which then reads as
// the text '-5: HubSpot sends numbers as text anyway, and telling a harmless
// "-5" from "-5+cmd|..." is the guessing game that lets injections through.
// Spreadsheets also take the full-width forms (＝ ＋ － ＠, what a Japanese or
// Chinese input method types) and skip leading spaces and tabs before a
// formula, so " =1+1" and "＝1+1" are neutralised too.
//
// encoding/csv with CRLF drops a lone carriage return inside a quoted field,
// so line breaks of every style (CRLF, CR, LF) are written as CRLF, the
// RFC 4180 line break: no text is lost, only the line-ending style.
func cell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' || startsFormula(strings.TrimLeft(s, blanks)) {
		s = "'" + s
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return s
}

// blanks are what a spreadsheet skips before a formula: spaces (the ASCII
// one, the no-break one and the ideographic one) and tabs.
const blanks = " \t\u00a0\u3000"

// startsFormula reports whether s starts with a character that makes a
// spreadsheet read it as a formula, in its ASCII or full-width form.
func startsFormula(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// timestamp formats a time as RFC 3339 in UTC with milliseconds; the zero
// time (unknown) is an empty cell.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// timeLayout is RFC 3339 with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func boolCell(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
