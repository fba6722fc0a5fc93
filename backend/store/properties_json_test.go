package store

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"
)

// TestPropertiesJSON checks the hand-written codec against encoding/json:
// the same bytes written, the same map read back, and for stored text of
// another shape (whitespace, escapes it never writes) the same outcome as
// json.Unmarshal.
func TestPropertiesJSON(t *testing.T) {
	s := func(v string) *string { return &v }
	maps := []map[string]*string{
		nil,
		{},
		{"email": s("a@example.com"), "firstname": nil, "n": s("")},
		{"html": s(`<b>"quoted" & 'single'</b>`), "ctl": s("tab\there\nline\r\x00\x01\x1f\b\f\\end")},
		{"utf8": s("José Zürich 東京 🎉"), "seps": s("a\u2028b\u2029c"), "bad": s("x\xffy\xc3")},
		{"ключ": s("значение"), "": s("empty key"), "a\"b": s("/slash/")},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09 <>&\"\\/\t\n\r\x00\x1féü東🎉\u2028\ufffd")
	for range 200 {
		m := map[string]*string{}
		for range rng.IntN(8) {
			k := make([]rune, rng.IntN(6))
			for i := range k {
				k[i] = alphabet[rng.IntN(len(alphabet))]
			}
			if rng.IntN(4) == 0 {
				m[string(k)] = nil
				continue
			}
			v := make([]rune, rng.IntN(12))
			for i := range v {
				v[i] = alphabet[rng.IntN(len(alphabet))]
			}
			m[string(k)] = s(string(v))
		}
		maps = append(maps, m)
	}
	var d propsDecoder
	for i, m := range maps {
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			want = []byte("{}") // UpsertRecords stores a nil map as {}
		}
		got, _ := appendProperties(nil, m, nil)
		if string(got) != string(want) {
			t.Fatalf("map %d: wrote %s, want %s", i, got, want)
		}
		back, err := d.decode(string(got))
		if err != nil {
			t.Fatalf("map %d: read %s: %v", i, got, err)
		}
		var ref map[string]*string
		if err := json.Unmarshal(got, &ref); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, ref) {
			t.Fatalf("map %d: read %s as %v, want %v", i, got, back, ref)
		}
	}
	for _, text := range []string{
		`{ "a" : "b" , "c": null }`,
		`{"a":"\ud83c\udf89 \ud800 \u00e9 \u00E9"}`,
		`{"a":"b","a":"c"}`,
		`{"a":1}`,
		`{"a":"b"`,
		`{"a":"b"}x`,
		`[]`,
		``,
		`{"a":"raw ` + "\x01" + `"}`,
		`{"a":"\x"}`,
		`{"a":"bad ` + "\xff" + `"}`,
	} {
		got, gotErr := d.decode(text)
		var want map[string]*string
		wantErr := json.Unmarshal([]byte(text), &want)
		// On an error the caller drops the map, so only the error counts.
		if (gotErr != nil) != (wantErr != nil) || (wantErr == nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("decode %q = %v, %v; json.Unmarshal: %v, %v", text, got, gotErr, want, wantErr)
		}
	}
}

// TestAssocTypesJSON: association types are written as json.Marshal
// writes them.
func TestAssocTypesJSON(t *testing.T) {
	for _, types := range [][]AssocType{
		nil,
		{},
		{{Category: "HUBSPOT_DEFINED", TypeID: 1}},
		{{Category: "USER_DEFINED", TypeID: -7, Label: `Buyer <"decision" & co>`}, {Category: "x\u2028", TypeID: 1 << 40, Label: "Zoë"}},
	} {
		want, err := json.Marshal(types)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendAssocTypes(nil, types); string(got) != string(want) {
			t.Errorf("wrote %s, want %s", got, want)
		}
	}
}

