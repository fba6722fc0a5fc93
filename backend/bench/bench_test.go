package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/testkit"
)

var t0 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// counts is what the formulas need from the fake's truth: per CRM type its
// active records, and per type and associated type the records with none
// and those whose inline collection overflows.
type counts struct {
	tr *fakehub.Truth
}

func (c counts) records(t string) int64 { return int64(len(c.tr.IDs(t, false))) }

// listCalls: per type its property definitions and its pages of 100.
func (c counts) listCalls() int64 {
	var n int64
	for _, t := range catalog.CRM() {
		n += 1 + pages(c.records(t), 100)
	}
	return n
}

// missing is how many records of t have no association with to, or more
// than fit inline.
func (c counts) missing(t, to string) int64 {
	has := map[string]bool{}
	for _, p := range c.tr.Pairs(t, to) {
		has[p[0]] = true
	}
	return c.records(t) - int64(len(has)) + int64(len(c.tr.OverflowIDs(t, to)))
}

// pairs is every association a complete read finds from each type's side.
func (c counts) pairs() int64 {
	var n int64
	for _, t := range catalog.CRM() {
		for _, to := range catalog.Inline(t) {
			n += int64(len(c.tr.Pairs(t, to)))
		}
	}
	return n
}

// TestStrategyCalls runs every strategy at a tiny scale on the virtual
// clock and checks its calls against its formula: the reference
// strategies' from the data, hubextract's against its own minimum (equal
// with the economy of the fewest calls). The reference strategies must also
// read every association.
func TestStrategyCalls(t *testing.T) {
	formulas := map[string]func(c counts) int64{
		// pages + records × associated types
		Naive: func(c counts) int64 {
			n := c.listCalls()
			for _, t := range catalog.CRM() {
				n += c.records(t) * int64(len(catalog.Inline(t)))
			}
			return n
		},
		// pages + one call per record and associated type found missing
		MissingOnly: func(c counts) int64 {
			n := c.listCalls()
			for _, t := range catalog.CRM() {
				for _, to := range catalog.Inline(t) {
					n += c.missing(t, to)
				}
			}
			return n
		},
		// pages + one batch read per non-empty page and associated type
		PageBatch: func(c counts) int64 {
			n := c.listCalls()
			for _, t := range catalog.CRM() {
				if r := c.records(t); r > 0 {
					n += pages(r, 100) * int64(len(catalog.Inline(t)))
				}
			}
			return n
		},
	}
	tests := []struct {
		name string
		cfg  fakehub.Config
	}{
		{name: "Pages", cfg: fakehub.Config{Seed: 2, Scale: 130}},
		{name: "Overflowing inline associations", cfg: fakehub.Config{Seed: 3, Scale: 40, InlineAssociationLimit: 1}},
		{name: "Empty types", cfg: fakehub.Config{Seed: 4, Scale: 30, Sizes: map[string]int{"leads": 0, "quotes": 0}}},
	}
	for _, tt := range tests {
		for _, name := range Strategies {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				clk := testkit.NewClock(t0)
				cfg := tt.cfg
				cfg.Token, cfg.Clock = token, clk
				fake := fakehub.New(cfg)
				url := testkit.Serve(t, fake)
				m, err := runStrategy(t.Context(), spec{Strategy: name, URL: url, Token: token,
					DB: filepath.Join(t.TempDir(), "bench.db")}, clk)
				if err != nil {
					t.Fatal(err)
				}
				got := int64(fake.Stats().Total)
				if !m.Complete || m.Calls != got {
					t.Fatalf("complete %v, %d calls counted, the fake answered %d", m.Complete, m.Calls, got)
				}
				c := counts{tr: fake.Truth()}
				switch name {
				case HubextractCalls:
					if got != m.Minimum {
						t.Errorf("%s made %d calls, its minimum is %d", name, got, m.Minimum)
					}
					return
				case Hubextract:
					// The time economy may spend up to 10% more calls.
					if got < m.Minimum || float64(got) > 1.1*float64(m.Minimum) {
						t.Errorf("%s made %d calls, its minimum is %d", name, got, m.Minimum)
					}
					return
				}
				if minimum := referenceMinimum(c.tr); got < minimum {
					t.Errorf("%d calls, fewer than the minimum %d", got, minimum)
				}
				if want := formulas[name](c); got != want {
					t.Errorf("%d calls, the formula says %d", got, want)
				}
				if want := c.pairs(); m.Associations != want {
					t.Errorf("read %d associations, the data holds %d", m.Associations, want)
				}
				var records int64
				for _, typ := range catalog.CRM() {
					records += c.records(typ)
				}
				if m.Records != records {
					t.Errorf("read %d records, the data holds %d", m.Records, records)
				}
			})
		}
	}
}

