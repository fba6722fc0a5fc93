package store

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"hubextract/backend/jsontext"
)

// The properties column holds a record's properties as a JSON object of
// strings and nulls, exactly as encoding/json writes a map[string]*string
// (keys sorted, HTML characters escaped). Ingest and exports spend much of
// their time there, so this file writes and reads that one shape by hand,
// byte for byte what encoding/json does, without reflection and with a
// handful of allocations per record; anything else is left to
// encoding/json.

// appendProperties appends props as json.Marshal encodes them; keys is a
// scratch slice, returned for reuse.
func appendProperties(dst []byte, props map[string]*string, keys []string) ([]byte, []string) {
	keys = keys[:0]
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		if v := props[k]; v != nil {
			dst = appendJSONString(dst, *v)
		} else {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, '}'), keys
}

// appendJSONString is encoding/json's string encoding (json.Marshal's).
func appendJSONString(dst []byte, s string) []byte { return jsontext.AppendString(dst, s, jsontext.Go) }

// propsDecoder reads properties columns. It keeps the keys it has seen, so
// that a walk over many records of one type allocates each name once.
type propsDecoder struct {
	keys map[string]string
	buf  []byte
}

// decode parses a properties column into a map, as json.Unmarshal into a
// map[string]*string would.
func (d *propsDecoder) decode(s string) (map[string]*string, error) {
	if props, ok := d.fast(s); ok {
		return props, nil
	}
	var props map[string]*string
	if err := json.Unmarshal([]byte(s), &props); err != nil {
		return nil, err
	}
	return props, nil
}

// fast parses the shape appendProperties writes: no whitespace, strings
// with only the escapes it writes, valid UTF-8. It declines (false)
// whatever else, for encoding/json to decide.
func (d *propsDecoder) fast(s string) (map[string]*string, bool) {
	if d.keys == nil {
		d.keys = map[string]string{}
	}
	var pairs [64]pair
	list, ok := d.scan(s, pairs[:0])
	if !ok {
		return nil, false
	}
	all := string(d.buf)
	vals := make([]string, len(list))
	props := make(map[string]*string, len(list))
	for k, p := range list {
		key, known := d.keys[p.key]
		if !known {
			key = strings.Clone(p.key) // not a piece of s, which the map would keep
			d.keys[key] = key
		}
		if p.null {
			props[key] = nil
			continue
		}
		vals[k] = p.value(all)
		props[key] = &vals[k]
	}
	return props, true
}

// pair is one property scan found: its name, and its value: s's own text
// when it has no escape, else unescaped into d.buf[start:end] (escaped);
// null for a JSON null.
type pair struct {
	key, text     string
	start, end    int
	escaped, null bool
}

// value is p's text, all being d.buf as a string once scan is done.
func (p pair) value(all string) string {
	if p.escaped {
		return all[p.start:p.end]
	}
	return p.text
}

// scan parses s (the shape appendProperties writes) into list, in order: a
// name or value with no escape is a piece of s, one with escapes is
// unescaped into d.buf (the values one after the other). False for
// anything else.
func (d *propsDecoder) scan(s string, list []pair) ([]pair, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	d.buf = d.buf[:0]
	i := 1
	if s[i] == '}' {
		return list, i == len(s)-1
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return nil, false
		}
		var p pair
		if j, plain := plainString(s, i); plain {
			p.key, i = s[i+1:j], j+1
		} else {
			keyStart := len(d.buf)
			var ok bool
			if i, ok = d.unquote(s, i); !ok {
				return nil, false
			}
			p.key = string(d.buf[keyStart:])
			d.buf = d.buf[:keyStart]
		}
		if i >= len(s) || s[i] != ':' {
			return nil, false
		}
		i++
		switch {
		case i < len(s) && s[i] == '"':
			if j, plain := plainString(s, i); plain {
				p.text, i = s[i+1:j], j+1
				break
			}
			p.start, p.escaped = len(d.buf), true
			var ok bool
			if i, ok = d.unquote(s, i); !ok {
				return nil, false
			}
			p.end = len(d.buf)
		case len(s)-i >= 4 && s[i:i+4] == "null":
			p.null = true
			i += 4
		default:
			return nil, false
		}
		list = append(list, p)
		if i >= len(s) {
			return nil, false
		}
		if s[i] == '}' {
			return list, i == len(s)-1
		}
		if s[i] != ',' {
			return nil, false
		}
		i++
	}
}

// columnIndex says which column a property name goes to, for columns:
// the names sorted, to merge with a record's keys (which appendProperties
// writes sorted) by comparing strings rather than hashing each key, and a
// map for keys that come out of order.
type columnIndex struct {
	names  []string // sorted, distinct
	cols   []int    // cols[k]: the column of names[k]
	byName map[string]int
}