// TestPropertiesColumns: values land in the columns of their names, in the
// shape the store writes and in any other JSON (read by encoding/json).
func TestPropertiesColumns(t *testing.T) {
	index := map[string]int{"a": 0, "b": 1, "c": 2}
	for _, tt := range []struct {
		text string
		want []string // "<nil>" for no value
	}{
		{`{"a":"1","b":null,"z":"x"}`, []string{"1", "<nil>", "<nil>"}},
		{`{"c":"<\u00e9>\n"}`, []string{"<nil>", "<nil>", "<é>\n"}},
		{`{ "a" : "spaced", "c": "\ud83c\udf89" }`, []string{"spaced", "<nil>", "🎉"}},
		{`{}`, []string{"<nil>", "<nil>", "<nil>"}},
	} {
		var d propsDecoder
		out := make([]*string, 3)
		vals := make([]string, 3)
		if err := d.columns(tt.text, newColumnIndex(index), out, vals); err != nil {
			t.Fatalf("%s: %v", tt.text, err)
		}
		for i, w := range tt.want {
			got := "<nil>"
			if out[i] != nil {
				got = *out[i]
			}
			if got != w {
				t.Errorf("%s: column %d = %q, want %q", tt.text, i, got, w)
			}
		}
	}
	var d propsDecoder
	if err := d.columns(`{"a":1}`, newColumnIndex(index), make([]*string, 3), make([]string, 3)); err == nil {
		t.Error("a number read as a value")
	}
}

// TestPropertiesColumnsMatchDecode: for the shape the store writes and for
// text of other shapes (keys out of order or repeated, escapes in keys and
// values, nulls after values), every column holds what the decoded map
// holds under its name, whichever of its paths columns takes.
func TestPropertiesColumnsMatchDecode(t *testing.T) {
	texts := []string{
		`{"a":"b","a":"c"}`,
		`{"a":"\u0026","a":"plain"}`,
		`{"a":"plain","a":"\u0026"}`,
		`{"a":"\u0026","a":null}`,
		`{"a":"\u0026","a":"\u003c"}`,
		`{"c":"3","a":"1","b":"2"}`,
		`{"b":"2","\u0061":"1","c":"\n"}`,
		`{"":"empty","a":"1"}`,
		`{"zz":"x","a\"b":"q","é":"\u00e9","東":"京"}`,
		`{"a":"bad ` + "\xff" + `"}`,
		`{"a":"1",}`,
		`{"a":"1"`,
		`{"a":"1"}}`,
		`{"a":"1","b"}`,
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("ab\"\\<&\n\x01é東\u2028")
	for range 300 {
		m := map[string]*string{}
		for range rng.IntN(6) {
			k := string(alphabet[rng.IntN(len(alphabet))])
			if rng.IntN(4) == 0 {
				m[k] = nil
				continue
			}
			v := make([]rune, rng.IntN(5))
			for i := range v {
				v[i] = alphabet[rng.IntN(len(alphabet))]
			}
			s := string(v)
			m[k] = &s
		}
		b, _ := appendProperties(nil, m, nil)
		texts = append(texts, string(b))
	}
	names := []string{"", "a", "b", "c", "zz", "a\"b", "é", "東", "<", "\n", "\x01", "\u2028", "&", "\\"}
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	cols := newColumnIndex(index)
	var d propsDecoder
	for _, text := range texts {
		out := make([]*string, len(names))
		vals := make([]string, len(names))
		err := d.columns(text, cols, out, vals)
		var want map[string]*string
		wantErr := json.Unmarshal([]byte(text), &want)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("columns(%q): error %v, json.Unmarshal %v", text, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		for i, n := range names {
			if got, w := out[i], want[n]; (got == nil) != (w == nil) || got != nil && *got != *w {
				t.Errorf("columns(%q): %q = %v, want %v", text, n, deref(got), deref(w))
			}
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return strconv.Quote(*s)
}

// FuzzPlainString compares plainString's word-at-a-time scan with the
// plain byte-by-byte reading of a JSON string's end.
func FuzzPlainString(f *testing.F) {
	for _, s := range []string{`"abc"`, `"0123456789abcdef\"x"`, `"é long enough text to pass a word"`, "\"ctl\x01 in a longer value\"",
		`"back\\slash in a longer value"`, `"unterminated and long enough`, "\"bad \xff utf-8 here at length\"", `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || s[0] != '"' {
			return
		}
		wantJ, wantPlain := len(s), false
	scan:
		for j := 1; j < len(s); j++ {
			switch b := s[j]; {
			case b == '"':
				wantJ, wantPlain = j, utf8.ValidString(s[1:j])
				break scan
			case b == '\\' || b < 0x20:
				wantJ = j
				break scan
			}
		}
		if j, plain := plainString(s, 0); j != wantJ || plain != wantPlain {
			t.Errorf("plainString(%q) = %d, %v; want %d, %v", s, j, plain, wantJ, wantPlain)
		}
	})
}
