package store

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"sync"

	"modernc.org/sqlite"

	"hubextract/backend/catalog"
	"hubextract/backend/htmltext"
)

// The text a record is found by (migrations 0018 to 0020) is every property
// value but full timestamps, an HTML property as its readable text (what
// the record browser shows), in the order of the property names, one space
// apart. A type's HTML properties are HubSpot's bodies (a note's, an
// email's) and those its definitions say are HTML (a custom rich-text
// property). SQL reaches the text as record_search_text(properties, html),
// html being the type's HTML definitions as the view lists them
// (HTMLProperties). The one writer, which indexes the search, is what
// limits an unthrottled extraction, so EncodeRecords works the text out
// beside it, on the goroutine that fetched the records, and the writer only
// looks it up.

// appendSearchText appends the search text of props, whose names are
// keys, sorted; html are the names of its type's HTML properties, sorted
// (htmlNames).
func appendSearchText(dst []byte, props map[string]*string, keys, html []string) []byte {
	first := true
	// keys and html are both sorted: walking them side by side finds the
	// HTML properties with a comparison per key, where a lookup per key
	// doubled this function's time, which every extracted record pays.
	for _, k := range keys {
		for len(html) > 0 && html[0] < k {
			html = html[1:]
		}
		v := props[k]
		if v == nil || isTimestamp(*v) {
			continue
		}
		text := *v
		if len(html) > 0 && html[0] == k {
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

// HTMLProperties lists, sorted by name and joined by commas, the
// properties among a type's definitions props that hold HTML: what the
// search text of its records is worked out with (EncodeRecords), as the
// view that indexes them lists it (migration 0020).
func HTMLProperties(props []Property) string {
	var names []string
	for _, p := range props {
		if p.FieldType == "html" {
			names = append(names, p.Name)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

// htmlNames are the HTML properties of a type whose definitions list
// defined (see HTMLProperties): HubSpot's bodies and those, sorted. Each
// list is worked out once (a run has a few).
func htmlNames(defined string) []string {
	if defined == "" {
		return catalog.HTMLBodies()
	}
	htmlLists.Lock()
	defer htmlLists.Unlock()
	if names, ok := htmlLists.m[defined]; ok {
		return names
	}
	names := append(slices.Clone(catalog.HTMLBodies()), strings.Split(defined, ",")...)
	slices.Sort(names)
	names = slices.Compact(names)
	htmlLists.m[defined] = names
	return names
}

var htmlLists = struct {
	sync.Mutex
	m map[string][]string
}{m: map[string][]string{}}

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

// textKey is what a search text depends on: a stored properties column
// and its type's HTML definitions (HTMLProperties).
type textKey struct{ props, html string }

// searchTexts holds the texts EncodeRecords worked out, by what they depend
// on, from UpsertEncoded until the search indexes them. A text depends on
// its key alone, so an entry is never wrong, whatever database or
// transaction reads it; one that is dropped is only computed again.
var searchTexts = struct {
	sync.Mutex
	m map[textKey]string
}{m: map[textKey]string{}}

// maxSearchTexts bounds searchTexts: a record rewritten with the same
// properties is not indexed again, and leaves its text behind until the
// next indexing (or forever, where the search index is stopped).
const maxSearchTexts = 10000

// searchTextEntry is a text EncodeRecords worked out.
type searchTextEntry struct {
	key  textKey
	text string
}

// rememberSearchTexts keeps texts for searchText.
func rememberSearchTexts(texts []searchTextEntry) {
	searchTexts.Lock()
	defer searchTexts.Unlock()
	if len(searchTexts.m)+len(texts) > maxSearchTexts {
		clear(searchTexts.m)
	}
	for _, t := range texts {
		searchTexts.m[t.key] = t.text
	}
}

// forgetSearchTexts empties searchTexts once what was pending is indexed:
// what is left belongs to records that were not.
func forgetSearchTexts() {
	searchTexts.Lock()
	defer searchTexts.Unlock()
	clear(searchTexts.m)
}

// searchText is the search text of a stored properties column of a type
// whose HTML definitions are html.
func searchText(props, html string) string {
	searchTexts.Lock()
	text, ok := searchTexts.m[textKey{props, html}]
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
	return string(appendSearchText(nil, m, keys, htmlNames(html)))
}

// sqlText reads a text argument of record_search_text; NULL is "" (a type
// with no HTML definitions).
func sqlText(v driver.Value, what string) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	case nil:
		return "", nil
	default:
		return "", fmt.Errorf("record_search_text: %s of type %T", what, v)
	}
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("record_search_text", 2,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			if args[0] == nil {
				return "", nil
			}
			props, err := sqlText(args[0], "properties")
			if err != nil {
				return nil, err
			}
			html, err := sqlText(args[1], "HTML properties")
			if err != nil {
				return nil, err
			}
			return searchText(props, html), nil
		})
}
