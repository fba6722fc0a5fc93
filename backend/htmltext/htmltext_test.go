package htmltext

import (
	"fmt"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"<p>Called about the renewal. Next steps:</p><ul><li>Send quote</li><li>Book demo</li></ul>",
			"Called about the renewal. Next steps:\nSend quote\nBook demo"},
		{"<div><b>Important</b>: price &lt; 1000 &amp; term &gt; 12 months</div>", "Important: price < 1000 & term > 12 months"},
		{"<script>alert(1)</script><p>Pasted from a web page</p>", "Pasted from a web page"},
		{`<style>p { font-family: Arial }</style><p>Styled</p>`, "Styled"},
		{`<img src="x" onerror="alert(2)"><p>Screenshot attached</p>`, "Screenshot attached"},
		{"<p>Line one<br>Line two</p>\n<p>Second paragraph, with a comma</p>", "Line one\nLine two\nSecond paragraph, with a comma"},
		{"a <b>bold</b> word", "a bold word"},
		{"1 < 2", "1 < 2"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// longEmail is an email body of n table rows, as marketing emails are laid
// out, and the text it reads as.
func longEmail(n int) (html, text string) {
	var h, t strings.Builder
	h.WriteString(`<html><head><style>td { font-family: Arial }</style></head><body><table>`)
	for i := range n {
		fmt.Fprintf(&h, `<tr><td style="padding: 4px">Row %d &amp; more </td></tr>`, i)
		if i > 0 {
			t.WriteByte('\n')
		}
		fmt.Fprintf(&t, "Row %d & more", i)
	}
	h.WriteString(`</table></body></html>`)
	return h.String(), t.String()
}

// TestTextLongEmail: every row of a long layout becomes a line of its own.
func TestTextLongEmail(t *testing.T) {
	in, want := longEmail(5000)
	if got := Text(in); got != want {
		t.Errorf("Text of a 5,000-row email: %d bytes, want %d; starts %q", len(got), len(want), got[:min(len(got), 80)])
	}
}

// BenchmarkTextLongEmail: an email of 2,000 rows (about 120 KB of HTML),
// read in time linear in its length.
func BenchmarkTextLongEmail(b *testing.B) {
	in, _ := longEmail(2000)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Text(in)
	}
}
