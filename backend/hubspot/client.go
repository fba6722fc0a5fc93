// Package hubspot is the HTTP client for HubSpot's read APIs: typed reads,
// pagination, both rate limiters, retries with backoff and the errors a
// caller branches on. It owns nothing but the wire: it must not touch
// storage, decide what to extract, or import backend/fakehub outside tests.
// The access token lives only in the Authorization header; it never reaches
// a log line, an error or a CallInfo.
package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"hubextract/backend/clock"
)

// Body size bounds: a success body is decoded whole (a page of 100 records
// with hundreds of properties is a few MiB); an error body only needs its
// message.
const (
	maxBodyBytes      = 256 << 20
	maxErrorBodyBytes = 4 << 20
)

// errBodyTooLarge: asking again would bring the same oversized body.
var errBodyTooLarge = fmt.Errorf("response body larger than %d MiB", maxBodyBytes>>20)

// errResent marks, for the Observer, a request net/http sent again on its own
// after a reused connection failed: a call on the wire like any other.
var errResent = errors.New("connection failed before an answer; resent by the HTTP client")

// Client talks to one HubSpot account. It is safe for concurrent use; all
// goroutines share its limiters.
type Client struct {
	base     string
	http     *http.Client
	clock    clock.Clock
	retry    RetryPolicy
	limits   *limits
	observer Observer
	log      *slog.Logger

	// The token is captured in these closures rather than kept in a field,
	// so printing a Client (%+v) can never show it.
	auth   func(http.Header)
	redact func(string) string

	calls   atomic.Int64
	retries atomic.Int64
	zone    *atomic.Pointer[time.Location] // account time zone, once known; shared by sessions
	// misconfigured is the cause of the first failure that comes from the
	// client's own key or address, its certificate included: every later
	// call of this client (a session: of this job) fails with it at once,
	// without waiting for the limiter or the network. Each session starts
	// afresh, so a job after a captive portal's certificate tries again.
	misconfigured *atomic.Pointer[string]
	// parent is the account's client a session was taken from: its counters
	// and observer see the session's calls too.
	parent *Client

	version      APIVersion
	chargeExempt bool
	// fallback marks the operations whose date-based route HubSpot did not
	// serve: they take the legacy route for the rest of the session.
	fallback *[numOps]atomic.Bool
}

// Observer receives one CallInfo after every HTTP attempt (for counting and
// progress); a Session has one. It is called from the goroutine that made
// the call.
type Observer interface{ ObserveCall(CallInfo) }

// CallInfo describes one HTTP attempt.
type CallInfo struct {
	Method   string
	Path     string // URL path only: no query, no token
	Endpoint string // e.g. "list contacts", "search deals", "associations contacts→companies"
	Status   int    // 0 when no response arrived
	Attempt  int    // 1 for the first try
	Duration time.Duration
	Err      error // nil on success
	// WillRetry is true when another attempt follows after Wait.
	WillRetry bool
	Wait      time.Duration
	// Exempt: the call was not charged to the ten-second budget (its
	// operation is exempt and the client honours exemptions).
	Exempt bool
	// Dated: Path is a date-based route.
	Dated bool
	// FallbackTo is set, once per operation and session, on the attempt
	// whose 404 showed that HubSpot does not serve the date-based route: the
	// legacy path the session calls instead from then on.
	FallbackTo string
}

