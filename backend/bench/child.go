package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"hubextract/backend/clock"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// ChildEnv, when set, makes `hubextract bench` run one strategy and print
// its measure instead of the benchmark: the harness starts each strategy
// in a process of its own this way, so that its peak RSS is its own (the
// fake HubSpot it talks to lives in the harness's process).
const ChildEnv = "HUBEXTRACT_BENCH_CHILD"

// The product's own strategies: extract.Run into a real SQLite file, with
// its default options (the time economy), and with the economy of the
// fewest calls.
const (
	Hubextract      = "hubextract"
	HubextractCalls = "hubextract-fewest-calls"
)

// Strategies are the strategies compared, the product first.
var Strategies = []string{Hubextract, HubextractCalls, Naive, MissingOnly, PageBatch}

// isProduct tells the product's strategies from the reference ones.
func isProduct(strategy string) bool { return strategy == Hubextract || strategy == HubextractCalls }

// spec is one strategy run, as the harness hands it to a child process.
type spec struct {
	Strategy string `json:"strategy"`
	URL      string `json:"url"`
	Token    string `json:"token"`
	DB       string `json:"db,omitempty"` // hubextract's database file
	// Per10s is the budget the client keeps under (0: no limit at all).
	Per10s int `json:"per10s"`
	// Clock is the clock shared with the fake (nil: the real one).
	Clock *scaledClock `json:"clock,omitempty"`
	// CapSeconds stops a reference strategy after this much real time
	// (0: never); its time is then extrapolated (see timedRun).
	CapSeconds float64 `json:"cap_seconds,omitempty"`
	// Profile: the run reports where its CPU time went (ingestParts).
	Profile bool `json:"profile,omitempty"`
	// Upkeep: hubextract's database maintains more or less than as
	// shipped, to measure what that costs ("": as shipped).
	Upkeep Upkeep `json:"upkeep,omitempty"`
}

// measure is what one strategy run reports.
type measure struct {
	Strategy string `json:"strategy"`
	// Complete is false when the run was stopped at its cap.
	Complete     bool  `json:"complete"`
	Calls        int64 `json:"calls"` // as the client counted them
	Exempt       int64 `json:"exempt"`
	Records      int64 `json:"records"`
	Associations int64 `json:"associations,omitempty"`
	// Minimum and FloorSeconds are hubextract's own (extract.Result).
	Minimum      int64   `json:"minimum,omitempty"`
	FloorSeconds float64 `json:"floor_seconds,omitempty"`
	Status       string  `json:"status,omitempty"`
	Seconds      float64 `json:"seconds"`      // on the run's clock
	RealSeconds  float64 `json:"real_seconds"` // on the wall clock
	PeakRSS      int64   `json:"peak_rss_bytes"`
	// CPUSeconds is the run's process's CPU time, ServerCPUSeconds the
	// fake's meanwhile (the harness's process), both user and system.
	CPUSeconds       float64 `json:"cpu_seconds"`
	ServerCPUSeconds float64 `json:"server_cpu_seconds"`
	// Profile is where the run's CPU time went, when the spec asked.
	Profile []Share `json:"profile,omitempty"`
}

// RunChild runs the strategy run described by specJSON (the value of
// ChildEnv) and writes its measure to w as JSON.
func RunChild(ctx context.Context, specJSON string, w io.Writer) error {
	var s spec
	if err := json.Unmarshal([]byte(specJSON), &s); err != nil {
		return fmt.Errorf("%s: %w", ChildEnv, err)
	}
	if s.CapSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(s.CapSeconds*float64(time.Second)))
		defer cancel()
	}
	var clk clock.Clock = clock.Real{}
	if s.Clock != nil {
		clk = *s.Clock
	}
	var m measure
	run := func() (err error) {
		m, err = runStrategy(ctx, s, clk)
		return err
	}
	var err error
	if s.Profile {
		m.Profile, err = profiled(ingestParts, run)
	} else {
		err = run()
	}
	if err != nil {
		return err
	}
	m.PeakRSS = peakRSS()
	return json.NewEncoder(w).Encode(m)
}

// runStrategy runs one strategy in this process.
func runStrategy(ctx context.Context, s spec, clk clock.Clock) (measure, error) {
	start := time.Now()
	var m measure
	var err error
	if isProduct(s.Strategy) {
		m, err = runProduct(ctx, s, clk)
	} else {
		m, err = runReference(ctx, s.Strategy, s.URL, s.Token, s.Per10s, clk)
	}
	m.RealSeconds = time.Since(start).Seconds()
	return m, err
}

// runProduct is hubextract's run: extract.Run with default options (but
// the economy), the client told the account's budget, on the shared clock.
func runProduct(ctx context.Context, s spec, clk clock.Clock) (measure, error) {
	db, err := store.Open(ctx, s.DB)
	if err != nil {
		return measure{}, err
	}
	defer db.Close()
	switch s.Upkeep {
	case NoSearchIndex:
		err = db.StopSearchIndex(ctx)
	case WithChangeLog:
		err = db.KeepChangeLog(ctx)
	}
	if err != nil {
		return measure{}, err
	}
	opts := []hubspot.Option{hubspot.WithBaseURL(s.URL), hubspot.WithClock(clk)}
	if s.Per10s > 0 {
		opts = append(opts, hubspot.WithRateLimit(s.Per10s))
	} else {
		opts = append(opts, hubspot.WithRateLimit(unlimited), hubspot.WithSearchRate(unlimited))
	}
	o := extract.Options{Client: hubspot.New(s.Token, opts...)}
	if s.Strategy == HubextractCalls {
		o.Economy = extract.EconomyCalls
	}
	start := clk.Now()
	res, err := extract.Run(ctx, db, o)
	if err != nil {
		return measure{}, fmt.Errorf("%s: %w", s.Strategy, err)
	}
	if res.Status != store.StatusSucceeded {
		return measure{}, fmt.Errorf("%s: run %s: %s", s.Strategy, res.Status, res.Error)
	}
	m := measure{Strategy: s.Strategy, Complete: true, Calls: res.APICalls, Exempt: res.ExemptCalls,
		Minimum: res.MinimumCalls, FloorSeconds: res.FloorSeconds, Status: res.Status, Seconds: clk.Now().Sub(start).Seconds()}
	for _, st := range res.Streams {
		m.Records += st.Records
	}
	return m, nil
}

// peakRSS is this process's peak resident set size (Linux's VmHWM); 0
// where /proc does not tell it.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
