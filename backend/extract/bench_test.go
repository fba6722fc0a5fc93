package extract

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// BenchmarkExtractDemo runs a demo-size extraction (every type, 1,000
// records each) on real time against the fake with HubSpot's latency
// (250 ± 100 ms per call) and its default limit of 100 calls per 10 s, and
// reports the calls against the minimum and the wall time against the
// rate-limit floor (calls ÷ 10 per second). Run it alone, once:
//
//	go test -run '^$' -bench ExtractDemo -benchtime 1x ./backend/extract
func BenchmarkExtractDemo(b *testing.B) {
	for b.Loop() {
		cfg := fakehub.Config{Seed: 1, Scale: 1000, RatePer10s: hubspot.DefaultRatePer10s, SearchRatePerSec: 5,
			Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond}
		fake := fakehub.New(cfg)
		url := testkit.Serve(b, fake)
		db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "demo.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := Run(context.Background(), db, Options{Client: hubspot.New("demo-token", hubspot.WithBaseURL(url))})
		wall := time.Since(start)
		db.Close()
		if err != nil || res.Status != store.StatusSucceeded {
			b.Fatalf("run: %v %s %s", err, res.Status, res.Error)
		}
		stats := fake.Stats()
		minimum := minimumCalls(fake.Truth(), cfg, catalog.All(), false)
		floor := time.Duration(float64(stats.Total) / (float64(hubspot.DefaultRatePer10s) / 10) * float64(time.Second))
		b.ReportMetric(float64(stats.Total), "calls")
		b.ReportMetric(float64(minimum), "min-calls")
		b.ReportMetric(float64(stats.Status429), "429s")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(floor.Seconds(), "floor-s")
		b.ReportMetric(wall.Seconds()/floor.Seconds(), "wall/floor")
		if float64(stats.Total) > 1.02*float64(minimum) {
			b.Errorf("%d calls, more than 2%% over the minimum %d", stats.Total, minimum)
		}
	}
}

// BenchmarkIncrementalDemo measures, at demo size (every stream, 1,000
// records per type, 12 forms, 5,000 email events) on real time against the
// fake with HubSpot's latency and limits, a full run and then an
// incremental run after 1% of the records of every type changed (and 1%
// more email events arrived): calls and wall time of each, and their ratio.
// Run it alone, once:
//
//	go test -run '^$' -bench IncrementalDemo -benchtime 1x ./backend/extract
func BenchmarkIncrementalDemo(b *testing.B) {
	for b.Loop() {
		cfg := fakehub.Config{Seed: 1, Scale: 1000, RatePer10s: hubspot.DefaultRatePer10s, SearchRatePerSec: 5,
			Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond}
		full, incr := measureIncremental(b, cfg, nil, nil)
		reportIncremental(b, full, incr)
	}
}

// BenchmarkHistoryDemo measures what property history for contacts and
// deals costs at demo scale, on real time: a full run and an incremental
// one after 1% of every type changed, without history and with it.
//
//	go test -run '^$' -bench HistoryDemo -benchtime 1x ./backend/extract
func BenchmarkHistoryDemo(b *testing.B) {
	for _, tt := range []struct {
		name    string
		history []string
	}{
		{name: "Off", history: nil},
		{name: "ContactsAndDeals", history: []string{"contacts", "deals"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				cfg := fakehub.Config{Seed: 1, Scale: 1000, RatePer10s: hubspot.DefaultRatePer10s, SearchRatePerSec: 5,
					Latency: 250 * time.Millisecond, Jitter: 100 * time.Millisecond}
				full, incr := measureIncremental(b, cfg, nil, tt.history)
				reportIncremental(b, full, incr)
				if full.APICalls != full.MinimumCalls || incr.APICalls != incr.MinimumCalls {
					b.Errorf("calls over the minimum: full %d/%d, incremental %d/%d", full.APICalls, full.MinimumCalls,
						incr.APICalls, incr.MinimumCalls)
				}
			}
		})
	}
}

// TestIncrementalCallsAtScale is BenchmarkIncrementalDemo's comparison of
// calls at 50,000 records per type (HUBEXTRACT_SCALE to change it), on
// virtual time (no latency): where the fixed cost of an incremental run (a
// few calls per type and per form) no longer dominates. Env-gated:
// HUBEXTRACT_LONG_TESTS=1 (a few minutes).
func TestIncrementalCallsAtScale(t *testing.T) {
	t.Parallel()
	if os.Getenv("HUBEXTRACT_LONG_TESTS") == "" {
		t.Skip("450,000 records: set HUBEXTRACT_LONG_TESTS=1")
	}
	scale := 50_000
	if v := os.Getenv("HUBEXTRACT_SCALE"); v != "" {
		var err error
		if scale, err = strconv.Atoi(v); err != nil {
			t.Fatalf("HUBEXTRACT_SCALE: %v", err)
		}
	}
	clk := testkit.NewClock(t0)
	full, incr := measureIncremental(t, fakehub.Config{Seed: 1, Scale: scale, Clock: clk}, clk, nil)
	t.Logf("full: %d calls; incremental after 1%% changed: %d calls (%.1f%%)", full.APICalls, incr.APICalls,
		100*float64(incr.APICalls)/float64(full.APICalls))
	if incr.Status != store.StatusSucceeded || float64(incr.APICalls) > 0.05*float64(full.APICalls) {
		t.Errorf("incremental run: %s, %d calls against %d", incr.Status, incr.APICalls, full.APICalls)
	}
}

