package reliability

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// complete extracts the portal into a database of the test's own and
// returns its path and data: the "already saved" that no bad input may
// lose.
func complete(t *testing.T, url string, clk *testkit.Clock) (string, snapshot) {
	t.Helper()
	path := filepath.Join(dir(t), "saved.db")
	if res := runEngine(t, path, url, clk); res.Status != store.StatusSucceeded {
		t.Fatalf("the first run: %s %s", res.Status, res.Error)
	}
	return path, snap(t, path)
}

// plain checks that a message is one a person can act on: no JSON, no
// HTTP jargon, no Go error chain.
func plain(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range []string{"{", "giving up", "HTTP ", "json:", "unexpected end", "panic", "goroutine"} {
		if strings.Contains(msg, bad) {
			t.Errorf("the message %q contains %q", msg, bad)
		}
	}
}

// TestMalformedKeys: keys that cannot be right are refused at once with a
// plain line (before any call when they cannot even be sent; after the
// one call HubSpot refuses otherwise), and the
// database keeps everything it held; a key pasted with a line break at its
// end is trimmed and works.
func TestMalformedKeys(t *testing.T) {
	suite(t, false)
	clk := testkit.NewClock(t0)
	var calls atomic.Int64
	fake := fakehub.New(portal(clk))
	url := testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fake.ServeHTTP(w, r)
	}))
	path, saved := complete(t, url, clk)
	for _, tc := range []struct {
		name, key string
		code      int
		say       string
		noCall    bool
	}{
		{"Spaces", "   ", 2, "the key is empty", true},
		{"InnerSpace", "hxr-7c1d5e09 RELIABILITY", 1, "did not accept the access token", false},
		{"Tab", "hxr\tkey", 1, "did not accept the access token", false},
		{"LineBreakInside", "hxr-7c1d\n5e09", 1, "line break", true},
		{"NonASCII", "hxr-tökén-ключ", 1, "did not accept the access token", false},
		{"PastedWithBearer", "Bearer " + secretToken, 1, "did not accept the access token", false},
		{"Wrong", "pat-na1-00000000-0000-0000-0000-000000000000", 1, "did not accept the access token", false},
		{"TooLong", strings.Repeat("k", 70<<10), 2, "not a HubSpot key", true},
		{"TrailingNewline", secretToken + "\n", 0, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &finding{Area: areaInput, Case: fmt.Sprintf("a malformed key: %s (%d characters)", strings.ToLower(tc.name), len(tc.key)), Inputs: 1}
			record(t, f)
			before := calls.Load()
			args := extractArgs(url, path, "--objects", "contacts")
			for i, a := range args {
				if a == secretToken {
					args[i] = tc.key
				}
			}
			code, stdout, stderr := runCLI(t, args...)
			f.Runs++
			last := lastLine(stderr)
			f.Outcome = last
			if code == 0 {
				f.Outcome = firstLine(stdout)
			}
			if code != tc.code || !strings.Contains(last, tc.say) {
				t.Errorf("exit %d, %q; want %d saying %q\nstdout:\n%s", code, last, tc.code, tc.say, stdout)
			}
			if code != 0 {
				plain(t, last)
				if strings.Contains(last, strings.TrimSpace(tc.key)) && len(strings.TrimSpace(tc.key)) > 4 {
					t.Errorf("the message repeats the key: %q", last)
				}
			}
			if n := calls.Load() - before; tc.noCall && n != 0 {
				t.Errorf("%d calls to HubSpot with a key that cannot be sent", n)
			}
			lost, _, sample := diff(pairsOnly(saved), pairsOnly(snap(t, path)))
			f.Lost = lost
			if lost != 0 {
				t.Errorf("%d bytes of what was saved lost:%s", lost, sample)
			}
			sound(t, path)
		})
	}
}

// rewriter passes calls on to the fake and rewrites the JSON answers of
// the calls that match: the n-th such answer (from 1) goes through edit.
type rewriter struct {
	next  http.Handler
	match func(*http.Request) bool
	edit  func(body map[string]any, n int)
	n     atomic.Int64
}

