// Package bench owns `hubextract bench`: the benchmark harness that runs
// hubextract's extraction and the labelled reference strategies
// (reference.go) side by side against the same seeded fake HubSpot on
// loopback, each strategy in a process of its own, and reports their calls,
// time against the rate-limit floor, throughput and memory, with the
// timings of export, the record browser and an incremental run. It must
// not be imported by the product: only the bench subcommand wires it in.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
)

// HubSpot's usual latency, which the timed runs' fake imitates, and the
// account budgets they run at: 100 calls per 10 s (Free, Starter) and 190
// (Professional, Enterprise).
const (
	hubspotLatency = 250 * time.Millisecond
	maxJitter      = 100 * time.Millisecond
	token          = "bench-token"
)

// Rates are the budgets every strategy is timed at, in calls per 10 s.
var Rates = []int{hubspot.DefaultRatePer10s, 190}

// Options shape one benchmark.
type Options struct {
	Scales []int // records per CRM type, one section each
	// Contacts, when positive, adds the large run: that many contacts,
	// extracted without a limit, then exported and browsed.
	Contacts int
	Seed     int64
	// Executable and Args start a strategy's process: the harness sets
	// ChildEnv, and the process must call RunChild (`hubextract bench`).
	Executable string
	Args       []string
	// CapSeconds is the most real time a reference strategy is timed for
	// at one budget; past it the run stops and its time is extrapolated
	// from the calls it made (0: DefaultCap).
	CapSeconds float64
	// Speed fixes the timed runs' clock speed-up (0: chosen per run, see
	// chooseFactor).
	Speed float64
	// Latency is the fake's mean latency in the timed runs (nil:
	// HubSpot's usual 250 ms), with up to ±100 ms of jitter, at most half
	// of it.
	Latency *time.Duration
	Log     io.Writer // progress lines (nil: none)
	// Command is the command line, for the report.
	Command string
}

// DefaultCap keeps `bench --scale 1000` within two minutes on two cores.
const DefaultCap = 6.0

// productSpan is the real time the clock of the product's timed runs aims
// at (they are never cut short: their time is always measured).
const productSpan = 18.0

// maxFactor is the fastest the timed runs' clock goes: the wall clock's
// timers are good to about a millisecond, which at ×20 is 20 ms of the
// 250 ms latency.
const maxFactor = 20

// cpuShare is the share of this machine's unthrottled call rate a timed run
// may use (after the clock's speed-up): CPU time also passes faster on a
// faster clock, so a run that needed more would look slow for want of
// CPU, not of budget.
const cpuShare = 0.25

// Run runs the benchmark.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.CapSeconds <= 0 {
		o.CapSeconds = DefaultCap
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	dir, err := os.MkdirTemp("", "hubextract-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	h := &harness{o: o, dir: dir, latency: hubspotLatency}
	if o.Latency != nil {
		h.latency = *o.Latency
	}
	rep := &Report{Command: o.Command, Machine: machine(), Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), CapSeconds: o.CapSeconds,
		LoadBefore: loadAverage()}
	for _, scale := range o.Scales {
		s, err := h.scale(ctx, scale)
		if err != nil {
			return nil, fmt.Errorf("bench --scale %d: %w", scale, err)
		}
		rep.Scales = append(rep.Scales, s)
	}
	if o.Contacts > 0 {
		l, err := h.large(ctx, o.Contacts)
		if err != nil {
			return nil, fmt.Errorf("bench --contacts %d: %w", o.Contacts, err)
		}
		rep.Large = l
	}
	rep.LoadAfter = loadAverage()
	return rep, nil
}

