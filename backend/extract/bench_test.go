package extract

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
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
		fake, url := fakehub.NewTestServer(b, cfg)
		db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "demo.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := Run(context.Background(), db, Options{Token: "demo-token",
			Client: []hubspot.Option{hubspot.WithBaseURL(url)}})
		wall := time.Since(start)
		db.Close()
		if err != nil || res.Status != store.StatusSucceeded {
			b.Fatalf("run: %v %s %s", err, res.Status, res.Error)
		}
		stats := fake.Stats()
		minimum := minimumCalls(fake.Truth(), cfg, ObjectTypes, false)
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
