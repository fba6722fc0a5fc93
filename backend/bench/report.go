package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Report is a whole benchmark.
type Report struct {
	// Command is the command line that made the report.
	Command string  `json:"command"`
	Machine Machine `json:"machine"`
	Date    string  `json:"date"`
	// LoadBefore and LoadAfter are the machine's load averages (1, 5 and
	// 15 minutes) when the benchmark started and ended: other work on the
	// same cores slows the figures.
	LoadBefore string        `json:"load_before"`
	LoadAfter  string        `json:"load_after"`
	CapSeconds float64       `json:"cap_seconds"`
	Scales     []ScaleReport `json:"scales"`
	Large      *LargeReport  `json:"large,omitempty"`
}

// Machine is where the figures were measured.
type Machine struct {
	CPU   string `json:"cpu"`
	Cores int    `json:"cores"`
	RAM   int64  `json:"ram_bytes"`
	Go    string `json:"go"`
	OS    string `json:"os"`
}

// ScaleReport is every strategy at one scale.
type ScaleReport struct {
	Scale       int                `json:"scale"`
	Command     string             `json:"command"`
	Strategies  []StrategyReport   `json:"strategies"`
	Incremental *IncrementalReport `json:"incremental,omitempty"`
	// Upkeep is hubextract's run with no limit again, with the store
	// keeping more or less than it does as shipped on every write.
	Upkeep []UpkeepReport `json:"upkeep,omitempty"`
}

// Upkeep is a variation of what the store maintains on every write.
type Upkeep string

// The variations the bench measures, against the product as shipped (the
// search index kept, the change log not: no team database).
const (
	NoSearchIndex Upkeep = "without the search index"
	WithChangeLog Upkeep = "with the change log a team database reads"
)

// UpkeepReport is hubextract's run with no limit under Variant.
type UpkeepReport struct {
	Variant          Upkeep  `json:"variant"`
	Records          int64   `json:"records"`
	RecordsPerSecond float64 `json:"records_per_second"` // the median of RecordsPerSecondRuns
	// RecordsPerSecondRuns: each of its runs (see freeRuns).
	RecordsPerSecondRuns []float64 `json:"records_per_second_runs"`
}

// StrategyReport is one strategy at one scale.
type StrategyReport struct {
	Name       string  `json:"name"`
	Calls      int64   `json:"calls"`
	Exempt     int64   `json:"exempt"`
	Minimum    int64   `json:"minimum"`
	CallsRatio float64 `json:"calls_ratio"`
	Records    int64   `json:"records"`
	// RecordsPerSecond is without any limit or latency, in real time:
	// hubextract's is the median of RecordsPerSecondRuns (see freeRuns).
	RecordsPerSecond     float64      `json:"records_per_second"`
	RecordsPerSecondRuns []float64    `json:"records_per_second_runs,omitempty"`
	PeakRSS              int64        `json:"peak_rss_bytes"` // the most of its processes
	Rates                []RateReport `json:"rates"`
}

// RateReport is one strategy timed at one budget.
type RateReport struct {
	Per10s int `json:"per10s"`
	// Factor is how much faster than real time the run's clock went.
	Factor float64 `json:"clock_factor"`
	// Complete: the run finished and WallSeconds was measured; else it
	// was stopped at the cap after Share of its calls, and WallSeconds is
	// extrapolated from them.
	Complete     bool    `json:"complete"`
	Share        float64 `json:"share"`
	ChargedRate  float64 `json:"charged_rate,omitempty"` // charged calls per second while it ran (stopped runs)
	WallSeconds  float64 `json:"wall_seconds"`
	FloorSeconds float64 `json:"floor_seconds"`
	WallRatio    float64 `json:"wall_ratio"`
	HTTP429      int     `json:"http_429"`
}

// IncrementalReport compares hubextract's full run with the incremental
// run after 1% of the records changed.
type IncrementalReport struct {
	Per10s             int     `json:"per10s"`
	Factor             float64 `json:"clock_factor"`
	Changed            int     `json:"changed"`
	FullCalls          int64   `json:"full_calls"`
	FullSeconds        float64 `json:"full_seconds"`
	IncrementalCalls   int64   `json:"incremental_calls"`
	IncrementalSeconds float64 `json:"incremental_seconds"`
}

