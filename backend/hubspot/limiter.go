package hubspot

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"hubextract/backend/clock"
)

// HubSpot's rate-limit response headers (search responses carry none).
const (
	hdrMax       = "X-HubSpot-RateLimit-Max"
	hdrRemaining = "X-HubSpot-RateLimit-Remaining"
	hdrInterval  = "X-HubSpot-RateLimit-Interval-Milliseconds"
	// Private apps' daily allowance: the day's calls and those left.
	hdrDaily          = "X-HubSpot-RateLimit-Daily"
	hdrDailyRemaining = "X-HubSpot-RateLimit-Daily-Remaining"
)

// networkJitter is the latency spread allowed for (±100 ms): a request sent
// later may arrive earlier, so a server window of W holds what was sent over
// W + 2·networkJitter.
const networkJitter = 100 * time.Millisecond

// budget is a rolling-window allowance: calls per window.
type budget struct {
	calls  float64
	window time.Duration
}

// bucket returns a token bucket that never lands more than the budget in
// any rolling window as the server sees it. A bucket with burst b and rate r
// admits at most b + r·T in any span T, and T = window + 2·jitter here, so
// with b = 1 and r = (calls − safety)/T the worst window holds
// calls − safety + 1 < calls. The safety (2 %, at least 2) also keeps
// Remaining above zero under our own traffic, so a Remaining of zero means
// someone else is spending the budget. At 100/10 s this sustains 9.6 calls/s.
func (b budget) bucket() rate.Limit {
	safety := math.Max(2, b.calls/50)
	usable := math.Max(b.calls-safety, b.calls/2)
	return rate.Limit(usable / (b.window + 2*networkJitter).Seconds())
}

// SustainedRate is the most calls per second the client sends, sustained,
// at a budget of perTenSeconds calls per rolling 10 s (DefaultRatePer10s
// when not positive): a little under the budget, 9.6/s at 100 (see
// budget.bucket). A run's expected duration is its calls at this rate.
func SustainedRate(perTenSeconds int) float64 {
	if perTenSeconds <= 0 {
		perTenSeconds = DefaultRatePer10s
	}
	return float64(budget{calls: float64(perTenSeconds), window: tenSecondWindow}.bucket())
}

// searchLimit: the search setting is a send rate, kept 1 % under so that
// with burst 1 no closed one-second window ever holds more than perSecond
// sends (1 + 0.99·n < n + 1), and with ±100 ms of jitter no more than
// HubSpot's 5 at the default 4.
func searchLimit(perSecond float64) rate.Limit { return rate.Limit(perSecond * 0.99) }

// SustainedSearchRate is the most searches per second the client sends,
// sustained, at a search setting of perSecond (DefaultSearchRate when not
// positive).
func SustainedSearchRate(perSecond float64) float64 {
	if perSecond <= 0 {
		perSecond = DefaultSearchRate
	}
	return float64(searchLimit(perSecond))
}

// limits holds the two limiters every request waits on: the account's
// burst budget and the search endpoints' own. Both run on the injected
// clock: ReserveN at clock.Now, then clock.Sleep for the delay.
type limits struct {
	clk clock.Clock
	log *slog.Logger

	general *rate.Limiter
	search  *rate.Limiter
	// searchGate lets one search at a time through both limiters, so the
	// search token can be taken at the instant of sending (see wait).
	searchGate chan struct{}

	mu          sync.Mutex
	configured  budget // WithRateLimit: never exceeded
	effective   budget // what the limiter follows now (headers may lower it)
	generalHold time.Time
	searchHold  time.Time
	// daily is the day's allowance and what is left of it, as the last
	// response that said so (zero: never said).
	daily, dailyLeft int64
}

func newLimits(clk clock.Clock, log *slog.Logger, per10s int, searchPerSec float64) *limits {
	b := budget{calls: float64(per10s), window: tenSecondWindow}
	return &limits{
		clk:        clk,
		log:        log,
		general:    rate.NewLimiter(b.bucket(), 1),
		search:     rate.NewLimiter(searchLimit(searchPerSec), 1),
		searchGate: make(chan struct{}, 1),
		configured: b,
		effective:  b,
	}
}

// wait blocks until a request may be sent. A search waits on both
// limiters: first until a search token is available (not taking it; the
// gate keeps other searches off it), then for a general token, and only
// then takes the search token, so neither token is spent long before the
// request goes out (a stale token would let sends bunch up). An exempt
// call, which HubSpot does not charge to the ten-second budget, skips the
// general limiter.
func (l *limits) wait(ctx context.Context, search, exempt bool) error {
	if !search {
		if exempt {
			return ctx.Err()
		}
		return l.waitOn(ctx, l.general, &l.generalHold)
	}
	select {
	case l.searchGate <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.searchGate }()
	for {
		now := l.clk.Now()
		d := l.holdLeft(&l.searchHold, now)
		if d == 0 {
			d = tokenDelay(l.search, now)
		}
		if d == 0 {
			break
		}
		if err := l.clk.Sleep(ctx, d); err != nil {
			return err
		}
	}
	if !exempt {
		if err := l.waitOn(ctx, l.general, &l.generalHold); err != nil {
			return err
		}
	}
	return l.waitOn(ctx, l.search, &l.searchHold)
}

