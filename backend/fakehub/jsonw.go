package fakehub

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The record pages are the hot path (a page is 100 records × dozens of
// properties), so they are written by hand into one byte slice; the small
// metadata answers go through encoding/json.

const hexDigits = "0123456789abcdef"

// appendStr appends s as a JSON string. Like HubSpot (Jackson) it leaves
// <, > and & alone and escapes only what JSON requires.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendKey appends "key": .
func appendKey(b []byte, k string) []byte {
	b = appendStr(b, k)
	return append(b, ':')
}

// isoLayout is HubSpot's timestamp format in v3 bodies:
// 2024-01-17T19:55:04.281Z.
const isoLayout = "2006-01-02T15:04:05.000Z"

func isoMillis(ms int64) string { return time.UnixMilli(ms).UTC().Format(isoLayout) }

func appendISO(b []byte, ms int64) []byte {
	b = append(b, '"')
	b = time.UnixMilli(ms).UTC().AppendFormat(b, isoLayout)
	return append(b, '"')
}

func appendIDStr(b []byte, id int64) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, id, 10)
	return append(b, '"')
}