// measureIncremental makes a full run, changes 1% of every CRM type and
// adds 1% more email events, then makes an incremental run. clk is the
// fake clock of cfg (nil: real time).
func measureIncremental(tb testing.TB, cfg fakehub.Config, clk *testkit.Clock, history []string) (full, incr Result) {
	tb.Helper()
	fake := fakehub.New(cfg)
	url := testkit.Serve(tb, fake)
	db := testkit.OpenDB(tb)
	copts := []hubspot.Option{hubspot.WithBaseURL(url)}
	if clk != nil {
		copts = append(copts, hubspot.WithClock(clk))
	}
	opts := Options{Client: hubspot.New("demo-token", copts...), History: history}
	run := func() Result {
		res, err := Run(context.Background(), db, opts)
		if err != nil || res.Status != store.StatusSucceeded {
			tb.Fatalf("run: %v %s %s", err, res.Status, res.Error)
		}
		return res
	}
	full = run()
	now := time.Now()
	if clk != nil {
		clk.Advance(time.Hour)
		now = clk.Now()
	}
	tr := fake.Truth()
	for _, typ := range catalog.CRM() {
		ids := tr.IDs(typ, false)
		var changed []string
		for i := 0; i < len(ids); i += 100 {
			changed = append(changed, ids[i])
		}
		fake.Modify(typ, changed, now)
	}
	fake.AddEmailEvents(len(tr.EmailEventIDs(time.UnixMilli(0), now))/100, now)
	if clk != nil {
		clk.Advance(time.Minute)
	}
	return full, run()
}

func reportIncremental(b *testing.B, full, incr Result) {
	wall := func(r Result) float64 { return r.FinishedAt.Sub(r.StartedAt).Seconds() }
	b.ReportMetric(float64(full.APICalls), "full-calls")
	b.ReportMetric(wall(full), "full-wall-s")
	b.ReportMetric(float64(incr.APICalls), "incr-calls")
	b.ReportMetric(wall(incr), "incr-wall-s")
	b.ReportMetric(100*float64(incr.APICalls)/float64(full.APICalls), "incr-calls-%")
	b.ReportMetric(100*wall(incr)/wall(full), "incr-wall-%")
	for _, s := range incr.Streams {
		b.Logf("incremental %-16s %5d records %4d calls", s.Stream, s.Records, s.APICalls)
	}
}

// BenchmarkIngestUnthrottled measures the run's own cost: a full run of
// every type against the fake on loopback with no latency and no rate
// limit, HUBEXTRACT_SCALE records per type (default 10,000), into a real
// SQLite file. records/s counts every stored record (all streams) over the
// run's wall time; the fake serves on the same cores, so its cost is in it.
//
//	go test -run '^$' -bench IngestUnthrottled -benchtime 1x -cpuprofile cpu.out ./backend/extract
func BenchmarkIngestUnthrottled(b *testing.B) {
	scale := 10_000
	if v := os.Getenv("HUBEXTRACT_SCALE"); v != "" {
		var err error
		if scale, err = strconv.Atoi(v); err != nil {
			b.Fatalf("HUBEXTRACT_SCALE: %v", err)
		}
	}
	fake := fakehub.New(fakehub.Config{Seed: 1, Scale: scale})
	url := testkit.Serve(b, fake)
	b.ReportAllocs()
	var records int64
	for b.Loop() {
		db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "ingest.db"))
		if err != nil {
			b.Fatal(err)
		}
		// Limits far above what loopback can reach: the client never waits.
		client := hubspot.New("demo-token", hubspot.WithBaseURL(url), hubspot.WithRateLimit(1_000_000_000),
			hubspot.WithSearchRate(1e9))
		res, err := Run(context.Background(), db, Options{Client: client})
		db.Close()
		if err != nil || res.Status != store.StatusSucceeded {
			b.Fatalf("run: %v %s %s", err, res.Status, res.Error)
		}
		for _, s := range res.Streams {
			records += s.Records
		}
	}
	b.ReportMetric(float64(records)/float64(b.N), "records")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