type harness struct {
	o       Options
	dir     string
	latency time.Duration
	n       int // databases made
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(h.o.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// newDB names a fresh database file.
func (h *harness) newDB() string {
	h.n++
	return filepath.Join(h.dir, fmt.Sprintf("run%d.db", h.n))
}

// scale runs every strategy on scale records per CRM type.
func (h *harness) scale(ctx context.Context, scale int) (ScaleReport, error) {
	sr := ScaleReport{Scale: scale, Command: fmt.Sprintf("hubextract bench --scale %d", scale)}
	for _, name := range Strategies {
		st, incr, err := h.strategy(ctx, name, fakehub.Config{Seed: h.o.Seed, Scale: scale})
		if err != nil {
			return sr, err
		}
		sr.Strategies = append(sr.Strategies, st)
		if incr != nil {
			sr.Incremental = incr
		}
	}
	for _, u := range []Upkeep{NoSearchIndex, WithChangeLog} {
		h.logf("scale %d: %s, no limit, %s", scale, Hubextract, u)
		m, srv, runs, err := h.free(ctx, fakehub.Config{Seed: h.o.Seed, Scale: scale},
			spec{Strategy: Hubextract, Upkeep: u}, freeRuns)
		if err != nil {
			return sr, err
		}
		srv.stop()
		sr.Upkeep = append(sr.Upkeep, UpkeepReport{Variant: u, Records: m.Records,
			RecordsPerSecond: perSecond(m), RecordsPerSecondRuns: runs})
	}
	return sr, nil
}

// strategy measures one strategy: a run with no limit and no latency (its
// calls, records per second, the data's minimum), then one at each budget
// with HubSpot's latency on a scaled clock; for hubextract, an incremental
// run after 1% of the records changed, at the first budget.
func (h *harness) strategy(ctx context.Context, name string, data fakehub.Config) (StrategyReport, *IncrementalReport, error) {
	h.logf("scale %d: %s, no limit", data.Scale, name)
	runs := 1
	if name == Hubextract {
		runs = freeRuns
	}
	free, srv, perRun, err := h.free(ctx, data, spec{Strategy: name}, runs)
	if err != nil {
		return StrategyReport{}, nil, err
	}
	srv.stop()
	st := StrategyReport{Name: name, Calls: free.Calls, Minimum: free.Minimum, Records: free.Records,
		RecordsPerSecond: perSecond(free), PeakRSS: free.PeakRSS, Exempt: free.Exempt}
	if runs > 1 {
		st.RecordsPerSecondRuns = perRun
	}
	if !isProduct(name) {
		st.Minimum = referenceMinimum(srv.fake.Truth())
	}
	var incr *IncrementalReport
	for i, per10s := range Rates {
		factor := h.o.Speed
		if factor <= 0 {
			target := h.capFor(name)
			if target == 0 {
				target = productSpan
			}
			factor = chooseFactor(free, per10s, h.latency, target)
		}
		clk := newScaledClock(factor)
		db := h.newDB()
		h.logf("scale %d: %s at %d per 10 s, clock ×%g", data.Scale, name, per10s, factor)
		m, srv, err := h.launch(ctx, data, spec{Strategy: name, DB: db, Per10s: per10s, Clock: &clk, CapSeconds: h.capFor(name)})
		if err != nil {
			return st, nil, err
		}
		stats := srv.fake.Stats()
		st.Rates = append(st.Rates, timing(m, free, stats, per10s, factor))
		st.PeakRSS = max(st.PeakRSS, m.PeakRSS)
		if i == 0 && m.Complete {
			st.Calls = int64(stats.Total) // at the default budget, with any retries
			if isProduct(name) {
				st.Minimum = m.Minimum
			}
			if name == Hubextract {
				incr, err = h.incremental(ctx, srv, m, db, per10s, clk)
			}
		}
		srv.stop()
		if err != nil {
			return st, nil, err
		}
	}
	st.CallsRatio = ratio(float64(st.Calls), float64(st.Minimum))
	return st, incr, nil
}

// freeRuns is how many runs with no limit give hubextract's records per
// second (and each upkeep variant's): their median, as a single run follows
// the machine's drift (±10% within an hour on a shared one).
const freeRuns = 3

// free runs s with no limit and no latency runs times, each into a fresh
// database, and returns the run of median speed (with the largest peak RSS
// of them), the fake that served it (the others stopped) and every run's
// records per second in the order run.
func (h *harness) free(ctx context.Context, data fakehub.Config, s spec, runs int) (measure, *served, []float64, error) {
	var ms []measure
	var srvs []*served
	var perRun []float64
	for range runs {
		s.DB = h.newDB()
		m, srv, err := h.launch(ctx, data, s)
		if err != nil {
			for _, o := range srvs {
				o.stop()
			}
			return measure{}, nil, nil, err
		}
		ms, srvs, perRun = append(ms, m), append(srvs, srv), append(perRun, perSecond(m))
	}
	mid := slices.Index(perRun, slices.Sorted(slices.Values(perRun))[runs/2])
	m := ms[mid]
	for i, o := range ms {
		m.PeakRSS = max(m.PeakRSS, o.PeakRSS)
		if i != mid {
			srvs[i].stop()
		}
	}
	return m, srvs[mid], perRun, nil
}

// perSecond is a run's records per second of real time.
func perSecond(m measure) float64 { return float64(m.Records) / m.RealSeconds }

// capFor: the product's runs are never cut short.
func (h *harness) capFor(name string) float64 {
	if isProduct(name) {
		return 0
	}
	return h.o.CapSeconds
}

// chooseFactor picks how much faster than real time a timed run's clock
// goes: just enough to fit the run in target seconds of real time, at most
// maxFactor, and slow enough that the run needs at most cpuShare of the
// call rate this machine served the same strategy without a limit.
func chooseFactor(free measure, per10s int, latency time.Duration, target float64) float64 {
	sustained := hubspot.SustainedRate(per10s)
	// The run's expected length: at the budget, or at the latency with
	// the product's concurrency, whichever is longer; half as long again,
	// as the start (property definitions, first pages) runs below the
	// budget.
	expected := 1.5 * max(float64(free.Calls-free.Exempt)/sustained, float64(free.Calls)*latency.Seconds()/float64(extract.AutoConcurrency(per10s)))
	cpu := math.Floor(cpuShare * float64(free.Calls) / free.RealSeconds / sustained)
	return max(1, min(math.Ceil(expected/target), maxFactor, cpu))
}

// timing turns a timed run into its report: the time measured when the
// run completed; else extrapolated from the calls it made in the time it
// had to the calls a complete run makes (free's).
func timing(m, free measure, stats fakehub.Stats, per10s int, factor float64) RateReport {
	t := RateReport{Per10s: per10s, Factor: factor, HTTP429: stats.Status429, Complete: m.Complete, Share: 1,
		WallSeconds: m.Seconds}
	if isProduct(m.Strategy) {
		t.FloorSeconds = m.FloorSeconds
	} else {
		// extract.Result's floor: the charged calls at the rate the
		// client keeps.
		t.FloorSeconds = float64(free.Calls-free.Exempt) / hubspot.SustainedRate(per10s)
	}
	if !m.Complete {
		t.Share = float64(m.Calls) / float64(free.Calls)
		t.WallSeconds = m.Seconds / t.Share
		if m.Seconds > 0 {
			t.ChargedRate = float64(m.Calls-m.Exempt) / m.Seconds
		}
	}
	t.WallRatio = ratio(t.WallSeconds, t.FloorSeconds)
	return t
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

// incremental changes 1% of every CRM type's records (and adds 1% more
// email events) in the fake the full run read, then runs hubextract again
// on its database: the incremental run, on the same clock and budget.
func (h *harness) incremental(ctx context.Context, srv *served, full measure, db string, per10s int, clk scaledClock) (*IncrementalReport, error) {
	fake := srv.fake
	now := clk.Now()
	tr := fake.Truth()
	var changed int
	for _, typ := range catalog.CRM() {
		ids := tr.IDs(typ, false)
		var some []string
		for i := 0; i < len(ids); i += 100 {
			some = append(some, ids[i])
		}
		changed += len(some)
		fake.Modify(typ, some, now)
	}
	fake.AddEmailEvents(len(tr.EmailEventIDs(time.UnixMilli(0), now))/100, now)
	// The incremental run starts after the changes' instant.
	if err := clk.Sleep(ctx, time.Second); err != nil {
		return nil, err
	}
	fake.ResetStats()
	h.logf("incremental run after %d records changed", changed)
	m, err := h.child(ctx, spec{Strategy: Hubextract, URL: srv.url, Token: token, DB: db, Per10s: per10s, Clock: &clk})
	if err != nil {
		return nil, err
	}
	return &IncrementalReport{Per10s: per10s, Factor: clk.Factor, Changed: changed,
		FullCalls: full.Calls, FullSeconds: full.Seconds, IncrementalCalls: m.Calls, IncrementalSeconds: m.Seconds}, nil
}

// launch serves a fresh fake of data (at s.Per10s with HubSpot's latency
// on s.Clock, or unthrottled and instant when that is nil) and runs the
// strategy run s against it in its own process. The fake stays up for the
// caller (its stats, its truth, an incremental run), who stops it. The
// measure tells the CPU time the fake's process (this one) spent meanwhile.
func (h *harness) launch(ctx context.Context, data fakehub.Config, s spec) (measure, *served, error) {
	cfg := data
	cfg.Token = token
	if s.Clock != nil {
		cfg.Clock = *s.Clock
		cfg.Latency, cfg.Jitter = h.latency, min(maxJitter, h.latency/2)
		cfg.RatePer10s, cfg.SearchRatePerSec = s.Per10s, 5
	}
	srv, err := serve(fakehub.New(cfg))
	if err != nil {
		return measure{}, nil, err
	}
	s.URL, s.Token = srv.url, token
	before := cpuSeconds()
	m, err := h.child(ctx, s)
	if err != nil {
		srv.stop()
		return measure{}, nil, err
	}
	m.ServerCPUSeconds = cpuSeconds() - before
	return m, srv, nil
}

// cpuSeconds is the CPU time this process's Go code has had so far, as
// the runtime counts it (portable, unlike getrusage; an estimate that
// leaves out time spent in cgo, which hubextract has none of).
func cpuSeconds() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 || s[1].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64() - s[1].Value.Float64()
}

// child runs one strategy in a process of its own and reads its measure.
func (h *harness) child(ctx context.Context, s spec) (measure, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return measure{}, err
	}
	cmd := exec.CommandContext(ctx, h.o.Executable, h.o.Args...)
	cmd.Env = append(os.Environ(), ChildEnv+"="+string(b))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return measure{}, fmt.Errorf("%s: %w: %s", s.Strategy, err, strings.TrimSpace(stderr.String()))
	}
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var m measure
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		return measure{}, fmt.Errorf("%s: its measure: %w (%q)", s.Strategy, err, stdout.String())
	}
	m.CPUSeconds = cpu
	return m, nil
}