// summary is one strategy as `bench --json` prints it, field for field.
type summary struct {
	Name         string  `json:"name"`
	Calls        int64   `json:"calls"`
	Minimum      int64   `json:"minimum"`
	CallsRatio   float64 `json:"calls_ratio"`
	WallSeconds  float64 `json:"wall_seconds"`
	FloorSeconds float64 `json:"floor_seconds"`
	WallRatio    float64 `json:"wall_ratio"`
	HTTP429      int     `json:"http_429"`
	Records      int64   `json:"records"`
	PeakRSS      int64   `json:"peak_rss_bytes"`
}

// WriteJSON writes the strategies of the first scale in the checked shape
// (wall time at the first budget, 429s of both), and the whole report
// beside them.
func (r *Report) WriteJSON(w io.Writer) error {
	out := struct {
		Strategies []summary `json:"strategies"`
		Report     *Report   `json:"report"`
	}{Strategies: []summary{}, Report: r}
	if len(r.Scales) > 0 {
		for _, s := range r.Scales[0].Strategies {
			sm := summary{Name: s.Name, Calls: s.Calls, Minimum: s.Minimum, CallsRatio: s.CallsRatio,
				Records: s.Records, PeakRSS: s.PeakRSS}
			if len(s.Rates) > 0 {
				sm.WallSeconds, sm.FloorSeconds, sm.WallRatio = s.Rates[0].WallSeconds, s.Rates[0].FloorSeconds, s.Rates[0].WallRatio
			}
			for _, t := range s.Rates {
				sm.HTTP429 += t.HTTP429
			}
			out.Strategies = append(out.Strategies, sm)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// machine describes this computer.
func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH, CPU: "unknown"}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64)
		m.RAM = kb << 10
	}
	return m
}

// loadAverage is /proc/loadavg's three load averages ("" where there is
// none).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// procField is the first "name: value" line's value in a /proc file.
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Text is the report as plain tables, for the terminal.
func (r *Report) Text() string {
	var b strings.Builder
	for _, s := range r.Scales {
		fmt.Fprintf(&b, "%d records per CRM type (%s)\n", s.Scale, s.Command)
		fmt.Fprintf(&b, "%-13s %9s %9s %7s %12s %11s %7s %12s %11s %7s %5s %9s %10s %9s\n", "strategy", "calls", "minimum", "÷min",
			"wall@100", "floor@100", "÷floor", "wall@190", "floor@190", "÷floor", "429s", "records", "rec/s", "peak RSS")
		for _, st := range s.Strategies {
			fmt.Fprintf(&b, "%-13s %9d %9d %7.2f", st.Name, st.Calls, st.Minimum, st.CallsRatio)
			for _, t := range st.Rates {
				fmt.Fprintf(&b, " %12s %11s %7.2f", seconds(t.WallSeconds)+timeMark(t), seconds(t.FloorSeconds), t.WallRatio)
			}
			fmt.Fprintf(&b, " %5d %9d %10.0f %9s\n", http429(st), st.Records, st.RecordsPerSecond, mib(st.PeakRSS))
		}
		if in := s.Incremental; in != nil {
			fmt.Fprintf(&b, "incremental after %d records changed: %d calls in %s against the full run's %d in %s\n",
				in.Changed, in.IncrementalCalls, seconds(in.IncrementalSeconds), in.FullCalls, seconds(in.FullSeconds))
		}
		b.WriteString("* extrapolated from the calls made before the cap\n\n")
	}
	if l := r.Large; l != nil {
		for _, p := range l.Points {
			fmt.Fprintf(&b, "%d contacts: %d records in %s (%.0f records/s), peak RSS %s\n", p.Contacts, p.Records,
				seconds(p.Seconds), p.RecordsPerSecond, mib(p.PeakRSS))
		}
		fmt.Fprintf(&b, "export: %d rows in %s (%.0f rows/s)\n", l.ExportRows, seconds(l.ExportSeconds), l.ExportRowsPerSecond)
		fmt.Fprintf(&b, "browse: first page %.1f ms, next page %.1f ms, search %q %.1f ms, search %q %.1f ms\n",
			l.FirstPageMs, l.NextPageMs, l.SearchWord, l.SearchMs, l.RareWord, l.RareSearchMs)
	}
	return b.String()
}

func http429(st StrategyReport) int {
	n := 0
	for _, t := range st.Rates {
		n += t.HTTP429
	}
	return n
}

// timeMark flags an extrapolated time.
func timeMark(t RateReport) string {
	if t.Complete {
		return ""
	}
	return "*"
}

func seconds(s float64) string {
	switch {
	case s >= 3600:
		return fmt.Sprintf("%.1f h", s/3600)
	case s >= 100:
		return fmt.Sprintf("%.0f s", s)
	}
	return fmt.Sprintf("%.1f s", s)
}

func mib(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}
