// Package htmltext turns the HTML fragments HubSpot keeps as note, call,
// meeting, task and email bodies into their readable text: what the record
// browser shows and what the record search finds. It imports nothing of the
// app and never renders markup.
package htmltext

import (
	"bytes"
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
	// A byte slice, not a strings.Builder: a line's trailing spaces are cut
	// in place, where rebuilding the text at every block copied a long
	// email once per paragraph.
	var b []byte
	skip := 0 // inside <script> or <style>
	newline := func() {
		b = bytes.TrimRight(b, " ")
		if len(b) > 0 && b[len(b)-1] != '\n' {
			b = append(b, '\n')
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return string(bytes.TrimSpace(b))
		case html.TextToken:
			if skip == 0 {
				b = appendText(b, z.Text())
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

// appendText appends text with its runs of white space folded into one
// space, and no space at the start of a line.
func appendText(b, text []byte) []byte {
	words := bytes.Fields(text)
	spaceAfter := func() bool { return len(b) > 0 && b[len(b)-1] != '\n' && b[len(b)-1] != ' ' }
	if len(words) == 0 {
		if len(text) > 0 && spaceAfter() {
			b = append(b, ' ')
		}
		return b
	}
	if startsSpace(text) && spaceAfter() {
		b = append(b, ' ')
	}
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	if endsSpace(text) {
		b = append(b, ' ')
	}
	return b
}

func startsSpace(s []byte) bool { return len(s) > 0 && isSpace(s[0]) }
func endsSpace(s []byte) bool   { return len(s) > 0 && isSpace(s[len(s)-1]) }
func isSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Table, atom.Blockquote, atom.Pre,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
