package hubspot

import (
	"math"
	"testing"

	"golang.org/x/time/rate"
)

// TestNewRefusesRatesThatAreNotNumbers: a search rate of NaN once became a
// negative delay and a limiter spinning forever; New gives any rate that is
// not a positive finite number the default.
func TestNewRefusesRatesThatAreNotNumbers(t *testing.T) {
	tests := []struct {
		search float64
		want   rate.Limit
	}{
		{math.NaN(), searchLimit(DefaultSearchRate)},
		{math.Inf(1), searchLimit(DefaultSearchRate)},
		{math.Inf(-1), searchLimit(DefaultSearchRate)},
		{0, searchLimit(DefaultSearchRate)},
		{-3, searchLimit(DefaultSearchRate)},
		{2, searchLimit(2)},
	}
	for _, tt := range tests {
		c := New("k", WithSearchRate(tt.search), WithRateLimit(-1))
		if got := c.limits.search.Limit(); got != tt.want {
			t.Errorf("search rate %g: limit %v, want %v", tt.search, got, tt.want)
		}
		if c.limits.configured.calls != DefaultRatePer10s {
			t.Errorf("rate -1: %v calls per 10 s, want the default", c.limits.configured.calls)
		}
	}
}