func newColumnIndex(index map[string]int) *columnIndex {
	c := &columnIndex{byName: index}
	for n := range index {
		c.names = append(c.names, n)
	}
	slices.Sort(c.names)
	for _, n := range c.names {
		c.cols = append(c.cols, index[n])
	}
	return c
}

// columns sets out[i] to the value of the property index maps to i, nil
// when it is null or absent; vals holds the strings out points to. In the
// shape appendProperties writes, a value with no escape is a substring of
// s, and the few with one share one string: most records allocate nothing.
func (d *propsDecoder) columns(s string, index *columnIndex, out []*string, vals []string) error {
	clear(out)
	var pairs [64]pair
	list, ok := d.scan(s, pairs[:0])
	if !ok {
		props, err := d.decode(s)
		if err != nil {
			return err
		}
		for name, i := range index.byName {
			if v := props[name]; v != nil {
				vals[i] = *v
				out[i] = &vals[i]
			}
		}
		return nil
	}
	var all string
	if len(d.buf) > 0 {
		all = string(d.buf)
	}
	next, prev := 0, "" // the merge's place in index.names; the last key
	for _, p := range list {
		col, known := -1, false
		if p.key >= prev {
			for next < len(index.names) && index.names[next] < p.key {
				next++
			}
			if known = next < len(index.names) && index.names[next] == p.key; known {
				col = index.cols[next]
			}
			prev = p.key
		} else {
			col, known = index.byName[p.key]
		}
		switch {
		case !known:
		case p.null:
			out[col] = nil // a later null wins, as in a map
		default:
			vals[col] = p.value(all)
			out[col] = &vals[col]
		}
	}
	return nil
}

// plainString finds the end of the JSON string starting at s[i] (a quote):
// the index of its closing quote, and whether its text is s[i+1:j] as it
// stands (no escape, no control character, valid UTF-8). When not plain,
// unquote decides. It looks at eight bytes at a time until a word holds a
// byte that may be a quote, a backslash or a control character, then goes
// byte by byte.
func plainString(s string, i int) (int, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	j := i + 1
	var high uint64 // the high bits of the words passed: non-ASCII bytes
	for ; j+8 <= len(s); j += 8 {
		w := uint64(s[j]) | uint64(s[j+1])<<8 | uint64(s[j+2])<<16 | uint64(s[j+3])<<24 |
			uint64(s[j+4])<<32 | uint64(s[j+5])<<40 | uint64(s[j+6])<<48 | uint64(s[j+7])<<56
		q, b := w^(ones*'"'), w^(ones*'\\')
		// A byte of q or b that is zero, or of w below 0x20, sets its high
		// bit here (and at worst a higher byte's, which the byte loop sorts out).
		if ((q-ones)&^q|(b-ones)&^b|(w-ones*0x20)&^w)&highs != 0 {
			break
		}
		high |= w & highs
	}
	ascii := high == 0
	for ; j < len(s); j++ {
		switch b := s[j]; {
		case b == '"':
			return j, ascii || utf8.ValidString(s[i+1:j])
		case b == '\\' || b < 0x20:
			return j, false
		case b >= utf8.RuneSelf:
			ascii = false
		}
	}
	return len(s), false
}

// unquote appends the string starting at s[i] (a quote) to d.buf,
// unescaped, and returns the index after its closing quote; false for what
// fast leaves to encoding/json.
func (d *propsDecoder) unquote(s string, i int) (int, bool) {
	i++
	start := i
	ascii := true
	for i < len(s) {
		b := s[i]
		switch {
		case b == '"':
			seg := s[start:i]
			if !ascii && !utf8.ValidString(seg) {
				return 0, false
			}
			d.buf = append(d.buf, seg...)
			return i + 1, true
		case b < 0x20:
			return 0, false
		case b >= utf8.RuneSelf:
			ascii = false
			i++
		case b != '\\':
			i++
		default:
			seg := s[start:i]
			if !ascii && !utf8.ValidString(seg) {
				return 0, false
			}
			d.buf = append(d.buf, seg...)
			if i+1 >= len(s) {
				return 0, false
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				d.buf = append(d.buf, e)
			case 'b':
				d.buf = append(d.buf, '\b')
			case 'f':
				d.buf = append(d.buf, '\f')
			case 'n':
				d.buf = append(d.buf, '\n')
			case 'r':
				d.buf = append(d.buf, '\r')
			case 't':
				d.buf = append(d.buf, '\t')
			case 'u':
				r, ok := hex4(s, i+2)
				// Surrogates (pairs or lone) are encoding/json's to decide.
				if !ok || (r >= 0xD800 && r < 0xE000) {
					return 0, false
				}
				d.buf = utf8.AppendRune(d.buf, r)
				i += 4
			default:
				return 0, false
			}
			i += 2
			start = i
			ascii = true
		}
	}
	return 0, false
}

// hex4 reads the four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