// waitOn respects a hold, then reserves one token and sleeps its delay.
func (l *limits) waitOn(ctx context.Context, lim *rate.Limiter, hold *time.Time) error {
	for {
		now := l.clk.Now()
		if d := l.holdLeft(hold, now); d > 0 {
			if err := l.clk.Sleep(ctx, d); err != nil {
				return err
			}
			continue
		}
		r := lim.ReserveN(now, 1)
		d := r.DelayFrom(now)
		if d == 0 {
			return nil
		}
		if err := l.clk.Sleep(ctx, d); err != nil {
			r.CancelAt(l.clk.Now())
			return err
		}
		// A 429 that arrived meanwhile put a hold in place: honour it too.
		if l.holdLeft(hold, l.clk.Now()) == 0 {
			return nil
		}
	}
}

// charge takes a token for a request that went out without waiting (a
// transport-level resend): the debt delays the next callers instead.
func (l *limits) charge() { l.general.ReserveN(l.clk.Now(), 1) }

func (l *limits) holdLeft(hold *time.Time, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(hold.Sub(now), 0)
}

// tokenDelay is how long until lim holds a whole token, without taking it.
func tokenDelay(lim *rate.Limiter, now time.Time) time.Duration {
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	r := float64(lim.Limit())
	if r <= 0 {
		return time.Second
	}
	return time.Duration(math.Ceil((1 - tokens) / r * float64(time.Second)))
}

// holdFor pauses every caller of one limiter until now+d.
func (l *limits) holdFor(search bool, d time.Duration) {
	until := l.clk.Now().Add(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	hold := &l.generalHold
	if search {
		hold = &l.searchHold
	}
	extendHold(hold, until)
}

// extendHold moves a hold to until, never shortening one already in place;
// callers hold l.mu.
func extendHold(hold *time.Time, until time.Time) {
	if until.After(*hold) {
		*hold = until
	}
}

// observe follows HubSpot's rate-limit headers: a budget lower than the
// configured one is adopted (never one above it), and a Remaining of zero
// (which our own pacing never causes, see bucket) means another consumer
// shares the budget, so new requests pause for two slots' worth of the
// window to let it free up.
func (l *limits) observe(h http.Header) {
	l.observeDaily(h)
	maxCalls, err1 := strconv.ParseFloat(h.Get(hdrMax), 64)
	ms, err2 := strconv.ParseInt(h.Get(hdrInterval), 10, 64)
	// Less than one call per window (or NaN, or infinity) is no budget to
	// follow, and would divide by zero below.
	if err1 != nil || err2 != nil || !(maxCalls >= 1) || math.IsInf(maxCalls, 1) || ms <= 0 {
		return
	}
	now := l.clk.Now()
	told := budget{calls: maxCalls, window: time.Duration(ms) * time.Millisecond}
	l.mu.Lock()
	target := l.configured
	if told.bucket() < target.bucket() {
		target = told
	}
	changed := target != l.effective
	l.effective = target
	if changed {
		l.general.SetLimitAt(now, target.bucket())
	}
	if rem, err := strconv.ParseFloat(h.Get(hdrRemaining), 64); err == nil && rem < 1 {
		extendHold(&l.generalHold, now.Add(2*told.window/time.Duration(maxCalls)))
	}
	l.mu.Unlock()
	if changed {
		l.log.Info("hubspot rate limit adjusted to the account's headers",
			"max", maxCalls, "interval", told.window, "callsPer10s", float64(target.bucket())*10)
	}
}

// observeDaily keeps the daily allowance the headers tell (private apps
// only; others never say).
func (l *limits) observeDaily(h http.Header) {
	day, err1 := strconv.ParseInt(h.Get(hdrDaily), 10, 64)
	left, err2 := strconv.ParseInt(h.Get(hdrDailyRemaining), 10, 64)
	if err1 != nil || err2 != nil || day <= 0 || left < 0 {
		return
	}
	l.mu.Lock()
	l.daily, l.dailyLeft = day, left
	l.mu.Unlock()
}

// DailyRemaining is the account's daily allowance and what is left of it,
// as HubSpot's last response said; ok is false until one said it.
func (c *Client) DailyRemaining() (left, daily int64, ok bool) {
	c.limits.mu.Lock()
	defer c.limits.mu.Unlock()
	return c.limits.dailyLeft, c.limits.daily, c.limits.daily > 0
}

// SearchRate is the searches per second the client sends at most,
// sustained (a little under its search setting, see searchLimit).
func (c *Client) SearchRate() float64 { return float64(c.limits.search.Limit()) }
