package fakehub

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"hubextract/backend/testkit"
)

// t0 is the fake clock's start in every test: generation depends on it.
var t0 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

type fixture struct {
	t     *testing.T
	s     *Server
	base  string
	clk   *testkit.Clock
	token string
	http  *http.Client
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	clk := testkit.NewClock(t0)
	if cfg.Clock == nil {
		cfg.Clock = clk
	}
	s := New(cfg)
	base := testkit.Serve(t, s)
	tok := cfg.Token
	if tok == "" {
		tok = defaultToken
	}
	return &fixture{t: t, s: s, base: base, clk: clk, token: tok,
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
}

// with rebinds the fixture to a subtest's t.
func (f *fixture) with(t *testing.T) *fixture {
	c := *f
	c.t = t
	return &c
}

// short trims a body for failure messages.
func short(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

type reply struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (f *fixture) do(method, path string, body any) reply {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.base+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if f.token != "" {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.http.Do(req)
	if err != nil {
		return reply{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: raw, err: err}
}

// ok does a call that must answer 200 (or 207) and decodes its body.
func (f *fixture) ok(method, path string, body any, into any) reply {
	f.t.Helper()
	r := f.do(method, path, body)
	if r.err != nil {
		f.t.Fatalf("%s %s: %v", method, path, r.err)
	}
	if r.status != http.StatusOK && r.status != http.StatusMultiStatus {
		f.t.Fatalf("%s %s: status %d: %s", method, path, r.status, short(r.body))
	}
	if into != nil {
		dec := json.NewDecoder(bytes.NewReader(r.body))
		dec.UseNumber()
		if err := dec.Decode(into); err != nil {
			f.t.Fatalf("%s %s: decode: %v\n%s", method, path, err, short(r.body))
		}
	}
	return r
}

// fails does a call that must answer status with HubSpot's error body.
func (f *fixture) fails(method, path string, body any, status int) errorBody {
	f.t.Helper()
	r := f.do(method, path, body)
	if r.err != nil {
		f.t.Fatalf("%s %s: %v", method, path, r.err)
	}
	if r.status != status {
		f.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, short(r.body))
	}
	var eb errorBody
	if err := json.Unmarshal(r.body, &eb); err != nil {
		f.t.Fatalf("%s %s: error body is not JSON: %s", method, path, short(r.body))
	}
	if eb.Status != "error" || eb.Message == "" || eb.Category == "" || len(eb.CorrelationID) != 36 {
		f.t.Fatalf("%s %s: error body lacks status/message/category/correlationId: %s", method, path, short(r.body))
	}
	return eb
}

// Shapes decoded by the tests, written from hubspot-api.md.
type objectPage struct {
	Results []struct {
		ID           string             `json:"id"`
		Properties   map[string]*string `json:"properties"`
		CreatedAt    time.Time          `json:"createdAt"`
		UpdatedAt    time.Time          `json:"updatedAt"`
		Archived     bool               `json:"archived"`
		ArchivedAt   *time.Time         `json:"archivedAt"`
		Associations map[string]struct {
			Results []struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"results"`
			Paging *pagingShape `json:"paging"`
		} `json:"associations"`
	} `json:"results"`
	Total  *int         `json:"total"`
	Paging *pagingShape `json:"paging"`
}

type pagingShape struct {
	Next struct {
		After string `json:"after"`
		Link  string `json:"link"`
	} `json:"next"`
}

func (p *pagingShape) after() string {
	if p == nil {
		return ""
	}
	return p.Next.After
}

// typeByName resolves a standard type's name (-1 when unknown).
func typeByName(name string) int {
	t, ok := typeIndex(name)
	if !ok {
		return -1
	}
	return t
}