// New builds a client for the private-app token.
func New(token string, opts ...Option) *Client {
	cfg := config{
		baseURL:    DefaultBaseURL,
		ratePer10s: DefaultRatePer10s,
		searchRate: DefaultSearchRate,
		clock:      clock.Real{},
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.version == "" {
		cfg.version = DefaultAPIVersion
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ratePer10s <= 0 {
		cfg.ratePer10s = DefaultRatePer10s
	}
	// Written as "not above 0" so that NaN, which compares false with
	// everything (and once made the limiter spin), gets the default too,
	// as does +Inf, which would be no limit at all.
	if !(cfg.searchRate > 0) || math.IsInf(cfg.searchRate, 1) {
		cfg.searchRate = DefaultSearchRate
	}
	// A key pasted or read from a file often brings a line break along:
	// it is never part of the key.
	token = strings.TrimSpace(token)
	bearer := "Bearer " + token
	return &Client{
		zone:          new(atomic.Pointer[time.Location]),
		misconfigured: new(atomic.Pointer[string]),
		version:       cfg.version,
		chargeExempt:  cfg.chargeExempt,
		fallback:      new([numOps]atomic.Bool),
		base:          strings.TrimRight(cfg.baseURL, "/"),
		http:          defaultHTTPClient(),
		clock:         cfg.clock,
		retry:         DefaultRetryPolicy(),
		limits:        newLimits(cfg.clock, cfg.logger, cfg.ratePer10s, cfg.searchRate),
		log:           cfg.logger,
		auth:          func(h http.Header) { h.Set("Authorization", bearer) },
		redact: func(s string) string {
			if token == "" {
				return s
			}
			return strings.ReplaceAll(s, token, "[redacted]")
		},
	}
}

// Session returns a client for one job (an extraction, a connection test,
// an estimate) that shares c's connections, limiters, clock and account
// time zone, so that every job of one account spends the one budget HubSpot
// gives it, while counting its own calls and retries and reporting them to
// obs (nil: none) as well as to c's observer. A zero retry keeps c's policy.
func (c *Client) Session(obs Observer, retry RetryPolicy) *Client {
	s := &Client{base: c.base, http: c.http, clock: c.clock, retry: c.retry, limits: c.limits, observer: obs,
		log: c.log, auth: c.auth, redact: c.redact, zone: c.zone, misconfigured: new(atomic.Pointer[string]), parent: c,
		version: c.version, chargeExempt: c.chargeExempt, fallback: new([numOps]atomic.Bool)}
	if retry != (RetryPolicy{}) {
		s.retry = retry.withDefaults()
	}
	return s
}

// RatePer10s is the account's budget the client keeps under, in calls per
// rolling 10 s (see WithRateLimit).
func (c *Client) RatePer10s() int { return int(c.limits.configured.calls) }

// ChargesExempt reports whether the client charges every call to the
// ten-second budget (ChargeExemptCalls): exempt budgets then buy nothing.
func (c *Client) ChargesExempt() bool { return c.chargeExempt }

// APIVersion is the version of HubSpot's API the client calls.
func (c *Client) APIVersion() APIVersion { return c.version }

// routeRequest sets the attempt's method, path and limits from the
// operation's route in the client's version, the legacy one once the
// session fell back.
func (c *Client) routeRequest(rq *request) {
	o := &operations[rq.op]
	r, v := o.route(c.version)
	rq.dated = v != VersionLegacy
	if rq.dated && c.fallback[rq.op].Load() {
		r, rq.dated = o.Legacy, false
	}
	rq.method, rq.path = o.Method, fill(r.Path, rq.args)
	rq.exempt = r.Exempt && !c.chargeExempt
	rq.search = rq.op == opSearchObjects
}

// pathOf is the path the next call of an operation goes to.
func (c *Client) pathOf(o op, args ...string) string {
	rq := &request{op: o, args: args}
	c.routeRequest(rq)
	return rq.path
}

// Clock is the clock the client limits, backs off and stamps with.
func (c *Client) Clock() clock.Clock { return c.clock }

// Calls is the number of HTTP requests put on the wire so far: every
// attempt, retries included, and the resends net/http makes on its own;
// a client's count includes its sessions'.
func (c *Client) Calls() int64 { return c.calls.Load() }

// countCall and countRetry add to c's counters and its parent's.
func (c *Client) countCall() {
	for x := c; x != nil; x = x.parent {
		x.calls.Add(1)
	}
}

func (c *Client) countRetry() {
	for x := c; x != nil; x = x.parent {
		x.retries.Add(1)
	}
}

// Retries is the number of attempts that were retries.
func (c *Client) Retries() int64 { return c.retries.Load() }

// request is one logical call; do may send it several times.
type request struct {
	endpoint string
	op       op
	args     []string // the path's placeholders, in order
	query    string   // raw query, never shown (it can be 12,000 characters)
	body     []byte   // JSON for POST

	// Set by do for each attempt, from the operation's route.
	method string
	path   string // escaped URL path, shown in errors and CallInfo
	dated  bool   // path is a date-based route (it may fall back)
	exempt bool   // not charged to the ten-second budget
	search bool   // also waits on the search limiter
}

// getJSON and postJSON run one call and decode its JSON answer into out.
func (c *Client) getJSON(ctx context.Context, endpoint string, o op, args []string, query string, out any) error {
	return c.do(ctx, &request{endpoint: endpoint, op: o, args: args, query: query}, out)
}

func (c *Client) postJSON(ctx context.Context, endpoint string, o op, args []string, query string, in any, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", endpoint, err)
	}
	return c.do(ctx, &request{endpoint: endpoint, op: o, args: args, query: query, body: body}, out)
}

// do sends rq until it succeeds, fails for good, or runs out of attempts,
// and decodes the successful answer into out.
func (c *Client) do(ctx context.Context, rq *request, out any) error {
	bo := c.newBackOff()
	for attempt := 1; ; attempt++ {
		c.routeRequest(rq)
		if cause := c.misconfigured.Load(); cause != nil {
			e := &APIError{Method: rq.method, Path: rq.path, Message: "not sent: an earlier call failed for the same reason", Attempts: attempt - 1}
			return &TransportError{APIError: e, Cause: *cause}
		}
		if err := c.limits.wait(ctx, rq.search, rq.exempt); err != nil {
			return fmt.Errorf("%s %s: %w", rq.method, rq.path, err)
		}
		start := c.clock.Now()
		status, header, body, onWire, err := c.send(ctx, rq, attempt)
		elapsed := c.clock.Now().Sub(start)
		if !onWire && ctx.Err() != nil {
			// Stopped before the request left: HubSpot saw no call.
			return fmt.Errorf("%s %s: %w", rq.method, rq.path, ctx.Err())
		}
		c.countCall()

		var o outcome
		if err != nil {
			o = c.classifyTransport(ctx, rq, status, err)
		} else {
			c.limits.observe(header)
			o = c.classifyResponse(rq, status, header, body, out)
		}
		if o.routeMissing && rq.dated {
			// HubSpot does not serve this date-based route (yet, or for
			// this account): the legacy one for the rest of the session.
			// The legacy call is the same attempt: nothing failed that a
			// retry would heal.
			legacy := fill(operations[rq.op].Legacy.Path, rq.args)
			told := ""
			if c.fallback[rq.op].CompareAndSwap(false, true) {
				told = legacy
			}
			c.observe(rq, attempt, status, elapsed, o.err, false, 0, told)
			if told != "" {
				c.log.Warn("hubspot date-based route not found; using the legacy route", "operation", operations[rq.op].Name,
					"path", rq.path, "legacy", legacy)
			}
			attempt--
			continue
		}
		if o.err == nil {
			c.observe(rq, attempt, status, elapsed, nil, false, 0, "")
			c.log.Debug("hubspot call", "endpoint", rq.endpoint, "method", rq.method, "path", rq.path,
				"status", status, "attempt", attempt, "duration", elapsed)
			if o.decodeErr != nil {
				return fmt.Errorf("%s %s: decode response: %w", rq.method, rq.path, o.decodeErr)
			}
			return nil
		}
		if ctx.Err() != nil {
			o.retry = false
		}
		willRetry := o.retry && attempt < c.retry.MaxAttempts
		var wait time.Duration
		if willRetry {
			wait = waitFor(o, bo)
		}
		if o.api != nil {
			o.api.Attempts = attempt
		}
		if willRetry && (o.holdGeneral || o.holdSearch) {
			c.limits.holdFor(o.holdSearch, wait)
		}
		c.observe(rq, attempt, status, elapsed, o.err, willRetry, wait, "")
		if !willRetry {
			if ctx.Err() != nil {
				return fmt.Errorf("%s %s: %w", rq.method, rq.path, ctx.Err())
			}
			c.log.Warn("hubspot call failed", "endpoint", rq.endpoint, "method", rq.method, "path", rq.path,
				"status", status, "attempts", attempt, "correlationId", correlationOf(o), "error", o.err.Error())
			return o.err
		}
		c.log.Warn("hubspot call failed, retrying", "endpoint", rq.endpoint, "method", rq.method, "path", rq.path,
			"status", status, "attempt", attempt, "wait", wait, "correlationId", correlationOf(o), "error", o.err.Error())
		c.countRetry()
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s %s: %w", rq.method, rq.path, err)
		}
	}
}

