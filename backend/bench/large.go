package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"hubextract/backend/export"
	"hubextract/backend/fakehub"
	"hubextract/backend/store"
)

// LargeReport is the run at many contacts: memory at a tenth of them and
// at all of them, then the CSV export and the record browser over them.
type LargeReport struct {
	Command string       `json:"command"`
	Points  []LargePoint `json:"points"`
	// ExportRows in ExportSeconds: every contact written as CSV to a file
	// (export.Write, as `hubextract export` and the app's Export do), the
	// run of median speed among ExportRowsPerSecondRuns (see exportRuns).
	ExportRows              int64     `json:"export_rows"`
	ExportSeconds           float64   `json:"export_seconds"`
	ExportRowsPerSecond     float64   `json:"export_rows_per_second"`
	ExportRowsPerSecondRuns []float64 `json:"export_rows_per_second_runs"`
	// The record browser's queries (store.RecordsPage, the Records
	// screen's), the median of browseRepeats, in milliseconds.
	FirstPageMs  float64 `json:"first_page_ms"`
	NextPageMs   float64 `json:"next_page_ms"`
	SearchWord   string  `json:"search_word"`
	SearchMs     float64 `json:"search_ms"`
	SearchRows   int     `json:"search_rows"`
	RareWord     string  `json:"rare_word"`
	RareSearchMs float64 `json:"rare_search_ms"`
	RareRows     int     `json:"rare_rows"`
	// Ingest is where the smaller run's time went; ExportParts the
	// export's.
	Ingest      *IngestProfile `json:"ingest_profile,omitempty"`
	ExportParts []Share        `json:"export_profile,omitempty"`
}

// IngestProfile is where an unthrottled run's time went: the CPU time of
// its process by part, and the fake's on the same cores.
type IngestProfile struct {
	Contacts         int     `json:"contacts"`
	Seconds          float64 `json:"seconds"`
	CPUSeconds       float64 `json:"cpu_seconds"`
	ServerCPUSeconds float64 `json:"server_cpu_seconds"`
	Parts            []Share `json:"parts"`
}

// LargePoint is one unthrottled hubextract run at a number of contacts
// (every other type at largeOthers records).
type LargePoint struct {
	Contacts         int     `json:"contacts"`
	Records          int64   `json:"records"`
	Calls            int64   `json:"calls"`
	Seconds          float64 `json:"seconds"`
	RecordsPerSecond float64 `json:"records_per_second"`
	PeakRSS          int64   `json:"peak_rss_bytes"`
}

// largeOthers is the size of every type but contacts in the large run.
const largeOthers = 100

// browseRepeats is how many times each browser query is timed.
const browseRepeats = 9

// large extracts contacts contacts (and a tenth of them first, to compare
// peak memory) without a limit, then times the export and the browser
// over the larger database.
func (h *harness) large(ctx context.Context, contacts int) (*LargeReport, error) {
	lr := &LargeReport{Command: fmt.Sprintf("hubextract bench --scale 0 --contacts %d", contacts)}
	var db string
	for _, n := range []int{contacts / 10, contacts} {
		h.logf("contacts %d: hubextract, no limit", n)
		db = h.newDB()
		data := fakehub.Config{Seed: h.o.Seed, Scale: largeOthers, Sizes: map[string]int{"contacts": n}}
		// The smaller run says where the time goes (the profile costs a
		// little of it); the larger one stays unprofiled.
		profile := n < contacts
		m, srv, err := h.launch(ctx, data, spec{Strategy: Hubextract, DB: db, Profile: profile})
		if err != nil {
			return nil, err
		}
		srv.stop()
		lr.Points = append(lr.Points, LargePoint{Contacts: n, Records: m.Records, Calls: m.Calls, Seconds: m.RealSeconds,
			RecordsPerSecond: float64(m.Records) / m.RealSeconds, PeakRSS: m.PeakRSS})
		if profile {
			lr.Ingest = &IngestProfile{Contacts: n, Seconds: m.RealSeconds, CPUSeconds: m.CPUSeconds,
				ServerCPUSeconds: m.ServerCPUSeconds, Parts: m.Profile}
		}
	}
	d, err := store.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	h.logf("contacts %d: export and browse", contacts)
	if err := h.timeExport(ctx, d, lr); err != nil {
		return nil, err
	}
	if err := timeBrowse(ctx, d, lr); err != nil {
		return nil, err
	}
	return lr, nil
}

