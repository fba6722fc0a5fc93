package workspace

import (
	"context"
	"math"
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/views"
)

// Group is one group of checkboxes on the Extract screen.
type Group struct {
	ID    string       `json:"id"` // crm, engagements, marketing, other
	Label string       `json:"label"`
	Types []TypeChoice `json:"types"`
}

// TypeChoice is one type's checkbox.
type TypeChoice struct {
	Type     string `json:"type"`
	Label    string `json:"label"`
	Stored   int64  `json:"stored"`   // active records stored now
	LastRun  int64  `json:"lastRun"`  // records the last run that fetched it wrote; -1: never fetched
	Selected bool   `json:"selected"` // in the last selection
}

// Groups lists the types the engine extracts, grouped, with their counts;
// a group appears once the engine offers one of its types (marketing
// streams arrive with a later engine).
func (w *Workspace) Groups(ctx context.Context) ([]Group, error) {
	selected := w.Settings().Objects
	var groups []Group
	err := w.read(ctx, func(db *store.DB) error {
		var runs []store.Run
		if db != nil {
			var err error
			if runs, err = db.Runs(ctx, 50); err != nil {
				return err
			}
		}
		for _, t := range catalog.All {
			c := TypeChoice{Type: t, Label: views.TypeLabel(t), LastRun: -1,
				Selected: len(selected) == 0 || slices.Contains(selected, t)}
			if db != nil {
				var err error
				if c.Stored, err = views.Count(ctx, db, t); err != nil {
					return err
				}
			}
			if s, ok := lastStream(runs, t, false); ok {
				c.LastRun = s.Records
			}
			g := views.TypeGroup(t)
			i := slices.IndexFunc(groups, func(x Group) bool { return x.ID == g })
			if i < 0 {
				groups = append(groups, Group{ID: g, Label: views.GroupLabel(g)})
				i = len(groups) - 1
			}
			groups[i].Types = append(groups[i].Types, c)
		}
		return nil
	})
	return groups, err
}

// lastStream finds the newest result of stream in runs (newest first);
// succeeded asks for one that succeeded.
func lastStream(runs []store.Run, stream string, succeeded bool) (store.StreamResult, bool) {
	for _, r := range runs {
		for _, s := range r.Streams {
			if s.Stream == stream && (!succeeded || s.Status == store.StatusSucceeded) {
				return s, true
			}
		}
	}
	return store.StreamResult{}, false
}

// Estimate is the expected cost of an extraction.
type Estimate struct {
	Calls      int64          `json:"calls"`
	Seconds    float64        `json:"seconds"`    // at the rate limit in force
	RatePer10s int            `json:"ratePer10s"` // that rate limit
	Types      []TypeEstimate `json:"types"`
	// Complete is false when some type's size is unknown (not connected and
	// never extracted): Calls then counts those at their least.
	Complete bool `json:"complete"`
}

// TypeEstimate is one type's part.
type TypeEstimate struct {
	Type    string `json:"type"`
	Label   string `json:"label"`
	Records int64  `json:"records"` // -1: unknown
	Calls   int64  `json:"calls"`
	// Basis: "last run" (its calls), "stored" (the records stored now),
	// "HubSpot" (its current count) or "unknown".
	Basis string `json:"basis"`
}

// Paging figures of a full run (see backend/extract: list pages of 100;
// per type a property-definitions call and a planning search; an archived
// pass; owners in pages of 500, active and archived; one call per pipeline
// type).
const (
	listPage      = 100
	callsPerType  = 2
	metadataCalls = 2
)

func pages(n int64) int64 { return max(1, (n+listPage-1)/listPage) }

// Estimate says what extracting objects (nil: all) will cost: per type
// the calls its last successful run took, else a count from what is stored,
// else HubSpot's own count (one search per such type, asked once a
// session).
func (w *Workspace) Estimate(ctx context.Context, objects []string) (Estimate, error) {
	objs, err := catalog.Normalize(objects)
	if err != nil {
		return Estimate{}, err
	}
	cfg := w.Settings()
	est := Estimate{RatePer10s: cfg.RatePer10s, Complete: true, Types: []TypeEstimate{}}
	var unknown []int
	err = w.read(ctx, func(db *store.DB) error {
		var runs []store.Run
		if db != nil {
			if runs, err = db.Runs(ctx, 50); err != nil {
				return err
			}
		}
		if s, ok := lastStream(runs, "metadata", true); ok {
			est.Calls += s.APICalls
		} else {
			est.Calls += metadataCalls
			for _, t := range []string{"deals", "tickets"} {
				if slices.Contains(objs, t) {
					est.Calls++
				}
			}
		}
		for _, t := range objs {
			te := TypeEstimate{Type: t, Label: views.TypeLabel(t), Records: -1, Basis: "unknown"}
			if s, ok := lastStream(runs, t, true); ok {
				te.Calls, te.Records, te.Basis = s.APICalls, s.Records, "last run"
				if s.HubSpotTotal >= 0 {
					te.Records = s.HubSpotTotal
				}
			} else if db != nil && catalog.IsCRM(t) {
				active, archived, err := db.CountRecords(ctx, t)
				if err != nil {
					return err
				}
				if active+archived > 0 {
					te.Records, te.Basis = active, "stored"
					te.Calls = callsPerType + pages(active) + pages(archived)
				}
			}
			if te.Basis == "unknown" {
				unknown = append(unknown, len(est.Types))
			}
			est.Types = append(est.Types, te)
		}
		return nil
	})
	if err != nil {
		return est, err
	}
	w.askTotals(ctx, &est, unknown)
	for _, te := range est.Types {
		est.Calls += te.Calls
	}
	// The client keeps a little under the limit.
	est.Seconds = math.Ceil(float64(est.Calls) / (float64(cfg.RatePer10s) * 0.95 / 10))
	return est, nil
}

// askTotals fills the CRM types at unknown with HubSpot's counts, from the
// session's cache or one limit-1 search each. Without a connection (or when
// HubSpot does not answer) they stay unknown, counted at their least.
func (w *Workspace) askTotals(ctx context.Context, est *Estimate, unknown []int) {
	if len(unknown) == 0 {
		return
	}
	ep, err := w.endpoint()
	var c *hubspot.Client
	if err == nil {
		c = hubspot.New(ep.token, append(ep.clientOptions(), hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 2}))...)
	}
	for _, i := range unknown {
		te := &est.Types[i]
		key := ep.source + "/" + te.Type
		w.jobMu.Lock()
		total, known := w.totals[key]
		w.jobMu.Unlock()
		if !catalog.IsCRM(te.Type) {
			// Marketing streams have no count to ask for: their size shows
			// after the first run.
			te.Calls = 1
			est.Complete = false
			continue
		}
		if !known && c != nil {
			page, err := c.SearchObjects(ctx, te.Type, hubspot.SearchRequest{Limit: 1, Properties: []string{"hs_object_id"}})
			if err == nil {
				total, known = int64(page.Total), true
				w.jobMu.Lock()
				w.totals[key] = total
				w.jobMu.Unlock()
			}
		}
		if known {
			te.Records, te.Basis = total, "HubSpot"
			te.Calls = callsPerType + pages(total) + 1
		} else {
			te.Calls = callsPerType + 2
			est.Complete = false
		}
	}
}
