package hubspot

import (
	"log/slog"
	"net/http"
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
	defaultHTTPTimeout    = 2 * time.Minute
	defaultMaxIdlePerHost = 16
)

// RetryPolicy shapes the exponential backoff between attempts of one call.
// Zero fields take the defaults of DefaultRetryPolicy (so jitter cannot be
// switched off: synchronised retries are what it prevents).
type RetryPolicy struct {
	MaxAttempts         int // total attempts, first one included; 1 disables retries
	InitialInterval     time.Duration
	MaxInterval         time.Duration
	Multiplier          float64
	RandomizationFactor float64
}

// DefaultRetryPolicy waits about 1, 2, 4, 8, 16, 30, 30 s (±50 %) between
// eight attempts: long enough to ride out a HubSpot hiccup, short enough
// that a real outage is reported within two minutes.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:         DefaultMaxAttempts,
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
	httpClient *http.Client
	ratePer10s int
	searchRate float64
	retry      RetryPolicy
	clock      clock.Clock
	observer   Observer
	logger     *slog.Logger
}

// WithBaseURL points the client at another HubSpot (the fake, a proxy).
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient replaces the HTTP client (its Timeout bounds each attempt).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithRateLimit sets the account's burst budget in calls per rolling 10 s:
// 100 (Free/Starter), 190 (Professional/Enterprise) or 250 (with the API
// limit increase). The client stays just under it; see RateLimit.
func WithRateLimit(perTenSeconds int) Option { return func(c *config) { c.ratePer10s = perTenSeconds } }

// WithSearchRate sets how many search calls per second the client sends at
// most (default 4, under HubSpot's 5).
func WithSearchRate(perSecond float64) Option { return func(c *config) { c.searchRate = perSecond } }

// WithRetry sets the retry policy; zero fields keep their defaults.
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithClock sets the clock used for rate limiting, backoff and timestamps
// (tests share a testkit.Clock with the fake server).
func WithClock(clk clock.Clock) Option { return func(c *config) { c.clock = clk } }

// WithObserver receives a CallInfo after every HTTP attempt.
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// WithLogger sets the logger (default: discard). The token is never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = defaultMaxIdlePerHost
	return &http.Client{Transport: t, Timeout: defaultHTTPTimeout}
}
