// Package htmltext turns the HTML fragments HubSpot keeps as note, call,
// meeting, task and email bodies into their readable text: what the record
// browser shows and what the record search finds. It imports nothing of the
// app and never renders markup.
package htmltext

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text is the readable text of an HTML fragment: tags dropped, entities
// decoded, blocks and line breaks as new lines, script and style content
// left out. A value with no markup comes back as it is.
func Text(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0 // inside <script> or <style>
	newline := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			trimmed := strings.TrimRight(b.String(), " ")
			b.Reset()
			b.WriteString(trimmed + "\n")
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				writeText(&b, string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case a == atom.Script || a == atom.Style:
				skip++
			case a == atom.Br || block(a):
				newline()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case a == atom.Script || a == atom.Style:
				skip = max(0, skip-1)
			case block(a):
				newline()
			}
		}
	}
}

// writeText appends text with its runs of white space folded into one
// space, and no space at the start of a line.
func writeText(b *strings.Builder, text string) {
	words := strings.Fields(text)
	if len(words) == 0 {
		if text != "" && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
		return
	}
	if startsSpace(text) && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") && !strings.HasSuffix(b.String(), " ") {
		b.WriteByte(' ')
	}
	b.WriteString(strings.Join(words, " "))
	if endsSpace(text) {
		b.WriteByte(' ')
	}
}

func startsSpace(s string) bool { return s != "" && strings.ContainsRune(" \t\r\n", rune(s[0])) }
func endsSpace(s string) bool   { return s != "" && strings.ContainsRune(" \t\r\n", rune(s[len(s)-1])) }

func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Table, atom.Blockquote, atom.Pre,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
