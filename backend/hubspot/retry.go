package hubspot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// HubSpot's 429 policy names and the windows they stand for.
const (
	policyDaily       = "DAILY"
	policyTenSecondly = "TEN_SECONDLY_ROLLING"
	policySecondly    = "SECONDLY"

	tenSecondWindow = 10 * time.Second
	secondWindow    = time.Second
	lockedMinWait   = 2 * time.Second  // HubSpot's 423: wait at least this long
	maxRetryAfter   = 10 * time.Minute // beyond this a Retry-After is not worth waiting in-process
)

// retryableStatus lists the answers worth asking again (hubspot-api.md):
// 423 locked, the 5xx gateway family and Cloudflare's 521–524. 501 and the
// 4xx are final; 429 is decided on its policyName.
var retryableStatus = map[int]bool{
	http.StatusLocked:              true,
	http.StatusInternalServerError: true,
	http.StatusBadGateway:          true,
	http.StatusServiceUnavailable:  true,
	http.StatusGatewayTimeout:      true,
	521:                            true,
	522:                            true,
	523:                            true,
	524:                            true,
}

// errorBody is HubSpot's error JSON; every field is optional.
type errorBody struct {
	Message       string                     `json:"message"`
	CorrelationID string                     `json:"correlationId"`
	Category      string                     `json:"category"`
	ErrorType     string                     `json:"errorType"`
	PolicyName    string                     `json:"policyName"`
	Context       map[string]json.RawMessage `json:"context"`
	Errors        []struct {
		Message string                     `json:"message"`
		Context map[string]json.RawMessage `json:"context"`
	} `json:"errors"`
}