// send makes one HTTP attempt and reads the body. A non-nil error means no
// complete answer (status is set when the headers did arrive); the bool says
// whether the request got as far as a connection, and so may have reached
// HubSpot and counts as a call.
func (c *Client) send(ctx context.Context, rq *request, attempt int) (int, http.Header, []byte, bool, error) {
	u := c.base + rq.path
	if rq.query != "" {
		u += "?" + rq.query
	}
	var rd io.Reader
	if rq.body != nil {
		rd = bytes.NewReader(rq.body)
	}
	ctx, cancel := context.WithTimeout(ctx, c.retry.AttemptTimeout)
	defer cancel() // after the body is read
	// net/http silently resends a GET whose reused connection failed before
	// answering; each connection it takes is one request on the wire, so
	// count the resends, tell the observer, and charge them to the limiter.
	var conns atomic.Int32
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		if conns.Add(1) > 1 {
			c.countCall()
			if !rq.exempt {
				c.limits.charge()
			}
			c.observe(rq, attempt, 0, 0, errResent, false, 0, "")
		}
	}})
	req, err := http.NewRequestWithContext(ctx, rq.method, u, rd)
	if err != nil {
		return 0, nil, nil, conns.Load() > 0, err
	}
	c.auth(req.Header)
	req.Header.Set("Accept", "application/json")
	if rq.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, conns.Load() > 0, err
	}
	defer resp.Body.Close()
	limit := int64(maxBodyBytes)
	if resp.StatusCode >= 300 {
		limit = maxErrorBodyBytes
	}
	body, err := readBody(resp, limit+1)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, true, err
	}
	if int64(len(body)) > limit {
		if resp.StatusCode < 300 {
			return resp.StatusCode, resp.Header, nil, true, errBodyTooLarge
		}
		body = body[:limit] // the message is at the start; closing drops the rest
	}
	return resp.StatusCode, resp.Header, body, true, nil
}

