package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"
)

// TestCell_FormulaForms covers what spreadsheets also run as a formula: the
// full-width forms of = + - @ and a formula after leading spaces or tabs.
// Each neutralised value keeps its text after the added apostrophe.
func TestCell_FormulaForms(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full-width equals", "＝1+1", "'＝1+1"},
		{"full-width plus", "＋33 1 23", "'＋33 1 23"},
		{"full-width minus", "－42", "'－42"},
		{"full-width at", "＠SUM(A1)", "'＠SUM(A1)"},
		{"full-width call", "＝cmd|' /C calc'!A0", "'＝cmd|' /C calc'!A0"},
		{"space equals", " =1+1", "' =1+1"},
		{"spaces plus", "   +1", "'   +1"},
		{"space minus", " -1", "' -1"},
		{"space at", " @SUM(A1)", "' @SUM(A1)"},
		{"tab then equals", "\t=1+1", "'\t=1+1"},
		{"spaces and tabs then equals", " \t \t=HYPERLINK(\"x\")", "' \t \t=HYPERLINK(\"x\")"},
		{"space then full-width", " ＝1+1", "' ＝1+1"},
		{"no-break space then equals", "\u00a0=1", "'\u00a0=1"},
		{"ideographic space then full-width", "\u3000＝1", "'\u3000＝1"},
		{"space then CR-led", " \r=1", " \n=1"}, // not a formula: only spaces and tabs are skipped
		// Not formulas: left as they are.
		{"only spaces", "   ", "   "},
		{"space then text", " padded ", " padded "},
		{"equals inside", "a＝b", "a＝b"},
		{"full-width letter", "Ａ1", "Ａ1"},
		{"space then apostrophe", " '=x", " '=x"},
		{"middle dot", "・item", "・item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cell(tt.in); got != tt.want {
				t.Errorf("cell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestTable_MatchesEncodingCSV checks the table's own encoder against what
// the export wrote before it: each cell through cell, then encoding/csv's
// Writer with CRLF line ends. Rows go through both Row and cells/Rows.
func TestTable_MatchesEncodingCSV(t *testing.T) {
	rows := [][]string{
		{"", "plain", "two words", "a,b", `say "hi"`},
		{"line\nbreak", "cr\rlf\r\n", " lead", "trail ", `\.`},
		{`\.x`, "\\", "-5", "=1+1", "+33"},
		{"@SUM", "\tx", "\rx", "\v", "\f"},
		{"\u00a0x", "\u3000x", "\u0085x", "＝1", "é,"},
		{"\xff\xfe", "a\"", "1.5", "x\n", "\u2028"},
	}
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	cw.UseCRLF = true
	var got bytes.Buffer
	tb, err := newTable(t.Context(), &got, Options{}, make([]string, 5), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := cw.Write(make([]string, 5)); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		ref := make([]string, len(row))
		for j, c := range row {
			ref[j] = cell(c)
		}
		if err := cw.Write(ref); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			err = tb.Row(slices.Clone(row))
		} else { // as the export's workers do
			c := cells{width: 5}
			for _, v := range row {
				c.Cell(v)
			}
			if err = c.end(); err == nil {
				err = tb.Rows(c.buf, 1)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	c := cells{width: 5}
	c.Time(t0)
	c.Time(time.Time{})
	c.Time(time.UnixMilli(-1e17)) // a year before 0: starts with '-'
	c.Cell("x")
	c.Cell("y")
	if err := c.end(); err != nil {
		t.Fatal(err)
	}
	if err := tb.Rows(c.buf, 1); err != nil {
		t.Fatal(err)
	}
	if err := cw.Write([]string{cell(timestamp(t0)), "", cell(timestamp(time.UnixMilli(-1e17))), "x", "y"}); err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	if n, err := tb.Close(nil); err != nil || n != int64(len(rows)+1) {
		t.Fatalf("Close = %d, %v; want %d rows", n, err, len(rows)+1)
	}
	if got.String() != want.String() {
		t.Errorf("table wrote\n%q\nencoding/csv\n%q", got.String(), want.String())
	}
}

// FuzzAppendCell compares one cell's encoding with encoding/csv's.
func FuzzAppendCell(f *testing.F) {
	for _, s := range []string{"", "a", "-1", " =x", "a,b", "\"", "\r\n", `\.`, "＠x", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		cw.UseCRLF = true
		if err := cw.Write([]string{cell(s)}); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		got := append(appendCell(nil, s), '\r', '\n')
		if string(got) != want.String() {
			t.Errorf("appendCell(%q) = %q, encoding/csv %q", s, got, want.String())
		}
		if b := append(appendCell(nil, []byte(s)), '\r', '\n'); string(b) != want.String() {
			t.Errorf("appendCell([]byte(%q)) = %q, encoding/csv %q", s, b, want.String())
		}
	})
}
