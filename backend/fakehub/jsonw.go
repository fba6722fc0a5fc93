package fakehub

import (
	"strconv"
	"time"

	"hubextract/backend/jsontext"
)

// The record pages are the hot path (a page is 100 records × dozens of
// properties), so they are written by hand into one byte slice; the small
// metadata answers go through encoding/json.

// appendStr appends s as a JSON string. Like HubSpot (Jackson) it leaves
// <, > and & alone and escapes only what JSON requires.
func appendStr(b []byte, s string) []byte { return jsontext.AppendString(b, s, jsontext.HubSpot) }

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
