package extract

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// Estimate is the expected cost of a run of a selection, as the Extract
// screen shows it.
type Estimate struct {
	Calls int64 `json:"calls"`
	// Seconds is the run's plan's (split.go): its busiest budget at the
	// rates the client keeps (hubspot.SustainedRate), or its longest chain
	// of calls.
	Seconds float64 `json:"seconds"`
	// Economy is what the plan saves; Split names the types it reads
	// partly by search ranges, with how many of their records.
	Economy    Economy          `json:"economy"`
	Split      map[string]int64 `json:"split"`
	RatePer10s int              `json:"ratePer10s"` // the budget that rate keeps under
	Types      []TypeEstimate   `json:"types"`
	// Complete is false when some type's size is unknown (not connected and
	// never extracted): Calls then counts it at its least.
	Complete bool `json:"complete"`
}

// TypeEstimate is one type's part of an Estimate.
type TypeEstimate struct {
	Type    string `json:"type"`
	Label   string `json:"label"`
	Records int64  `json:"records"` // -1: unknown
	Calls   int64  `json:"calls"`
	// Exempt are the calls among Calls that HubSpot does not charge to its
	// ten-second limit: they take no time of the estimate's.
	Exempt int64 `json:"exempt"`
	// Basis is what the figures come from: one of the Basis constants.
	Basis string `json:"basis"`
}

// What a TypeEstimate is based on, best first.
const (
	BasisLastRun = "last run" // the calls of the last run that extracted the type
	BasisStored  = "stored"   // the paging model over the records stored now
	BasisHubSpot = "HubSpot"  // the paging model over HubSpot's own count
	BasisUnknown = "unknown"  // nothing known: the fewest calls the type can take
)

// Estimator says what a run will cost, from the same paging model the run
// counts its MinimumCalls with (calls.go). It is bound to one account's
// client and keeps, for its lifetime, the totals HubSpot gave it: each
// type's is asked at most once (a failure that may pass is asked again).
// It is safe for concurrent use.
type Estimator struct {
	client *hubspot.Client // a session of the account's client; nil: not connected

	mu     sync.Mutex
	totals map[string]*askedTotal
}

// askedTotal is HubSpot's answer for one type; mu is held while asking, so
// that concurrent estimates ask once.
type askedTotal struct {
	mu    sync.Mutex
	asked bool
	n     int64
	err   error
}

// NewEstimator returns an estimator for the account's client; a nil client
// (not connected) estimates from the history and the stored data only.
func NewEstimator(c *hubspot.Client) *Estimator {
	e := &Estimator{totals: map[string]*askedTotal{}}
	if c != nil {
		// Two short attempts at most: a screen waits for the answer, and
		// an unknown total only makes the estimate incomplete.
		e.client = c.Session(nil, hubspot.RetryPolicy{MaxAttempts: 2, AttemptTimeout: 30 * time.Second})
	}
	return e
}

