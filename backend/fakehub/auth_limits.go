package fakehub

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Authentication and HubSpot's rate limits.
//
// Choices, with their reasons:
//   - A call answered 429 still counts in the rolling window (and the daily
//     count): HubSpot's usage guidelines say an app over its limit "will
//     receive a 429 error response for all subsequent API calls" and count
//     error responses among the day's requests, so a client that keeps
//     hammering stays locked out until it actually pauses.
//   - Search calls count in the 10-second window and the daily count as well
//     as in their own per-second window: the stricter reading, so a client
//     that passes here passes against HubSpot.
//   - With a limit of 0 (unlimited) its headers are not sent, rather than
//     advertising a budget that is not enforced.
//   - Calls the published descriptions exempt from the ten-second limit
//     ("x-hubspot-rate-limit-exemptions": ["ten-secondly"]: object search
//     in both path families, the date-based associations batch read) do not
//     count in the ten-second window and are not refused by it, unless
//     Config.ChargeExempt. They still count toward the daily limit, and
//     searches toward the search limit. An exempt answer that is not a
//     search carries the rate-limit headers as they stand (this call not
//     counted); search answers carry none, as HubSpot's do.
//   - Calls without valid credentials are answered 401 before any limit and
//     do not count: they belong to no app.

const (
	tenSeconds  = 10 * time.Second
	policyTen   = "TEN_SECONDLY_ROLLING"
	policySec   = "SECONDLY"
	policyDaily = "DAILY"
)

// slidingLog is a true rolling window: the times of the calls made within
// the last width.
type slidingLog struct {
	width time.Duration
	max   int
	times []time.Time
}

func (l *slidingLog) prune(now time.Time) {
	cut := 0
	for cut < len(l.times) && !l.times[cut].After(now.Add(-l.width)) {
		cut++
	}
	l.times = l.times[cut:]
}

// add records a call and reports whether it was within the limit.
func (l *slidingLog) add(now time.Time) bool {
	l.prune(now)
	ok := len(l.times) < l.max
	l.times = append(l.times, now)
	return ok
}

// retryIn is when the oldest call in the window leaves it.
func (l *slidingLog) retryIn(now time.Time) time.Duration {
	if len(l.times) == 0 {
		return 0
	}
	return l.times[0].Add(l.width).Sub(now)
}

type limiter struct {
	mu       sync.Mutex
	burst    *slidingLog // nil = unlimited
	search   *slidingLog
	daily    int
	day      string
	dayCount int
	zone     *time.Location
	chargeEx bool // exempt calls count in the burst window too
}

func (l *limiter) init(cfg Config) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.burst, l.search = nil, nil
	if cfg.RatePer10s > 0 {
		l.burst = &slidingLog{width: tenSeconds, max: cfg.RatePer10s}
	}
	if cfg.SearchRatePerSec > 0 {
		l.search = &slidingLog{width: time.Second, max: cfg.SearchRatePerSec}
	}
	l.daily = cfg.DailyLimit
	l.chargeEx = cfg.ChargeExempt
	l.zone = accountZone()
}

// accountZone is the portal's time zone: the daily limit resets at its
// midnight.
func accountZone() *time.Location {
	if z, err := time.LoadLocation(accountTimeZone); err == nil {
		return z
	}
	return time.FixedZone("EST", -5*60*60)
}

// admit counts one authenticated call and returns the policy it broke, if
// any. An exempt call stays out of the ten-second window unless chargeEx.
func (l *limiter) admit(now time.Time, search, exempt bool) (policy string, retryIn time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := now.In(l.zone).Format("2006-01-02"); day != l.day {
		l.day, l.dayCount = day, 0
	}
	l.dayCount++
	burstOK, searchOK := true, true
	if l.burst != nil && (!exempt || l.chargeEx) {
		burstOK = l.burst.add(now)
	}
	if search && l.search != nil {
		searchOK = l.search.add(now)
	}
	switch {
	case l.daily > 0 && l.dayCount > l.daily:
		t := now.In(l.zone)
		return policyDaily, time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, l.zone).Sub(t)
	case !burstOK:
		return policyTen, l.burst.retryIn(now)
	case !searchOK:
		return policySec, l.search.retryIn(now)
	}
	return "", 0
}

// headers sets the X-HubSpot-RateLimit-* headers as they stand after the
// call.
func (l *limiter) headers(h http.Header, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.burst != nil {
		l.burst.prune(now)
		h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(l.burst.max))
		h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(max(0, l.burst.max-len(l.burst.times))))
		h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
	}
	if l.daily > 0 {
		h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(l.daily))
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(0, l.daily-l.dayCount)))
	}
}

// maxURI is the longest request URI answered: longer ones get 414, as
// HubSpot does for long property lists (Airbyte keeps URLs under ~15,000
// characters for that reason).
const maxURI = 15_000

const authMessage = "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"

// gate checks credentials and limits. It returns the refusal, if any, and
// whether the answer must go without rate-limit headers.
func (s *Server) gate(r *http.Request, rt *route) (*response, bool) {
	if n := len(r.RequestURI); n > maxURI {
		return s.errorResp(http.StatusRequestURITooLong, "VALIDATION_ERROR",
			"URI Too Long: the request URI is "+strconv.Itoa(n)+" characters; split the property list", nil), true
	}
	if r.URL.Query().Has("hapikey") {
		return s.errorResp(http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"The API key used to make this call is expired or not supported: HubSpot API keys were sunset; use a private app access token.", nil), true
	}
	tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !found || strings.TrimSpace(tok) != s.cfg.Token {
		return s.errorResp(http.StatusUnauthorized, "INVALID_AUTHENTICATION", authMessage, nil), true
	}
	policy, wait := s.limits.admit(s.clk.Now(), rt.search, rt.exempt)
	if policy == "" {
		return nil, rt.search
	}
	return s.rateLimited(policy, wait), rt.search
}

func (s *Server) rateLimited(policy string, wait time.Duration) *response {
	msg := map[string]string{
		policyTen:   "You have reached your ten_secondly_rolling limit.",
		policySec:   "You have reached your secondly limit.",
		policyDaily: "You have reached your daily limit.",
	}[policy]
	resp := s.jsonResp(http.StatusTooManyRequests, errorBody{
		Status: "error", Message: msg, ErrorType: "RATE_LIMIT", CorrelationID: s.newID(),
		Category: "RATE_LIMITS", PolicyName: policy, RequestID: s.newID(),
	})
	if s.cfg.RetryAfter && wait > 0 {
		resp.header = http.Header{"Retry-After": {strconv.Itoa(int((wait + time.Second - 1) / time.Second))}}
	}
	return resp
}
