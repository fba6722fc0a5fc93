package hubspot

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"hubextract/backend/testkit"
)

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// maxInWindow is the most sends that fall in any closed span of length w.
func maxInWindow(sends []time.Time, w time.Duration) int {
	best, lo := 0, 0
	for hi := range sends {
		for sends[hi].Sub(sends[lo]) > w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

func TestBucketKeepsRollingWindowWithJitter(t *testing.T) {
	for _, tier := range []int{100, 190, 250} {
		t.Run(strconv.Itoa(tier), func(t *testing.T) {
			clk := testkit.NewClock(epoch)
			l := newLimits(clk, slog.New(slog.DiscardHandler), tier, DefaultSearchRate)
			ctx := context.Background()
			var sends []time.Time
			for range 20 * tier {
				if err := l.wait(ctx, false, false); err != nil {
					t.Fatal(err)
				}
				sends = append(sends, clk.Now())
			}
			// The server's 10 s window sees what was sent over 10.2 s when
			// latency varies by ±100 ms.
			if got := maxInWindow(sends, 10*time.Second+2*networkJitter); got >= tier {
				t.Errorf("%d sends in a jittered window, budget %d", got, tier)
			}
			if got := maxInWindow(sends, 10*time.Second); got > tier-2 {
				t.Errorf("%d sends in a 10 s window: Remaining would reach %d", got, tier-got)
			}
			perSec := float64(len(sends)-1) / sends[len(sends)-1].Sub(sends[0]).Seconds()
			if want := 0.95 * float64(tier) / 10; perSec < want {
				t.Errorf("sustained %.2f calls/s, want ≥ %.2f", perSec, want)
			}
		})
	}
}

func TestSearchWaitsOnBothLimiters(t *testing.T) {
	clk := testkit.NewClock(epoch)
	l := newLimits(clk, slog.New(slog.DiscardHandler), 100, 4)
	ctx := context.Background()
	var sends []time.Time
	for range 200 {
		if err := l.wait(ctx, true, false); err != nil {
			t.Fatal(err)
		}
		sends = append(sends, clk.Now())
	}
	if got := maxInWindow(sends, time.Second); got > 4 {
		t.Errorf("%d searches in one second, want ≤ 4", got)
	}
	if got := l.general.TokensAt(clk.Now()); got > 1 {
		t.Errorf("general limiter not spent by searches: %.2f tokens", got)
	}
	perSec := float64(len(sends)-1) / sends[len(sends)-1].Sub(sends[0]).Seconds()
	if perSec < 3.9 {
		t.Errorf("search sustained %.2f/s, want ≈ 4", perSec)
	}
}

func TestLimiterFollowsHeadersDownNeverUp(t *testing.T) {
	hdr := func(maxCalls, ms, remaining string) http.Header {
		h := http.Header{}
		h.Set(hdrMax, maxCalls)
		h.Set(hdrInterval, ms)
		h.Set(hdrRemaining, remaining)
		return h
	}
	clk := testkit.NewClock(epoch)
	l := newLimits(clk, slog.New(slog.DiscardHandler), 190, DefaultSearchRate)
	base := perTenSeconds(l)
	if base < 0.95*190 || base >= 190 {
		t.Fatalf("190 tier sustains %.1f per 10 s", base)
	}
	l.observe(hdr("250", "10000", "200"))
	if got := perTenSeconds(l); got != base {
		t.Errorf("a higher header budget moved the limit from %.1f to %.1f", base, got)
	}
	l.observe(hdr("100", "10000", "90"))
	if got := perTenSeconds(l); got >= 100 || got < 95 {
		t.Errorf("after Max 100 the limit is %.1f per 10 s", got)
	}
	l.observe(hdr("10", "1000", "9")) // 10 per second: a shorter window, same nominal rate, tighter
	tight := perTenSeconds(l)
	if tight >= 95 {
		t.Errorf("a 1 s window of 10 was not followed: %.1f per 10 s", tight)
	}
	l.observe(hdr("190", "10000", "150"))
	if got := perTenSeconds(l); got != base {
		t.Errorf("back at the configured budget the limit is %.1f, want %.1f", got, base)
	}
	// Remaining 0: someone else spends the budget; new requests pause.
	l.observe(hdr("190", "10000", "0"))
	start := clk.Now()
	if err := l.wait(context.Background(), false, false); err != nil {
		t.Fatal(err)
	}
	if waited := clk.Now().Sub(start); waited < 2*10*time.Second/190 {
		t.Errorf("Remaining 0 paused only %v", waited)
	}
}

// TestLimiterIgnoresNonsenseHeaders: a header that is not a budget of at
// least one call (a proxy's rewrite, a bug) leaves the limit alone and
// never panics.
func TestLimiterIgnoresNonsenseHeaders(t *testing.T) {
	for _, maxCalls := range []string{"0.5", "0", "-3", "NaN", "+Inf", "many", ""} {
		t.Run(maxCalls, func(t *testing.T) {
			clk := testkit.NewClock(epoch)
			l := newLimits(clk, slog.New(slog.DiscardHandler), 100, DefaultSearchRate)
			base := perTenSeconds(l)
			h := http.Header{}
			h.Set(hdrMax, maxCalls)
			h.Set(hdrInterval, "10000")
			h.Set(hdrRemaining, "0")
			l.observe(h)
			if got := perTenSeconds(l); got != base {
				t.Errorf("Max %q moved the limit from %.1f to %.1f", maxCalls, base, got)
			}
		})
	}
}

func TestWaitCancelled(t *testing.T) {
	clk := testkit.NewClock(epoch)
	l := newLimits(clk, slog.New(slog.DiscardHandler), 100, DefaultSearchRate)
	ctx, cancel := context.WithCancel(context.Background())
	if err := l.wait(ctx, false, false); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := l.wait(ctx, false, false); err == nil {
		t.Fatal("wait on a cancelled context succeeded")
	}
	if err := l.wait(ctx, true, false); err == nil {
		t.Fatal("search wait on a cancelled context succeeded")
	}
	// The cancelled reservation gave its token back.
	if err := l.wait(context.Background(), false, false); err != nil {
		t.Fatal(err)
	}
}

func TestSplitProperties(t *testing.T) {
	props := make([]string, 600)
	for i := range props {
		props[i] = "custom_property_with_a_long_name_" + strconv.Itoa(i)
	}
	if PropertiesFitURL(props) {
		t.Fatal("600 long property names reported as fitting one URL")
	}
	if !PropertiesFitURL(props[:50]) {
		t.Fatal("50 property names reported as not fitting one URL")
	}
	chunks := splitProperties(props, 5000)
	var n int
	for _, c := range chunks {
		if l := len(propertiesParam(c)); l > 5000 {
			t.Errorf("chunk of %d characters, room 5000", l)
		}
		n += len(c)
	}
	if n != len(props) || len(chunks) < 2 {
		t.Errorf("%d chunks holding %d properties", len(chunks), n)
	}
	if got := splitProperties(nil, 100); len(got) != 1 || got[0] != nil {
		t.Errorf("no properties: %v", got)
	}
}

// perTenSeconds is the sustained rate the general limiter, which every
// request waits on, admits now.
func perTenSeconds(l *limits) float64 { return float64(l.general.Limit()) * 10 }