// served is a fake HubSpot on a loopback port.
type served struct {
	fake *fakehub.Server
	url  string
	srv  *http.Server
	done chan struct{}
}

func serve(fake *fakehub.Server) (*served, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("serve the fake HubSpot: %w", err)
	}
	s := &served{fake: fake, url: "http://" + ln.Addr().String(), done: make(chan struct{}),
		srv: &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "bench: fake HubSpot:", err)
		}
	}()
	return s, nil
}

func (s *served) stop() {
	_ = s.srv.Close()
	<-s.done
}

// referenceMinimum is the fewest calls that read what the reference
// strategies read: per CRM type its property definitions and its active
// records in pages of 100 with their associations inline, plus a v4 batch
// read per 1,000 records whose inline associations overflowed.
func referenceMinimum(tr *fakehub.Truth) int64 {
	var calls int64
	for _, t := range catalog.CRM() {
		calls += 1 + pages(int64(len(tr.IDs(t, false))), hubspot.MaxListLimit)
		for _, to := range catalog.Inline(t) {
			calls += (int64(len(tr.OverflowIDs(t, to))) + hubspot.MaxAssociationInputs - 1) / hubspot.MaxAssociationInputs
		}
	}
	return calls
}

// pages is how many pages of size hold n items; an empty list is one page.
func pages(n, size int64) int64 { return max(1, (n+size-1)/size) }