// exportRuns is how many timed exports give the export's rows per second:
// their median, as one run follows the machine's drift (a second of it
// either way on a shared machine; see freeRuns).
const exportRuns = 3

// timeExport writes every contact as CSV to a file exportRuns times, then
// once more under the CPU profiler for where the time goes: the profile
// costs a little of the run it watches, so the timed ones stay unprofiled.
func (h *harness) timeExport(ctx context.Context, db *store.DB, lr *LargeReport) error {
	var secs []float64
	for range exportRuns {
		start := time.Now()
		rows, err := h.exportOnce(ctx, db)
		if err != nil {
			return err
		}
		secs = append(secs, time.Since(start).Seconds())
		lr.ExportRows = rows
		lr.ExportRowsPerSecondRuns = append(lr.ExportRowsPerSecondRuns, float64(rows)/secs[len(secs)-1])
	}
	lr.ExportSeconds = slices.Sorted(slices.Values(secs))[exportRuns/2]
	lr.ExportRowsPerSecond = float64(lr.ExportRows) / lr.ExportSeconds
	var err error
	lr.ExportParts, err = profiled(exportParts, func() error {
		_, err := h.exportOnce(ctx, db)
		return err
	})
	return err
}

// exportOnce writes every contact as CSV to a new file, which it removes
// (a million contacts make most of a gigabyte), and returns the rows
// written.
func (h *harness) exportOnce(ctx context.Context, db *store.DB) (rows int64, err error) {
	name := h.newDB() + ".csv"
	f, err := os.Create(name)
	if err != nil {
		return 0, err
	}
	defer func() {
		err = errors.Join(err, f.Close(), os.Remove(name))
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if rows, err = export.Write(ctx, db, w, export.Options{Type: "contacts"}); err == nil {
		err = w.Flush()
	}
	if err != nil {
		return rows, fmt.Errorf("export contacts: %w", err)
	}
	return rows, nil
}

// timeBrowse times the Records screen's queries over the contacts: the
// first page, the next one, a search for a common first name and one for
// a single contact's email.
func timeBrowse(ctx context.Context, db *store.DB, lr *LargeReport) error {
	first, next, err := db.RecordsPage(ctx, store.RecordQuery{Type: "contacts"})
	if err != nil {
		return err
	}
	if len(first) == 0 || next == nil {
		return fmt.Errorf("browse contacts: only %d records", len(first))
	}
	word, rare := value(first[0], "firstname"), value(first[0], "email")
	queries := []struct {
		q    store.RecordQuery
		ms   *float64
		rows *int
	}{
		{store.RecordQuery{Type: "contacts"}, &lr.FirstPageMs, nil},
		{store.RecordQuery{Type: "contacts", After: next}, &lr.NextPageMs, nil},
		{store.RecordQuery{Type: "contacts", Search: word}, &lr.SearchMs, &lr.SearchRows},
		{store.RecordQuery{Type: "contacts", Search: rare}, &lr.RareSearchMs, &lr.RareRows},
	}
	lr.SearchWord, lr.RareWord = word, rare
	for _, q := range queries {
		var times []float64
		for range browseRepeats {
			start := time.Now()
			recs, _, err := db.RecordsPage(ctx, q.q)
			if err != nil {
				return fmt.Errorf("browse contacts %q: %w", q.q.Search, err)
			}
			times = append(times, float64(time.Since(start).Microseconds())/1000)
			if q.rows != nil {
				*q.rows = len(recs)
			}
		}
		slices.Sort(times)
		*q.ms = times[len(times)/2]
	}
	return nil
}

// value is a record's property as text ("" for none).
func value(r store.Record, name string) string {
	if v := r.Properties[name]; v != nil {
		return strings.TrimSpace(*v)
	}
	return ""
}
