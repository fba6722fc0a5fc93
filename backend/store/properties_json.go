package store

import (
	"encoding/json"
	"slices"
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
	list, ok := d.scan(s, pairs[:0], func(raw []byte) (string, int) {
		key, known := d.keys[string(raw)]
		if !known {
			key = string(raw)
			d.keys[key] = key
		}
		return key, 0
	})
	if !ok {
		return nil, false
	}
	all := string(d.buf)
	vals := make([]string, len(list))
	props := make(map[string]*string, len(list))
	for k, p := range list {
		if p.start < 0 {
			props[p.key] = nil
			continue
		}
		vals[k] = all[p.start:p.end]
		props[p.key] = &vals[k]
	}
	return props, true
}

// pair is one property scan found: its name (or the index standing for
// it), and its value as d.buf[start:end] (start < 0: null).
type pair struct {
	key        string
	idx        int
	start, end int
}

// scan parses s (the shape appendProperties writes) into list, the values
// unescaped one after the other into d.buf; name turns a raw name into the
// pair's key and index. False for anything else.
func (d *propsDecoder) scan(s string, list []pair, name func(raw []byte) (string, int)) ([]pair, bool) {
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
		keyStart := len(d.buf)
		var ok bool
		if i, ok = d.unquote(s, i); !ok {
			return nil, false
		}
		key, idx := name(d.buf[keyStart:])
		d.buf = d.buf[:keyStart]
		if i >= len(s) || s[i] != ':' {
			return nil, false
		}
		i++
		p := pair{key: key, idx: idx, start: -1}
		switch {
		case i < len(s) && s[i] == '"':
			p.start = len(d.buf)
			if i, ok = d.unquote(s, i); !ok {
				return nil, false
			}
			p.end = len(d.buf)
		case len(s)-i >= 4 && s[i:i+4] == "null":
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

// columns sets out[i] to the value of the property index maps to i, nil
// when it is null or absent; vals holds the strings out points to. It
// allocates one string for all the values of a record.
func (d *propsDecoder) columns(s string, index map[string]int, out []*string, vals []string) error {
	clear(out)
	var pairs [64]pair
	list, ok := d.scan(s, pairs[:0], func(raw []byte) (string, int) {
		if i, known := index[string(raw)]; known {
			return "", i
		}
		return "", -1
	})
	if !ok {
		props, err := d.decode(s)
		if err != nil {
			return err
		}
		for name, i := range index {
			if v := props[name]; v != nil {
				vals[i] = *v
				out[i] = &vals[i]
			}
		}
		return nil
	}
	all := string(d.buf)
	for _, p := range list {
		switch {
		case p.idx < 0:
		case p.start < 0:
			out[p.idx] = nil // a later null wins, as in a map
		default:
			vals[p.idx] = all[p.start:p.end]
			out[p.idx] = &vals[p.idx]
		}
	}
	return nil
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
