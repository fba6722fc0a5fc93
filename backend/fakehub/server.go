// Package fakehub is a fake HubSpot: an http.Handler that speaks the real
// endpoints, query parameters, bodies and JSON shapes the extractor reads,
// enforces HubSpot's limits as HubSpot does (page sizes, the 10,000 search
// cap, batch sizes, the rolling rate windows), injects seeded faults, and
// serves data generated from a seed at any scale together with the ground
// truth a complete extraction must reproduce. It powers tests, benchmarks,
// the demo mode and `hubextract fakehub`.
//
// It owns only the fake server. It must not import backend/hubspot: it
// writes HubSpot's JSON itself, so the client decoding it is a real test.
package fakehub

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hubextract/backend/clock"
)

// Config shapes one fake portal. The zero value is a usable demo portal.
type Config struct {
	Token string // accepted bearer token; "demo-token" when empty
	Seed  int64  // data and fault seed
	Scale int    // records per CRM/engagement type (default 2000); archived records are extra (~2%)
	// Sizes overrides Scale for the types it names (plural, singular or
	// objectTypeId → active records; 0 makes the type empty; the custom
	// type by "projects", its objectTypeId or fullyQualifiedName). Use
	// RealisticSizes for an account's uneven sizes.
	Sizes map[string]int
	// Growth spreads records' create dates (and so activities'
	// hs_timestamp) so that later months hold more than earlier ones, as in
	// a growing account; without it they are spread evenly.
	Growth                 bool
	ExtraProperties        int   // custom properties per type beyond the built-ins (600 makes 414 tests)
	InlineAssociationLimit int   // inline association page on list (default 100, HubSpot's since 2021)
	AssociationPageSize    int   // v4 associations page per input (default 500)
	Forms                  int   // number of forms (default 12)
	FormSubmissionCounts   []int // optional exact submission count per form, e.g. {0,1,50,51,500}
	EmailEvents            int   // marketing email events (default 5000)
	RatePer10s             int   // rolling 10 s limit before 429 (0 = unlimited)
	SearchRatePerSec       int   // search endpoints' own limit (0 = unlimited)
	SearchResultCap        int   // results one search query can page through (default 10,000, HubSpot's); tests lower it
	DailyLimit             int   // 0 = unlimited; past it 429 with policyName DAILY
	RetryAfter             bool  // send Retry-After on 429 (HubSpot often does not)
	Latency, Jitter        time.Duration
	SlowDelay              time.Duration // extra delay of the "slow" fault (default 10 s)
	Faults                 Faults
	Clock                  clock.Clock // nil = real clock
	// HideDated answers every date-based path (DatedVersion) as a route no
	// API serves, from the start: a portal with only the legacy paths.
	HideDated bool
	// ChargeExempt counts the calls the descriptions exempt from the
	// ten-second limit (searches, the date-based associations batch read)
	// in the ten-second window too, as the fake did before exemptions.
	ChargeExempt bool
	// CustomObjects gives the portal its custom object type, "projects"
	// (custom.go), and lists its schema on the object schemas endpoint.
	// Off, the type does not exist and the schemas list is empty; on or
	// off, the standard types' data are the same.
	CustomObjects bool
}

const (
	defaultToken       = "demo-token"
	defaultScale       = 2000
	defaultInlineLimit = 100
	defaultV4Page      = 500
	defaultForms       = 12
	defaultEmailEvents = 5000
	defaultSlowDelay   = 10 * time.Second
	maxBody            = 1 << 20
)

// Server is the fake HubSpot. It is safe for concurrent use.
type Server struct {
	cfg Config
	clk clock.Clock
	ds  *dataset
	mux *http.ServeMux

	mu           sync.RWMutex // guards st, deny, sensDeny, hideAll and hidePrefixes
	st           *state
	deny         map[string]string // object type (or "forms", "owners"...) → missing scope
	sensDeny     map[sensKey]bool  // sensitivity levels whose scope the key lacks, per type
	hideAll      bool              // every date-based path answers a bare 404
	hidePrefixes []string          // date-based paths under these answer a bare 404

	limits limiter
	faults faultState
	stats  statsState
	corr   atomic.Uint64
}