func (rw *rewriter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !rw.match(r) {
		rw.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	rw.next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		var doc map[string]any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&doc); err == nil {
			rw.edit(doc, int(rw.n.Add(1)))
			body, _ = json.Marshal(doc)
		}
	}
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// contactsList matches the active contacts list (either API version).
func contactsList(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/objects/") && strings.HasSuffix(r.URL.Path, "/contacts") &&
		r.URL.Query().Get("archived") != "true"
}

// resultsOf is the answer's list of records.
func resultsOf(body map[string]any) []any {
	rs, _ := body["results"].([]any)
	return rs
}

func props(rec any) map[string]any {
	m, _ := rec.(map[string]any)
	p, _ := m["properties"].(map[string]any)
	return p
}

// repeatID makes the contacts list send the first record of its first
// page again in place of the first of its second page.
func repeatID(fake http.Handler) http.Handler {
	var (
		mu    sync.Mutex // pages are answered on the server's goroutines
		first any
	)
	return &rewriter{next: fake, match: contactsList, edit: func(b map[string]any, n int) {
		mu.Lock()
		defer mu.Unlock()
		switch rs := resultsOf(b); {
		case n == 1 && len(rs) > 0:
			first = rs[0]
		case n == 2 && len(rs) > 0:
			rs[0] = first
		}
	}}
}

// htmlPage answers 200 with a web page, as a shop's site or a proxy does.
func htmlPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><html><head><title>Welcome</title></head><body><h1>Our shop</h1></body></html>")
}

// tenMB is a property value of ten megabytes: text, a few non-ASCII
// letters, quotes and a line break, so that nothing may cut or re-encode it.
var tenMB = strings.Repeat("Grüße, \"Zoë\"\n", (10<<20)/len("Grüße, \"Zoë\"\n")+1)[:10<<20]

