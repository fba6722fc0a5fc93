package export

import "testing"

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