// New builds a fake portal; generation is deterministic for cfg.Seed and the
// clock's current time.
func New(cfg Config) *Server {
	if cfg.Token == "" {
		cfg.Token = defaultToken
	}
	if cfg.Scale <= 0 {
		cfg.Scale = defaultScale
	}
	if cfg.InlineAssociationLimit <= 0 {
		cfg.InlineAssociationLimit = defaultInlineLimit
	}
	if cfg.AssociationPageSize <= 0 {
		cfg.AssociationPageSize = defaultV4Page
	}
	if cfg.Forms <= 0 {
		cfg.Forms = defaultForms
	}
	cfg.Forms = max(cfg.Forms, len(cfg.FormSubmissionCounts))
	if cfg.EmailEvents <= 0 {
		cfg.EmailEvents = defaultEmailEvents
	}
	if cfg.SearchResultCap <= 0 {
		cfg.SearchResultCap = searchMaxResults
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = defaultSlowDelay
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	s := &Server{cfg: cfg, clk: cfg.Clock, deny: map[string]string{}, sensDeny: map[sensKey]bool{}, hideAll: cfg.HideDated}
	s.ds, s.st = generate(cfg, cfg.Clock.Now())
	s.limits.init(cfg)
	s.faults.init(cfg.Faults, cfg.Seed)
	s.stats.reset()
	s.routes()
	return s
}

// response is a handler's complete answer, written (or cut) by ServeHTTP.
type response struct {
	status int
	body   []byte
	ctype  string
	header http.Header
}

// ctypeNone sends no Content-Type (an empty body).
const ctypeNone = "-"

type handler func(r *http.Request) *response

// route is one endpoint: its pattern (the stats key), what it touches (for
// DenyScope) and how it is named in Stats.ByType (the same name in both
// path families).
type route struct {
	pattern string
	dated   bool // a date-based path (DatedVersion); HideDated can hide it
	search  bool // search answers carry no rate-limit headers and have their own limit
	exempt  bool // not counted in the ten-second window (unless Config.ChargeExempt)
	label   func(r *http.Request) string
	touches func(r *http.Request) []string
	h       handler
}

// capture is the ResponseWriter handed to the mux only to learn which route
// matched (with the request carrying its path values).
type capture struct {
	rt  *route
	req *http.Request
	hdr http.Header
}

func (c *capture) Header() http.Header {
	if c.hdr == nil {
		c.hdr = http.Header{}
	}
	return c.hdr
}
func (c *capture) Write(b []byte) (int, error) { return len(b), nil }
func (c *capture) WriteHeader(int)             {}

func (s *Server) handle(rt *route) {
	s.mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
		c := w.(*capture)
		c.rt, c.req = rt, r
	})
}

var notFoundRoute = &route{pattern: "other", label: func(*http.Request) string { return "other" }}

// ServeHTTP answers one call the way HubSpot would: latency, auth, limits,
// faults, scopes, then the endpoint itself.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/__stats" {
		s.serveStats(w)
		return
	}
	c := &capture{}
	s.mux.ServeHTTP(c, r)
	rt, req := c.rt, c.req
	if rt == nil || s.hidden(rt, r.URL.Path) {
		rt, req = notFoundRoute, r
	}
	s.stats.begin(rt, req)
	if err := s.sleep(req.Context(), s.latency()); err != nil {
		s.stats.end(0, true, false)
		return
	}
	resp, noHeaders := s.gate(req, rt)
	fault := Fault("")
	if resp == nil {
		fault = s.faults.draw(req.URL.Path)
		switch fault {
		case FaultDrop:
			s.stats.end(0, true, false)
			dropConnection(w)
			return
		case FaultSlow:
			if err := s.sleep(req.Context(), s.cfg.SlowDelay); err != nil {
				s.stats.end(0, true, false)
				return
			}
		case FaultCut, "":
		default:
			resp = s.faultResponse(fault, rt.search)
		}
	}
	if resp == nil {
		resp = s.checkScopes(req, rt)
	}
	if resp == nil {
		if rt.h == nil {
			// HubSpot's gateway answers a route no API serves with a bare
			// 404; a missing object gets a JSON OBJECT_NOT_FOUND instead.
			resp = &response{status: http.StatusNotFound, ctype: ctypeNone}
		} else {
			s.mu.RLock()
			resp = rt.h(req)
			s.mu.RUnlock()
		}
	}
	if !noHeaders {
		s.limits.headers(w.Header(), s.clk.Now())
	}
	s.write(w, resp, fault == FaultCut)
	dated404 := rt == notFoundRoute && resp.status == http.StatusNotFound && strings.Contains(r.URL.Path, "/"+DatedVersion)
	s.stats.end(resp.status, fault == FaultCut || fault == FaultNotJSON, dated404)
}

func (s *Server) write(w http.ResponseWriter, resp *response, cut bool) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	switch ctype := resp.ctype; ctype {
	case "":
		h.Set("Content-Type", "application/json;charset=utf-8")
	case ctypeNone:
	default:
		h.Set("Content-Type", ctype)
	}
	h.Set("Content-Length", itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	body := resp.body
	if cut { // the declared length is never reached: the client sees the body end early
		body = body[:len(body)/2]
	}
	_, _ = w.Write(body)
}

func (s *Server) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	return s.clk.Sleep(ctx, d)
}

// view returns the live data; callers hold s.mu.
func (s *Server) view() view { return view{ds: s.ds, st: s.st} }
