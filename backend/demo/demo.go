// Package demo owns the sample data: a fake HubSpot (backend/fakehub) served
// in-process on a loopback port, with generated records and HubSpot's usual
// latency and limits, so "Try with sample data" and `hubextract demo` run the
// whole app without an account. It knows nothing of the extraction, the
// database or Wails.
package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"hubextract/backend/fakehub"
)

// Token is the access token the sample HubSpot accepts. It opens nothing
// but the fake.
const Token = "demo-token"

// Environment variables that shape the sample data (tests make it small and
// fast).
const (
	EnvScale     = "HUBEXTRACT_SAMPLE_SCALE"      // records per type (contacts, with realistic sizes)
	EnvLatencyMS = "HUBEXTRACT_SAMPLE_LATENCY_MS" // mean latency of a call
	EnvSizes     = "HUBEXTRACT_SAMPLE_SIZES"      // "realistic" (the default), "lopsided" or "even"
)

// Options shape the fake portal.
type Options struct {
	// Scale is the number of records of each object type (about 2% more
	// are archived); with Realistic, the number of contacts, the other
	// types sized from it (fakehub.RealisticSizes).
	Scale int
	// Shape, with Realistic, is fakehub.ShapeRealistic (the default) or
	// fakehub.ShapeLopsided (contacts far ahead of every other type).
	Shape string
	// Realistic gives the types a real account's uneven sizes and
	// spreads records over time with more in recent months
	// (fakehub.RealisticSizes, fakehub.Config.Growth); without it every
	// type has Scale records, evenly spread.
	Realistic bool
	Latency   time.Duration // mean latency of a call
	Jitter    time.Duration // ± spread of the latency
	Seed      int64
	// RatePer10s is the fake's own limit; 0 allows HubSpot's highest tier
	// (250), so no tier chosen in the settings runs into 429s.
	RatePer10s int
	// ChargeExempt counts the calls HubSpot exempts from its ten-second
	// limit against it anyway (to compare with the exemptions honoured).
	ChargeExempt bool
}

// maxJitter is the spread of HubSpot's latency the sample imitates.
const maxJitter = 100 * time.Millisecond

// Defaults are the sample account of the app and of `hubextract demo`: a
// thousand contacts and the other types in a real account's proportions
// (Realistic) behind HubSpot's usual latency.
func Defaults() Options {
	return Options{Scale: 1000, Seed: 1, Realistic: true}.WithLatency(250 * time.Millisecond)
}

// Sizes is the number of active records of each type the sample holds.
func (o Options) Sizes() map[string]int {
	if !o.Realistic {
		return nil
	}
	if o.Shape == fakehub.ShapeLopsided {
		return fakehub.LopsidedSizes(o.Scale)
	}
	return fakehub.RealisticSizes(o.Scale)
}

// WithLatency sets the mean latency, with a jitter of up to ±100 ms that
// never exceeds half of it.
func (o Options) WithLatency(d time.Duration) Options {
	o.Latency, o.Jitter = d, min(maxJitter, d/2)
	return o
}

// FromEnv is Defaults changed by $HUBEXTRACT_SAMPLE_SCALE,
// $HUBEXTRACT_SAMPLE_LATENCY_MS and $HUBEXTRACT_SAMPLE_SIZES; a value that
// is not a number (or, for the sizes, not "realistic", "lopsided" or
// "even") is an
// error.
func FromEnv(getenv func(string) string) (Options, error) {
	o := Defaults()
	if v := getenv(EnvScale); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return o, fmt.Errorf("%s=%q: want a number of records of at least 1", EnvScale, v)
		}
		o.Scale = n
	}
	if v := getenv(EnvLatencyMS); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return o, fmt.Errorf("%s=%q: want milliseconds, 0 or more", EnvLatencyMS, v)
		}
		o = o.WithLatency(time.Duration(n) * time.Millisecond)
	}
	switch v := getenv(EnvSizes); v {
	case "":
	case fakehub.ShapeRealistic, fakehub.ShapeLopsided, fakehub.ShapeEven:
		o.Realistic, o.Shape = v != fakehub.ShapeEven, v
	default:
		return o, fmt.Errorf("%s=%q: want realistic, lopsided or even", EnvSizes, v)
	}
	return o, nil
}

// Hub is a running fake HubSpot.
type Hub struct {
	URL   string          // base URL, http://127.0.0.1:PORT
	Token string          // the token it accepts
	Fake  *fakehub.Server // its data, ground truth and fault controls
	srv   *http.Server
	done  chan struct{}
}

// Start serves a fake HubSpot on a free loopback port until Stop.
func Start(o Options) (*Hub, error) {
	if o.Scale < 1 {
		return nil, errors.New("start the sample HubSpot: the scale must be at least 1")
	}
	rate := o.RatePer10s
	if rate == 0 {
		rate = 250
	}
	fake := fakehub.New(fakehub.Config{
		// One custom object, as an Enterprise account has: the app shows
		// what it does with them.
		Token: Token, Seed: o.Seed, Scale: o.Scale, Sizes: o.Sizes(), Growth: o.Realistic, CustomObjects: true,
		Latency: o.Latency, Jitter: o.Jitter,
		RatePer10s: rate, SearchRatePerSec: 5, ChargeExempt: o.ChargeExempt,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the sample HubSpot: %w", err)
	}
	h := &Hub{
		URL:   "http://" + ln.Addr().String(),
		Token: Token,
		Fake:  fake,
		srv:   &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second},
		done:  make(chan struct{}),
	}
	go func() {
		defer close(h.done)
		// Serve returns ErrServerClosed after Stop; a listener that breaks
		// before shows up as failed calls in the run.
		_ = h.srv.Serve(ln)
	}()
	return h, nil
}

// Stop shuts the server down, cutting calls still in flight after a few
// seconds. It is safe to call more than once.
func (h *Hub) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.srv.Shutdown(ctx); err != nil {
		_ = h.srv.Close()
	}
	<-h.done
}
