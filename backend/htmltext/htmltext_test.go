package htmltext

import "testing"

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