// readBody reads at most limit bytes of resp's body into a buffer sized
// from its Content-Length where it has one: growing the buffer as
// io.ReadAll does allocated an eighth of an unthrottled run's memory.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	size := min(bodyStart, limit)
	if n := resp.ContentLength; n > 0 {
		size = min(n, limit) + bytes.MinRead // ReadFrom grows a buffer with less than MinRead left
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit))
	return buf.Bytes(), err
}

// bodyStart is the buffer a body of unknown length starts in: a page of
// records or associations is tens of kilobytes.
const bodyStart int64 = 32 << 10

// observe tells the account's observer, then each session's down to c's,
// about one attempt: the outermost hears first, so that what it notes is
// known when a session reports the attempt further on.
// fallbackTo is, on the attempt that first met a missing date-based route,
// the legacy path used from then on ("" on every other).
func (c *Client) observe(rq *request, attempt, status int, d time.Duration, err error, willRetry bool, wait time.Duration,
	fallbackTo string) {
	ci := CallInfo{
		Method: rq.method, Path: rq.path, Endpoint: rq.endpoint, Status: status, Attempt: attempt,
		Duration: d, Err: err, WillRetry: willRetry, Wait: wait, Exempt: rq.exempt, Dated: rq.dated, FallbackTo: fallbackTo,
	}
	var chain []Observer
	for x := c; x != nil; x = x.parent {
		if x.observer != nil {
			chain = append(chain, x.observer)
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		chain[i].ObserveCall(ci)
	}
}

func correlationOf(o outcome) string {
	if o.api == nil {
		return ""
	}
	return o.api.CorrelationID
}