// scopes collects the scope names HubSpot lists in the error's contexts
// (keys such as requiredScopes or requiredGranularScopes).
func (b errorBody) scopes() []string {
	seen := map[string]bool{}
	add := func(ctx map[string]json.RawMessage) {
		for k, raw := range ctx {
			if !strings.Contains(strings.ToLower(k), "scope") {
				continue
			}
			var list []string
			if json.Unmarshal(raw, &list) != nil {
				var one string
				if json.Unmarshal(raw, &one) != nil || one == "" {
					continue
				}
				list = []string{one}
			}
			for _, s := range list {
				seen[s] = true
			}
		}
	}
	add(b.Context)
	for _, e := range b.Errors {
		add(e.Context)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// outcome is the verdict on one attempt.
type outcome struct {
	err   error     // nil on success; else the typed error
	api   *APIError // the core of err, to stamp the attempt count on
	retry bool
	// decodeErr: a success whose valid JSON did not fit the expected shape;
	// asking again would bring the same body.
	decodeErr error
	// exactWait replaces the backoff (Retry-After, a 429's window);
	// minWait is a floor under it (423).
	exactWait, minWait time.Duration
	// holdSearch/holdGeneral pause every caller of that limiter for
	// exactWait: after a 429 the whole client waits out the window, not
	// just the request that drew it.
	holdSearch, holdGeneral bool
	// routeMissing: a 404 for the path itself, not for what it names.
	routeMissing bool
}

// classifyResponse judges an HTTP answer whose body was read completely,
// decoding a success into out.
func (c *Client) classifyResponse(rq *request, status int, h http.Header, body []byte, out any) outcome {
	if status >= 200 && status < 300 {
		// Unmarshal checks the whole body before writing to out, so a body
		// that is not JSON (a proxy's HTML page) leaves out untouched and is
		// asked for again; one scan, not a json.Valid pass before decoding.
		err := json.Unmarshal(body, out)
		var syntax *json.SyntaxError
		if !errors.As(err, &syntax) {
			return outcome{decodeErr: err}
		}
		e := c.apiError(rq, status, h, errorBody{Message: msgNotJSON})
		return outcome{err: &ServerError{e}, api: e, retry: true}
	}
	var eb errorBody
	_ = json.Unmarshal(body, &eb) // a non-JSON error body still has a status
	e := c.apiError(rq, status, h, eb)
	o := outcome{api: e}
	switch {
	case status == http.StatusTooManyRequests:
		policy := strings.ToUpper(eb.PolicyName)
		if policy == policyDaily {
			o.err = &DailyLimitError{APIError: e, ResetAt: c.dailyReset(h)}
			return o
		}
		o.retry = true
		o.exactWait = retryAfter(h, c.clock.Now())
		search := policy == policySecondly || (policy == "" && rq.search)
		if o.exactWait == 0 {
			o.exactWait = windowOf(policy, search, h)
		}
		o.holdSearch, o.holdGeneral = search, !search
		o.err = &RateLimitError{APIError: e, Policy: policy, RetryAfter: o.exactWait}
	case retryableStatus[status]:
		o.retry = true
		// A Retry-After on a 503 (or any of these) is a floor, not a promise.
		o.minWait = retryAfter(h, c.clock.Now())
		if status == http.StatusLocked {
			o.minWait = max(o.minWait, lockedMinWait)
		}
		o.err = &ServerError{e}
	default:
		o.err = finalError(e, eb.scopes())
		o.routeMissing = routeMissing(status, eb)
	}
	return o
}

// routeMissing tells a 404 for a path HubSpot does not serve from one for
// a record, form or type that does not exist: the latter comes with
// HubSpot's JSON error and its category (OBJECT_NOT_FOUND), the former is
// a bare 404 from HubSpot's gateway, with no such body.
func routeMissing(status int, eb errorBody) bool {
	return status == http.StatusNotFound && eb.Category == "" && eb.ErrorType == ""
}

// classifyTransport judges an attempt that got no complete answer: err
// came from the round trip or from reading the body (status is then the
// status already received).
func (c *Client) classifyTransport(ctx context.Context, rq *request, status int, err error) outcome {
	if ctx.Err() != nil {
		return outcome{err: ctx.Err()}
	}
	e := &APIError{
		Method:  rq.method,
		Path:    rq.path,
		Status:  status,
		Message: c.redact(transportText(err)),
		Err:     err,
	}
	if status >= 200 && status < 300 {
		e.Message = c.redact("HubSpot's answer was cut off: " + transportText(err))
	}
	cause := permanentCause(err, c.base)
	if cause != "" && !errors.Is(err, errBodyTooLarge) {
		c.misconfigured.CompareAndSwap(nil, &cause)
	}
	return outcome{err: &TransportError{APIError: e, Cause: cause}, api: e, retry: cause == ""}
}

// transportText is err's text without the request's URL, whose query (the
// properties asked for, thousands of characters) belongs in no message or
// log; the APIError keeps the method and path.
func transportText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// permanentCause says in words why a failure with no usable answer will not
// heal by asking again (a key that cannot be sent, an address that is not a
// web address, HTTPS to a plain-HTTP port, a certificate not trusted, an
// oversized body); "" when it may (resets, EOFs, refused connections,
// timeouts, a failed DNS lookup), which is then retried. All but the
// oversized body come from the client's own key or address (a certificate
// too: the process loads the trusted ones once), so they fail every later
// call as well.
func permanentCause(err error, base string) string {
	var (
		unknownCA   x509.UnknownAuthorityError
		invalidCert x509.CertificateInvalidError
		hostname    x509.HostnameError
		recordHdr   tls.RecordHeaderError
		urlErr      *url.Error
	)
	msg := err.Error()
	switch {
	case errors.Is(err, errBodyTooLarge):
		return fmt.Sprintf("HubSpot's answer was larger than %d MiB, more than the app reads: please %s.", maxBodyBytes>>20, SendTheLog)
	case strings.Contains(msg, "invalid header field value"):
		return "The access key contains a line break or another character that cannot be sent to HubSpot: copy the key again, with nothing before or after it."
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return fmt.Sprintf("The server at %s answers in plain HTTP, not HTTPS: check the address (only a local test server uses http://).", base)
	case errors.As(err, &unknownCA), errors.As(err, &invalidCert), errors.As(err, &hostname):
		return fmt.Sprintf("The server at %s showed a certificate this computer does not trust (%s): check the address, and any proxy or firewall that intercepts HTTPS.", base, certWords(err))
	case errors.As(err, &recordHdr):
		return fmt.Sprintf("The server at %s does not speak HTTPS: check the address.", base)
	case strings.Contains(msg, "unsupported protocol scheme"), strings.Contains(msg, "no Host in request URL"),
		errors.As(err, &urlErr) && urlErr.Op == "parse":
		return fmt.Sprintf("The HubSpot address %q is not a web address: it must look like %s.", base, DefaultBaseURL)
	}
	return ""
}

// certWords names what is wrong with a certificate.
func certWords(err error) string {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
	)
	switch {
	case errors.As(err, &unknownCA):
		return "signed by an unknown authority"
	case errors.As(err, &hostname):
		return "made out to another name"
	}
	return "expired or invalid"
}

func (c *Client) apiError(rq *request, status int, h http.Header, eb errorBody) *APIError {
	corr := eb.CorrelationID
	if corr == "" {
		corr = h.Get("X-HubSpot-Correlation-Id")
	}
	cat := eb.Category
	if cat == "" {
		cat = eb.ErrorType
	}
	return &APIError{
		Method:        rq.method,
		Path:          rq.path,
		Status:        status,
		Message:       c.redact(eb.Message),
		CorrelationID: c.redact(corr),
		Category:      c.redact(cat),
	}
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 when absent.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// windowOf is how long a 429 without Retry-After should wait: the window
// its policy names (the interval header refines the burst window).
func windowOf(policy string, search bool, h http.Header) time.Duration {
	switch {
	case policy == policySecondly || (policy == "" && search):
		return secondWindow
	case policy == policyTenSecondly:
		if ms, err := strconv.Atoi(h.Get(hdrInterval)); err == nil && ms > 0 && ms <= 60_000 {
			return time.Duration(ms) * time.Millisecond
		}
	}
	return tenSecondWindow
}

// dailyReset: HubSpot's daily allowance resets at midnight in the
// account's time zone (known once AccountDetails ran; else this machine's,
// which is usually the same). A Retry-After wins when sent.
func (c *Client) dailyReset(h http.Header) time.Time {
	now := c.clock.Now()
	if d := retryAfter(h, now); d > 0 {
		return now.Add(d)
	}
	loc := time.Local
	if z := c.zone.Load(); z != nil {
		loc = z
	}
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
}

// newBackOff builds the per-call exponential backoff. It only computes
// intervals; waiting happens on the injected clock, so MaxElapsedTime is
// off and MaxAttempts bounds the retries.
func (c *Client) newBackOff() *backoff.ExponentialBackOff {
	p := c.retry
	return backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(p.InitialInterval),
		backoff.WithMaxInterval(p.MaxInterval),
		backoff.WithMultiplier(p.Multiplier),
		backoff.WithRandomizationFactor(p.RandomizationFactor),
		backoff.WithMaxElapsedTime(0),
		backoff.WithClockProvider(c.clock), // clock.Clock has the Now backoff wants
	)
}

// waitFor picks the pause before the next attempt.
func waitFor(o outcome, bo backoff.BackOff) time.Duration {
	next := bo.NextBackOff()
	if next == backoff.Stop {
		next = 0
	}
	if o.exactWait > 0 {
		return o.exactWait
	}
	return max(next, o.minWait)
}