// Estimate says what a run of objects (nil: all) will cost, per type: the
// calls of the last run that extracted it, else the paging model over the
// records stored now, else over HubSpot's count (one planning search per
// type), else the fewest it can take. The types in history also read their
// property history, in pages of 50: until some history of the type is
// stored (the last runs read none, so their calls say nothing of its
// cost), such a type is priced by the paging model. db may be nil (no
// database yet); ratePer10s is the account's budget (0: the default).
func (e *Estimator) Estimate(ctx context.Context, db *store.DB, objects, history []string, ratePer10s int, economy Economy) (Estimate, error) {
	objs, err := catalog.Normalize(objects)
	if err != nil {
		return Estimate{}, err
	}
	if err := ValidateHistory(history); err != nil {
		return Estimate{}, err
	}
	if ratePer10s <= 0 {
		ratePer10s = hubspot.DefaultRatePer10s
	}
	if economy, err = ParseEconomy(string(economy)); err != nil {
		return Estimate{}, err
	}
	est := Estimate{RatePer10s: ratePer10s, Complete: true, Types: []TypeEstimate{}, Economy: economy}
	var runs []store.Run
	if db != nil {
		if runs, err = db.Runs(ctx, 50); err != nil {
			return Estimate{}, fmt.Errorf("estimate: %w", err)
		}
	}
	if est.Calls, err = metadataEstimate(ctx, db, runs, objs); err != nil {
		return Estimate{}, fmt.Errorf("estimate metadata: %w", err)
	}
	var exempt int64
	for _, t := range objs {
		te := TypeEstimate{Type: t, Label: catalog.Label(t), Records: -1, Basis: BasisUnknown}
		withHistory := slices.Contains(history, t)
		newHistory := false
		if withHistory && db != nil {
			n, err := db.CountHistory(ctx, t)
			if err != nil {
				return Estimate{}, fmt.Errorf("estimate %s: %w", t, err)
			}
			newHistory = n == 0
		}
		if s, _, ok := lastSucceeded(runs, t); ok && !newHistory {
			te.Calls, te.Exempt, te.Records, te.Basis = s.APICalls, s.ExemptCalls, s.Records, BasisLastRun
			if s.HubSpotTotal >= 0 {
				te.Records = s.HubSpotTotal
			}
		} else if catalog.IsCRM(t) {
			err = e.crmEstimate(ctx, db, &te, withHistory)
		} else {
			err = marketingEstimate(ctx, db, objs, &te)
		}
		if err != nil {
			return Estimate{}, fmt.Errorf("estimate %s: %w", t, err)
		}
		est.Calls += te.Calls
		exempt += te.Exempt
		est.Complete = est.Complete && te.Basis != BasisUnknown
		est.Types = append(est.Types, te)
	}
	plan := estimatePlan(est, exempt, history, economy)
	est.Calls, est.Seconds, est.Split = plan.Calls, math.Ceil(plan.Seconds), plan.Moved
	return est, nil
}

// estimatePlan is the split plan (split.go) a run of the estimated types
// would make, at the rates the client keeps and a typical round trip: the
// types of known size whose records a run lists, the rest of the calls
// (metadata, properties, archived pages, marketing) around them.
func estimatePlan(est Estimate, exempt int64, history []string, economy Economy) splitPlan {
	var sizes []sizing
	other := est.Calls - exempt
	for _, te := range est.Types {
		if !catalog.IsCRM(te.Type) || te.Records <= 0 {
			continue
		}
		withHistory := slices.Contains(history, te.Type)
		z := sizing{Type: te.Type, Records: te.Records, PageSize: listingOf(nil, withHistory).size(), Splittable: !withHistory,
			Chunks: 1, Inline: int64(len(catalog.Inline(te.Type)))}
		other -= int64(z.listCost(z.Records))
		sizes = append(sizes, z)
	}
	b := budgets{General: hubspot.SustainedRate(est.RatePer10s), Search: hubspot.SustainedSearchRate(0),
		Other: max(other, 0), Searches: exempt}
	return planSplit(sizes, b, economy)
}

// lastSucceeded finds the newest result of stream that succeeded in runs
// (newest first), with its run.
func lastSucceeded(runs []store.Run, stream string) (store.StreamResult, store.Run, bool) {
	for _, r := range runs {
		for _, s := range r.Streams {
			if s.Stream == stream && s.Status == store.StatusSucceeded {
				return s, r, true
			}
		}
	}
	return store.StreamResult{}, store.Run{}, false
}

// metadataEstimate is the metadata stream's calls: the last run's, with
// the pipelines of this selection instead of that run's; else the paging
// model over the owners stored (at least a page each, active and archived).
func metadataEstimate(ctx context.Context, db *store.DB, runs []store.Run, objs []string) (int64, error) {
	if s, r, ok := lastSucceeded(runs, catalog.Metadata); ok {
		return max(0, s.APICalls-pipelinesCalls(r.Objects)+pipelinesCalls(objs)), nil
	}
	var active, archived int64
	if db != nil {
		owners, err := db.Owners(ctx)
		if err != nil {
			return 0, err
		}
		for _, o := range owners {
			if o.Archived {
				archived++
			} else {
				active++
			}
		}
	}
	return metadataCalls(objs, active, archived), nil
}

