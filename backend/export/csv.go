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
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// bom is the UTF-8 byte-order mark that makes Excel read a CSV as UTF-8.
const bom = "\uFEFF"

// checkEvery is how many rows pass between two looks at the context and two
// progress reports: often enough to stop within milliseconds, rarely enough
// to cost nothing.
const checkEvery = 1000

// table writes one CSV export: the header from its constructor, then a row
// per Row, which also counts the rows, looks at the context and reports
// progress every checkEvery rows; Close flushes and returns the count.
type table struct {
	ctx      context.Context
	w        *csv.Writer
	width    int
	n, total int64
	progress func(done, total int64)
}

// newTable writes the byte-order mark if opts asks for one and the header,
// and reports progress 0 of total.
func newTable(ctx context.Context, w io.Writer, opts Options, header []string, total int64) (*table, error) {
	if opts.BOM {
		if _, err := io.WriteString(w, bom); err != nil {
			return nil, fmt.Errorf("write CSV: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180; Excel and every reader accept it
	t := &table{ctx: ctx, w: cw, width: len(header), total: total, progress: opts.Progress}
	if err := t.write(header); err != nil {
		return nil, err
	}
	t.report()
	return t, nil
}

// Row writes one data row, neutralising its cells in place.
func (t *table) Row(cells []string) error {
	if err := t.write(cells); err != nil {
		return err
	}
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
	t.w.Flush()
	var err error
	if werr := t.w.Error(); werr != nil {
		err = fmt.Errorf("write CSV: %w", werr)
	}
	if err = errors.Join(walkErr, err); err != nil {
		return t.n, err
	}
	t.report()
	return t.n, nil
}

func (t *table) write(cells []string) error {
	if len(cells) != t.width {
		return fmt.Errorf("write CSV: row of %d cells under a header of %d", len(cells), t.width)
	}
	for i, c := range cells {
		cells[i] = cell(c)
	}
	if err := t.w.Write(cells); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

func (t *table) report() {
	if t.progress != nil {
		t.progress(t.n, t.total)
	}
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
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func boolCell(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
