// Package jsontext appends JSON strings by hand, for the hot paths that
// write JSON without reflection: the store's properties column (exactly as
// encoding/json writes it) and the fake HubSpot's record pages (as HubSpot
// writes them). It owns only that escaping and imports no other package of
// the module.
package jsontext

import "unicode/utf8"

// Style is whose escaping AppendString follows.
type Style int

const (
	// Go is encoding/json's (json.Marshal): also <, > and & (as \u003c,
	// \u003e, \u0026), U+2028 and U+2029, and \b and \f in their short form.
	Go Style = iota
	// HubSpot is HubSpot's (Jackson): only what JSON requires.
	HubSpot
)

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string escaped in style; invalid UTF-8
// becomes \ufffd.
func AppendString(dst []byte, s string, style Style) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (style != Go || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c == '\b' && style == Go:
				dst = append(dst, '\\', 'b')
			case c == '\f' && style == Go:
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case (r == '\u2028' || r == '\u2029') && style == Go:
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