// TestBadAnswers: answers HubSpot should never send, and a base URL that
// is not HubSpot, each end in a clear outcome: a run that succeeds with
// what it could read, or a failure in plain words naming what was wrong;
// nothing the database held before is lost, nothing is stored twice.
func TestBadAnswers(t *testing.T) {
	suite(t, false)
	for _, tc := range []struct {
		name, what string
		handler    func(fake http.Handler) http.Handler
		status     string // the run's status
		say        string // in the run's error ("" when it succeeded)
		warn       string // in one of its warnings
		fresh      bool   // into a new database rather than over a saved one
		// changesContacts: the case changes contacts' values on purpose, so
		// only the other rows must be as saved.
		changesContacts bool
		check           func(t *testing.T, path string) string
	}{
		{name: "NotHubSpot", what: "a base URL that is not HubSpot (a web site answering HTML pages)", status: "failed",
			say: "not HubSpot's API", handler: func(http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { htmlPage(w) })
			}},
		{name: "HTMLAnswer", what: "the contacts list answered with an HTML page (a proxy's), every time", status: "partial",
			say: "not HubSpot's API", handler: func(fake http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if contactsList(r) {
						htmlPage(w)
						return
					}
					fake.ServeHTTP(w, r)
				})
			}},
		{name: "ResultsNotAList", what: `JSON of unexpected types: "results" an object instead of a list`, status: "partial",
			say: "contacts", handler: func(fake http.Handler) http.Handler {
				return &rewriter{next: fake, match: contactsList, edit: func(b map[string]any, n int) { b["results"] = map[string]any{"id": "1"} }}
			}},
		{name: "PropertyAnObject", what: "JSON of unexpected types: a property value an object, another a number", status: "partial",
			say: "send the log file", changesContacts: true,
			handler: func(fake http.Handler) http.Handler {
				return &rewriter{next: fake, match: contactsList, edit: func(b map[string]any, n int) {
					if rs := resultsOf(b); n == 1 && len(rs) > 1 {
						props(rs[0])["firstname"] = map[string]any{"nested": true}
						props(rs[1])["firstname"] = json.Number("42")
					}
				}}
			}},
		{name: "IDANumber", what: "JSON of unexpected types: record ids as numbers, the paging cursor a number", status: "partial",
			say: "send the log file",
			handler: func(fake http.Handler) http.Handler {
				return &rewriter{next: fake, match: contactsList, edit: func(b map[string]any, n int) {
					for _, r := range resultsOf(b) {
						m := r.(map[string]any)
						m["id"] = json.Number(fmt.Sprint(m["id"]))
					}
					if p, ok := b["paging"].(map[string]any); ok {
						if next, ok := p["next"].(map[string]any); ok {
							next["after"] = json.Number(fmt.Sprint(next["after"]))
						}
					}
				}}
			}},
		{name: "TenMegabyteValue", what: "a property value of 10 MB", changesContacts: true,
			handler: func(fake http.Handler) http.Handler {
				return &rewriter{next: fake, match: contactsList, edit: func(b map[string]any, n int) {
					if rs := resultsOf(b); n == 1 && len(rs) > 0 {
						props(rs[0])["notes_big"] = tenMB
					}
				}}
			}, check: func(t *testing.T, path string) string {
				db := openRO(t, path)
				var n int64
				var v string
				err := db.QueryRow(`SELECT count(*), coalesce(max(properties ->> '$.notes_big'), '') FROM records WHERE properties ->> '$.notes_big' IS NOT NULL`).Scan(&n, &v)
				if err != nil || n != 1 || v != tenMB {
					t.Errorf("the 10 MB value: %d records hold it (%v), %d bytes stored; want one, whole", n, err, len(v))
				}
				return fmt.Sprintf("stored whole (%d bytes)", len(v))
			}},
		{name: "IDRepeatsAcrossPages", what: "a record id that repeats across pages (the first of page 1 again on page 2), over a saved database",
			handler: repeatID},
		{name: "IDRepeatsAcrossPagesFresh", what: "a record id that repeats across pages (the first of page 1 again on page 2), into a new database",
			fresh: true, warn: "HubSpot counts", handler: repeatID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &finding{Area: areaInput, Case: tc.what, Inputs: 1}
			record(t, f)
			clk := testkit.NewClock(t0)
			fake := fakehub.New(portal(clk))
			path, saved := filepath.Join(dir(t), "new.db"), snapshot{}
			if !tc.fresh {
				path, saved = complete(t, testkit.Serve(t, fake), clk)
				f.Runs++
			}
			url := testkit.Serve(t, tc.handler(fake))
			res := runEngineFull(t, path, url, clk)
			f.Runs++
			want := cmp.Or(tc.status, "succeeded")
			if string(res.Status) != want || !strings.Contains(res.Error, tc.say) {
				t.Errorf("run: %s %q; want %s saying %q", res.Status, res.Error, want, tc.say)
			}
			if res.Error != "" {
				plain(t, res.Error)
			}
			if tc.warn != "" && !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, tc.warn) }) {
				t.Errorf("warnings %q, want one saying %q", res.Warnings, tc.warn)
			}
			after := snap(t, path)
			lost, _, sample := diff(pairsOnly(saved), pairsOnly(after))
			if tc.changesContacts {
				lost = lostBesidesContacts(saved, after)
			}
			f.Lost = lost
			if lost != 0 {
				t.Errorf("%d bytes of what was saved lost:%s", lost, sample)
			}
			sound(t, path)
			f.Outcome = fmt.Sprintf("run %s", res.Status)
			if res.Error != "" {
				f.Outcome += ": " + res.Error
			}
			if len(res.Warnings) > 0 {
				f.Outcome += "; warned: " + strings.Join(res.Warnings, "; ")
			}
			if tc.check != nil {
				f.Outcome += "; " + tc.check(t, path)
			}
			t.Log(f.Outcome)
		})
	}
}

// lostBesidesContacts is what was lost outside the contacts' own rows,
// which the case changed on purpose.
func lostBesidesContacts(saved, after snapshot) int64 {
	a, b := snapshot{}, snapshot{}
	for table, rows := range pairsOnly(saved) {
		a[table] = map[string]bool{}
		for r := range rows {
			if !strings.HasPrefix(r, "string:contacts\x1f") {
				a[table][r] = true
			}
		}
	}
	for table, rows := range pairsOnly(after) {
		b[table] = rows
	}
	lost, _, _ := diff(a, b)
	return lost
}