// TestPacer: a paced reference client sends no faster than the product's
// client would at the same budget.
func TestPacer(t *testing.T) {
	tests := []struct {
		per10s int
		calls  int
	}{{100, 200}, {190, 400}}
	for _, tt := range tests {
		clk := testkit.NewClock(t0)
		p := newPacer(clk, tt.per10s)
		for range tt.calls {
			if err := p.wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		// The first call goes at once: calls-1 gaps at the sustained rate.
		got := clk.Now().Sub(t0).Seconds()
		if want := float64(tt.calls-1) / 9.6 * 100 / float64(tt.per10s); got < want*0.95 {
			t.Errorf("%d per 10 s: %d calls in %.1f s, want at least %.1f", tt.per10s, tt.calls, got, want*0.95)
		}
	}
}

// TestChooseFactor: the clock goes just fast enough to fit the run in the
// time allowed, never past maxFactor nor past what the machine's CPU allows.
func TestChooseFactor(t *testing.T) {
	tests := []struct {
		name   string
		free   measure
		target float64
		want   float64
	}{
		// 960 charged calls: 100 s at 9.6/s, 150 with the margin; in 8 s
		// needs ×19; the CPU served 10,000 calls/s, a quarter is
		// 2,500/s: ×260 allowed.
		{name: "Fits the target", free: measure{Calls: 960, RealSeconds: 0.096}, target: 8, want: 19},
		{name: "At most maxFactor", free: measure{Calls: 96_000, RealSeconds: 9.6}, target: 8, want: maxFactor},
		// 100 calls/s served: a quarter is 25/s, ×2 of 9.6/s.
		{name: "CPU bound", free: measure{Calls: 960, RealSeconds: 9.6}, target: 8, want: 2},
		{name: "Real time", free: measure{Calls: 10, RealSeconds: 1}, target: 8, want: 1},
		// Exempt calls at 250 ms on the 9 workers of 100 per 10 s: 600
		// calls take 16.7 s, 25 with the margin.
		{name: "Latency bound", free: measure{Calls: 600, Exempt: 500, RealSeconds: 0.06}, target: 5, want: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chooseFactor(tt.free, 100, 250*time.Millisecond, tt.target); got != tt.want {
				t.Errorf("factor %g, want %g", got, tt.want)
			}
		})
	}
}

// TestTimingExtrapolates: a run stopped at its cap is timed from the share
// of calls it made.
func TestTimingExtrapolates(t *testing.T) {
	free := measure{Strategy: Naive, Calls: 1000, Complete: true}
	got := timing(measure{Strategy: Naive, Calls: 250, Seconds: 26}, free, fakehub.Stats{Status429: 1}, 100, 20)
	floor := 1000 / 9.6 // close to hubspot.SustainedRate(100)
	if got.Complete || got.Share != 0.25 || got.WallSeconds != 104 || got.HTTP429 != 1 ||
		got.FloorSeconds < floor*0.99 || got.FloorSeconds > floor*1.01 {
		t.Errorf("timing %+v", got)
	}
}
