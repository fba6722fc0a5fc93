package workspace

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// Overview is the overview screen: what the database holds.
type Overview struct {
	Counts      []TypeCount     `json:"counts"`
	Engagements EngagementChart `json:"engagements"`
	// LastSuccess is when the last successful run finished ("" if none).
	LastSuccess string   `json:"lastSuccess"`
	LastRun     *Run     `json:"lastRun"` // nil before the first run
	Database    Database `json:"database"`
}

// TypeCount is one type's stored records.
type TypeCount struct {
	Type       string `json:"type"`
	Label      string `json:"label"`
	Group      string `json:"group"`
	GroupLabel string `json:"groupLabel"` // the group's heading, from the catalog
	Active     int64  `json:"active"`
	Archived   int64  `json:"archived"`
}

// EngagementChart holds the chart of records per engagement type: what the
// database holds now, and what each recent run fetched.
type EngagementChart struct {
	Types  []string   `json:"types"`  // catalog.Engagements()
	Labels []string   `json:"labels"` // their labels, in the same order
	Stored []int64    `json:"stored"` // active records stored now, per type
	Runs   []RunCount `json:"runs"`   // recent runs that fetched engagements, oldest first
}

// RunCount is what one run fetched per engagement type (-1: not in the run).
type RunCount struct {
	RunID     int64   `json:"runId"`
	StartedAt string  `json:"startedAt"`
	Status    string  `json:"status"`
	Records   []int64 `json:"records"`
}

// Database describes the database file.
type Database struct {
	Path string `json:"path"`
	// Origin says why it is this file: settings.FromEnv ($HUBEXTRACT_DB,
	// which Settings cannot change), FromSettings, FromDefault, FromSample.
	Origin string `json:"origin"`
	Exists bool   `json:"exists"`
	Bytes  int64  `json:"bytes"` // the file and its write-ahead log
}

// chartRuns is how many recent runs the chart shows.
const chartRuns = 6

// DatabaseInfo describes the file at path (which may not exist yet).
func databaseInfo(loc settings.Location) (Database, error) {
	d := Database{Path: loc.Path, Origin: loc.Origin}
	st, err := os.Stat(loc.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return d, err
	}
	d.Exists, d.Bytes = true, st.Size()
	if wal, err := os.Stat(loc.Path + "-wal"); err == nil {
		d.Bytes += wal.Size()
	}
	return d, nil
}

// EmptyOverview is the overview of a database not created yet.
func emptyOverview(loc settings.Location, types []string) (Overview, error) {
	o := Overview{Counts: []TypeCount{}, Engagements: emptyChart()}
	for _, t := range types {
		o.Counts = append(o.Counts, TypeCount{Type: t, Label: catalog.Label(t), Group: catalog.GroupOf(t), GroupLabel: catalog.GroupLabel(catalog.GroupOf(t))})
	}
	db, err := databaseInfo(loc)
	o.Database = db
	return o, err
}

func emptyChart() EngagementChart {
	c := EngagementChart{Types: slices.Clone(catalog.Engagements()), Stored: make([]int64, len(catalog.Engagements())), Runs: []RunCount{}}
	for _, t := range catalog.Engagements() {
		c.Labels = append(c.Labels, catalog.Label(t))
	}
	return c
}

// OverviewOf reads the overview of db for types (the engine's types; a
// marketing type with stored data is shown even when not listed).
func overviewOf(ctx context.Context, db *store.DB, loc settings.Location, types []string) (Overview, error) {
	o, err := emptyOverview(loc, nil)
	if err != nil {
		return o, err
	}
	for _, t := range append(slices.Clone(types), catalog.Marketing()...) {
		if slices.ContainsFunc(o.Counts, func(c TypeCount) bool { return c.Type == t }) {
			continue
		}
		c := TypeCount{Type: t, Label: catalog.Label(t), Group: catalog.GroupOf(t), GroupLabel: catalog.GroupLabel(catalog.GroupOf(t))}
		if c.Active, c.Archived, err = count(ctx, db, t); err != nil {
			return o, err
		}
		if !slices.Contains(types, t) && c.Active+c.Archived == 0 {
			continue
		}
		o.Counts = append(o.Counts, c)
	}
	for i, t := range o.Engagements.Types {
		if at := slices.IndexFunc(o.Counts, func(c TypeCount) bool { return c.Type == t }); at >= 0 {
			o.Engagements.Stored[i] = o.Counts[at].Active
		} else if o.Engagements.Stored[i], err = countOf(ctx, db, t); err != nil {
			return o, err
		}
	}
	runs, err := db.Runs(ctx, 0)
	if err != nil {
		return o, err
	}
	for _, r := range runs {
		if o.LastRun == nil {
			rr := runOf(extract.Seen(r, db.Path()))
			o.LastRun = &rr
		}
		if r.Status == store.StatusSucceeded && o.LastSuccess == "" {
			o.LastSuccess = timeText(r.FinishedAt)
		}
		if len(o.Engagements.Runs) < chartRuns {
			if rc, ok := engagementsOf(r); ok {
				o.Engagements.Runs = append(o.Engagements.Runs, rc)
			}
		}
	}
	slices.Reverse(o.Engagements.Runs)
	return o, nil
}

// engagementsOf is what run r fetched per engagement type; false when it
// fetched none of them.
func engagementsOf(r store.Run) (RunCount, bool) {
	rc := RunCount{RunID: r.ID, StartedAt: timeText(r.StartedAt), Status: r.Status, Records: make([]int64, len(catalog.Engagements()))}
	any := false
	for i, t := range catalog.Engagements() {
		rc.Records[i] = -1
		for _, s := range r.Streams {
			if s.Stream == t {
				rc.Records[i] = s.Records
				any = true
			}
		}
	}
	return rc, any
}

// count is the stored active and archived rows of any type.
func count(ctx context.Context, db *store.DB, t string) (active, archived int64, err error) {
	switch t {
	case "forms":
		forms, err := db.Forms(ctx)
		if err != nil {
			return 0, 0, err
		}
		for _, f := range forms {
			if f.Archived {
				archived++
			} else {
				active++
			}
		}
		return active, archived, nil
	case "form_submissions":
		n, err := db.CountFormSubmissions(ctx, "")
		return n, 0, err
	case "email_events":
		n, err := db.CountEmailEvents(ctx)
		return n, 0, err
	}
	return db.CountRecords(ctx, t)
}

// Count is the stored active records of any type (CRM or marketing).
func countOf(ctx context.Context, db *store.DB, t string) (int64, error) {
	active, _, err := count(ctx, db, t)
	return active, err
}
