package workspace

import (
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
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
	Selected bool   `json:"selected"` // in the last selection, and not unavailable
	// Unavailable: the last run that tried the type found the key lacks
	// Scope, the scope that would add it. It is left unticked (out of
	// "everything"); ticking it tries again.
	Unavailable bool   `json:"unavailable"`
	Scope       string `json:"scope"`
}

// Groups lists the types the engine extracts, grouped as the catalogue
// groups them, with their counts; a group appears once it has a type.
func (s *ExtractService) Groups() ([]Group, error) {
	w, ctx := s.w, s.w.base
	selected := w.settings().Objects
	var groups []Group
	err := w.read(ctx, func(db *store.DB) error {
		var runs []store.Run
		gone := map[string]store.UnavailableType{}
		if db != nil {
			var err error
			if runs, err = db.Runs(ctx, 50); err != nil {
				return err
			}
			if gone, err = db.Unavailable(ctx); err != nil {
				return err
			}
		}
		for _, t := range catalog.All() {
			u, unavailable := gone[t]
			c := TypeChoice{Type: t, Label: catalog.Label(t), LastRun: -1, Unavailable: unavailable, Scope: u.Scope,
				Selected: !unavailable && (len(selected) == 0 || slices.Contains(selected, t))}
			if db != nil {
				var err error
				if c.Stored, err = countOf(ctx, db, t); err != nil {
					return err
				}
			}
			if s, ok := lastStream(runs, t, false); ok {
				c.LastRun = s.Records
			}
			g := catalog.GroupOf(t)
			i := slices.IndexFunc(groups, func(x Group) bool { return x.ID == g })
			if i < 0 {
				groups = append(groups, Group{ID: g, Label: catalog.GroupLabel(g)})
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

// Estimate says what extracting objects (nil: all) will cost, as the
// engine's paging model counts it for the account in force (from the last
// run, the stored records, or HubSpot's own count asked once a session).
// Without a connection it counts what it knows and says it is incomplete.
func (s *ExtractService) Estimate(objects []string) (extract.Estimate, error) {
	w := s.w
	objs, err := catalog.Normalize(objects)
	if err != nil {
		return extract.Estimate{}, err
	}
	est := extract.NewEstimator(nil)
	if acct, err := w.current(); err == nil {
		est = acct.estimator
	}
	var out extract.Estimate
	err = w.read(w.base, func(db *store.DB) error {
		var err error
		cfg := w.settings()
		out, err = est.Estimate(w.base, db, objs, cfg.HistoryTypes, cfg.RatePer10s, extract.Economy(cfg.Economy))
		return err
	})
	return out, err
}

// APIVersionChoice is one option of the API version select in Settings →
// Advanced: Value is what Settings.APIVersion holds.
type APIVersionChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// APIVersions lists the HubSpot API versions Settings offers, the
// recommended one first. The default's value is "" rather than its name,
// as settings.Normalize keeps it, so that choosing it follows the app's
// default when a newer app moves to a newer version.
func (s *SettingsService) APIVersions() []APIVersionChoice {
	out := make([]APIVersionChoice, 0, len(hubspot.APIVersions))
	for _, v := range hubspot.APIVersions {
		switch v {
		case hubspot.DefaultAPIVersion:
			out = append(out, APIVersionChoice{Value: "", Label: string(v) + " (current, recommended)"})
		case hubspot.VersionLegacy:
			out = append(out, APIVersionChoice{Value: string(v), Label: "Legacy v3/v4 paths (for support cases)"})
		default:
			// A version neither the default nor legacy (an older date-based
			// one kept for a while): its name says all there is.
			out = append(out, APIVersionChoice{Value: string(v), Label: string(v)})
		}
	}
	return out
}
