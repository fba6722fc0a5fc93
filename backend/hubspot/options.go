package hubspot

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hubextract/backend/clock"
)

// Defaults, from ../shared/hubspot-api.md: private apps on Free/Starter get
// 100 calls per rolling 10 s; the search endpoints allow 5 per second (older
// docs: 4), so the safer 4 is the default.
const (
	DefaultBaseURL        = "https://api.hubapi.com"
	DefaultRatePer10s     = 100
	DefaultSearchRate     = 4.0
	DefaultMaxAttempts    = 8
	DefaultAttemptTimeout = 2 * time.Minute
	defaultMaxIdlePerHost = 16
)

// RetryPolicy shapes the attempts of one call: how long each may take and
// the exponential backoff between them. Zero fields take the defaults of
// DefaultRetryPolicy (so jitter cannot be switched off: synchronised
// retries are what it prevents).
type RetryPolicy struct {
	MaxAttempts int // total attempts, first one included; 1 disables retries
	// AttemptTimeout bounds one attempt, the answer's body included, in
	// real time; an attempt that runs out is a transport error and retried.
	// A job someone waits for (a connection test, an estimate) keeps it short.
	AttemptTimeout      time.Duration
	InitialInterval     time.Duration
	MaxInterval         time.Duration
	Multiplier          float64
	RandomizationFactor float64
}

// DefaultRetryPolicy waits about 1, 2, 4, 8, 16, 30, 30 s (±50 %) between
// eight attempts of at most two minutes each: long enough to ride out a
// HubSpot hiccup or a page of many MiB on a slow line, short enough that a
// real outage is reported within two minutes of waiting.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:         DefaultMaxAttempts,
		AttemptTimeout:      DefaultAttemptTimeout,
		InitialInterval:     time.Second,
		MaxInterval:         30 * time.Second,
		Multiplier:          2,
		RandomizationFactor: 0.5,
	}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = d.AttemptTimeout
	}
	if p.InitialInterval <= 0 {
		p.InitialInterval = d.InitialInterval
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = d.MaxInterval
	}
	if p.Multiplier < 1 {
		p.Multiplier = d.Multiplier
	}
	if p.RandomizationFactor <= 0 || p.RandomizationFactor >= 1 {
		p.RandomizationFactor = d.RandomizationFactor
	}
	return p
}

// Option configures a Client.
type Option func(*config)

type config struct {
	baseURL    string
	ratePer10s int
	searchRate float64
	clock      clock.Clock
	logger     *slog.Logger
	version    APIVersion
	// chargeExempt: see ChargeExemptCalls.
	chargeExempt bool
}

// WithBaseURL points the client at another HubSpot (the fake, a proxy).
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithRateLimit sets the account's burst budget in calls per rolling 10 s:
// 100 (Free/Starter), 190 (Professional/Enterprise) or 250 (with the API
// limit increase). The client stays just under it; see SustainedRate.
func WithRateLimit(perTenSeconds int) Option { return func(c *config) { c.ratePer10s = perTenSeconds } }

// WithSearchRate sets how many search calls per second the client sends at
// most (default 4, under HubSpot's 5).
func WithSearchRate(perSecond float64) Option { return func(c *config) { c.searchRate = perSecond } }

// WithClock sets the clock used for rate limiting, backoff and timestamps
// (the app's own; tests share a testkit.Clock with the fake server).
func WithClock(clk clock.Clock) Option { return func(c *config) { c.clock = clk } }

// WithAPIVersion sets the version of HubSpot's API the client calls
// (DefaultAPIVersion when empty); operations with no route in it take
// their legacy one.
func WithAPIVersion(v APIVersion) Option { return func(c *config) { c.version = v } }

// ChargeExemptCalls charges every call to the ten-second budget, those
// HubSpot exempts too, as clients did before HubSpot published the
// exemptions: for comparing the two, and should HubSpot count them after
// all.
func ChargeExemptCalls() Option { return func(c *config) { c.chargeExempt = true } }

// WithLogger sets the logger (default: discard). The token is never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// CheckBaseURL says in words what is wrong with raw as the HubSpot API's
// base URL: it must be an absolute http or https URL with a host and
// nothing after the path. Plain http sends the key in clear text, so it is
// refused for any host but this computer's own (localhost, 127.0.0.1, ::1)
// unless insecure is set.
func CheckBaseURL(raw string, insecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("the HubSpot address %q is not a web address: it must look like %s", raw, DefaultBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("the HubSpot address %q must have no user, query or fragment: it must look like %s", raw, DefaultBaseURL)
	}
	if u.Scheme == "http" && !insecure && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("the HubSpot address %s is plain http to another computer: the access key would cross the network "+
			"in clear text; use https (or allow it explicitly, for a test server on a trusted network)", raw)
	}
	return nil
}

// IsLoopback reports whether host (a name or an IP, without port) is this
// computer: localhost (and its subdomains) or a loopback address.
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// defaultHTTPClient keeps connections for the workers of a run; each
// attempt's time is bounded by the retry policy, not here.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = defaultMaxIdlePerHost
	return &http.Client{Transport: t}
}