// crmEstimate prices a full read of a CRM type never extracted by a run in
// the history (or whose history is read: see Estimate), with its property
// history or without: from the records stored, else from HubSpot's count (its
// archived records unknown: one page), else at its least. The properties
// stored, if any, say whether each page also needs a batch read.
func (e *Estimator) crmEstimate(ctx context.Context, db *store.DB, te *TypeEstimate, history bool) error {
	var names []string
	var active, archived int64
	if db != nil {
		var err error
		if active, archived, err = db.CountRecords(ctx, te.Type); err != nil {
			return err
		}
		props, err := db.Properties(ctx, te.Type)
		if err != nil {
			return err
		}
		if len(props) > 0 {
			names = propertyNames(props)
		}
	}
	// The planning search is exempt from the ten-second limit, in every
	// version HubSpot publishes.
	price := func(active, archived int64) {
		te.Calls = fullReadCalls(te.Type, active, archived, names, history)
		te.Exempt = planningFor(active, listingOf(names, history))
	}
	if active+archived > 0 {
		te.Records, te.Basis = active, BasisStored
		price(active, archived)
		return nil
	}
	if total, ok := e.total(ctx, te.Type); ok {
		te.Records, te.Basis = total, BasisHubSpot
		price(total, 0)
		return nil
	}
	price(0, 0)
	return nil
}

// marketingEstimate prices a marketing stream never extracted by a run in
// the history from what is stored (HubSpot gives no count for these), else
// at its least.
func marketingEstimate(ctx context.Context, db *store.DB, objs []string, te *TypeEstimate) error {
	var forms []store.Form
	if db != nil && te.Type != catalog.EmailEvents {
		var err error
		if forms, err = db.Forms(ctx); err != nil {
			return err
		}
	}
	// The forms list is read once, for the forms stream when selected.
	var list int64
	if te.Type == catalog.Forms || !slices.Contains(objs, catalog.Forms) {
		var archived int64
		for _, f := range forms {
			if f.Archived {
				archived++
			}
		}
		list = formsCalls(int64(len(forms))-archived, archived)
	}
	switch te.Type {
	case catalog.Forms:
		te.Calls = list
		if len(forms) > 0 {
			te.Records, te.Basis = int64(len(forms)), BasisStored
		}
	case catalog.FormSubmissions:
		perForm := make([]int64, 0, len(forms))
		var stored int64
		for _, f := range forms {
			if !hasSubmissions(f.FormType) {
				continue // not read
			}
			n, err := db.CountFormSubmissions(ctx, f.ID)
			if err != nil {
				return err
			}
			perForm, stored = append(perForm, n), stored+n
		}
		te.Calls = max(1, list+submissionsCalls(perForm))
		if stored > 0 {
			te.Records, te.Basis = stored, BasisStored
		}
	case catalog.EmailEvents:
		var n int64
		if db != nil {
			var err error
			if n, err = db.CountEmailEvents(ctx); err != nil {
				return err
			}
		}
		te.Calls = pages(n, eventsPage)
		if n > 0 {
			te.Records, te.Basis = n, BasisStored
		}
	}
	return nil
}

// total is HubSpot's count of objectType's active records, asked once per
// estimator; false when not connected or HubSpot did not say.
func (e *Estimator) total(ctx context.Context, objectType string) (int64, bool) {
	if e.client == nil {
		return 0, false
	}
	e.mu.Lock()
	a := e.totals[objectType]
	if a == nil {
		a = &askedTotal{}
		e.totals[objectType] = a
	}
	e.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.asked {
		a.n, _, a.err = countTotal(ctx, e.client, objectType)
		// A refusal (a scope, the token) would repeat: keep it. Trouble
		// that may pass, or a cancel, is asked about again next time.
		a.asked = a.err == nil || (!transient(a.err) && ctx.Err() == nil)
	}
	return a.n, a.asked && a.err == nil
}
