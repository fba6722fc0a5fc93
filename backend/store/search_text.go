package store

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"

	"modernc.org/sqlite"

	"hubextract/backend/catalog"
	"hubextract/backend/htmltext"
)

// The text a record is found by (migrations 0018, 0019) is every property
// value but full timestamps, an HTML body as its readable text (what the
// record browser shows), in the order of the property names, one space
// apart. SQL reaches it as record_search_text(properties). The one
// writer, which indexes the search, is what limits an unthrottled
// extraction, so EncodeRecords works the text out beside it, on the
// goroutine that fetched the records, and the writer only looks it up.

// appendSearchText appends the search text of props, whose names are
// keys, sorted.
func appendSearchText(dst []byte, props map[string]*string, keys []string) []byte {
	first := true
	// keys and bodies are both sorted: walking them side by side finds the
	// HTML bodies with a comparison per key, where a lookup per key doubled
	// this function's time, which every extracted record pays.
	bodies := catalog.HTMLBodies()
	for _, k := range keys {
		for len(bodies) > 0 && bodies[0] < k {
			bodies = bodies[1:]
		}
		v := props[k]
		if v == nil || isTimestamp(*v) {
			continue
		}
		text := *v
		if len(bodies) > 0 && bodies[0] == k {
			// Markup is no word anyone looks for: "div" or "style" would
			// match every email.
			text = htmltext.Text(text)
		}
		if !first {
			dst = append(dst, ' ')
		}
		first = false
		dst = append(dst, text...)
	}
	return dst
}

// isTimestamp reports whether v starts as an ISO timestamp with a time
// does ("2024-07-15T07:22"). The tokenizer cut such a value into six terms,
// each indexed with its prefixes: a third of the index, for terms nobody
// types, and "2024" matched every record created that year. A date alone
// ("1973-02-21") stays searchable.
func isTimestamp(v string) bool {
	const shape = "dddd-dd-ddTdd:dd" // d: an ASCII digit
	if len(v) < len(shape) {
		return false
	}
	for i := range len(shape) {
		c := v[i]
		if shape[i] == 'd' {
			if c < '0' || c > '9' {
				return false
			}
		} else if c != shape[i] {
			return false
		}
	}
	return true
}

// searchTexts holds the texts EncodeRecords worked out, by the properties
// column they belong to, from UpsertEncoded until the search indexes them.
// A text depends on the column alone, so an entry is never wrong, whatever
// database or transaction reads it; one that is dropped is only computed
// again.
var searchTexts = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// maxSearchTexts bounds searchTexts: a record rewritten with the same
// properties is not indexed again, and leaves its text behind until the
// next indexing (or forever, where the search index is stopped).
const maxSearchTexts = 10000

// rememberSearchTexts keeps texts (properties column, search text) for
// searchText.
func rememberSearchTexts(texts [][2]string) {
	searchTexts.Lock()
	defer searchTexts.Unlock()
	if len(searchTexts.m)+len(texts) > maxSearchTexts {
		clear(searchTexts.m)
	}
	for _, t := range texts {
		searchTexts.m[t[0]] = t[1]
	}
}

// forgetSearchTexts empties searchTexts once what was pending is indexed:
// what is left belongs to records that were not.
func forgetSearchTexts() {
	searchTexts.Lock()
	defer searchTexts.Unlock()
	clear(searchTexts.m)
}

// searchText is the search text of a stored properties column.
func searchText(props string) string {
	searchTexts.Lock()
	text, ok := searchTexts.m[props]
	searchTexts.Unlock()
	if ok {
		return text
	}
	m, err := new(propsDecoder).decode(props)
	if err != nil {
		// Not what the store writes (edited by another tool): its text,
		// JSON and all, is better found than not.
		return props
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return string(appendSearchText(nil, m, keys))
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("record_search_text", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return searchText(v), nil
			case []byte:
				return searchText(string(v)), nil
			case nil:
				return "", nil
			default:
				return nil, fmt.Errorf("record_search_text: properties of type %T", v)
			}
		})
}
