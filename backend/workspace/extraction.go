package workspace

import (
	"context"
	"errors"
	"slices"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// ExtractRequest starts an extraction.
type ExtractRequest struct {
	// Objects nil or empty: every type but those the last run found
	// unavailable (extract.DefaultSelection).
	Objects []string `json:"objects"`
	// Fresh starts over instead of resuming an unfinished run of the same
	// selection.
	Fresh bool `json:"fresh"`
	// Full reads every selected type in full, not only what changed since
	// the last run.
	Full bool `json:"full"`
	// Scheduled: the scheduled refresh started it (never the window).
	Scheduled bool `json:"-"`
}

// Summary is how an extraction ended, for the Extract screen's end view.
type Summary struct {
	Run          Run   `json:"run"`
	MinimumCalls int64 `json:"minimumCalls"`
	// ExemptCalls are the calls HubSpot does not charge to its ten-second
	// limit; FloorSeconds the least time the others take at the app's rate.
	ExemptCalls  int64   `json:"exemptCalls"`
	FloorSeconds float64 `json:"floorSeconds"`
	ResumedFrom  int64   `json:"resumedFrom"` // 0: a fresh run
	// Reconciliation compares, per type, HubSpot's count with the records
	// stored (the engine warns on the run about any gap it cannot explain).
	Reconciliation []Reconciled `json:"reconciliation"`
}

// Reconciled is one type's count against HubSpot's.
type Reconciled struct {
	Type    string `json:"type"`
	Label   string `json:"label"`
	HubSpot int64  `json:"hubspot"` // -1: HubSpot's count was not read
	Stored  int64  `json:"stored"`  // active records stored now
	// Status: "matches", "differs", or "unknown" when HubSpot's count is missing.
	Status string `json:"status"`
}

// Snapshot is the Extract screen's state, for a page that (re)opens while
// a run is going or after one ended.
type Snapshot struct {
	Running bool     `json:"running"`
	Update  Update   `json:"update"`
	Summary *Summary `json:"summary"` // the last run of this session, once ended
	Error   string   `json:"error"`   // why it could not run at all
}

// ExtractService runs extractions for the Extract screen. Progress goes
// out as EventExtractProgress, the end as EventExtractEnded.
type ExtractService struct{ w *Workspace }

// Start runs one extraction to its end and returns its summary. Only one
// runs at a time; Cancel stops it, keeping everything fetched.
func (s *ExtractService) Start(req ExtractRequest) (Summary, error) {
	w := s.w
	objects, err := catalog.Normalize(req.Objects)
	if err != nil {
		return Summary{}, err
	}
	w.jobMu.Lock()
	if w.extraction != nil {
		w.jobMu.Unlock()
		return Summary{}, errors.New("an extraction is already running")
	}
	ctx, cancel := context.WithCancel(w.base)
	j := &job{cancel: cancel, done: make(chan struct{})}
	j.batch = newBatcher(func(u Update) { w.emit(EventExtractProgress, u) })
	w.extraction = j
	w.jobMu.Unlock()

	sum, err := w.runExtraction(ctx, j, objects, req)

	w.jobMu.Lock()
	snap := &Snapshot{Update: j.batch.snapshot()}
	if err != nil {
		snap.Error = err.Error()
	} else {
		snap.Summary = &sum
	}
	w.extraction, w.last = nil, snap
	w.jobMu.Unlock()
	cancel()
	close(j.done)
	w.emit(EventExtractEnded, *snap)
	if err == nil {
		w.TeamDB.afterRun()
	}
	return sum, err
}

func (w *Workspace) runExtraction(ctx context.Context, j *job, objects []string, req ExtractRequest) (Summary, error) {
	acct, err := w.current()
	if err != nil {
		return Summary{}, err
	}
	db, release, err := w.acquire(ctx, true)
	if err != nil {
		return Summary{}, err
	}
	// The running job keeps the database open (apply refuses to close it).
	release()
	remember := objects
	if len(req.Objects) == 0 {
		// "Everything": the run makes it once it knows the account's
		// custom objects (extract.DefaultSelection). Remembered as such,
		// so that a type available again is ticked again.
		objects, remember = nil, nil
	}
	if err := w.rememberSelection(remember); err != nil {
		return Summary{}, err
	}
	stop := make(chan struct{})
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		j.batch.run(UpdateInterval, stop)
	}()
	cfg := w.settings()
	res, err := extract.Run(ctx, db, extract.Options{
		CheckAccount: func(ctx context.Context, c *hubspot.Client) error { return w.checkKeyAccount(ctx, acct, c, db) },
		Client:       acct.client,
		Objects:      objects,
		Concurrency:  cfg.Concurrency,
		Progress:     j.batch,
		Fresh:        req.Fresh,
		Full:         req.Full,
		FullEvery:    fullEvery(cfg.FullRunEveryDays),
		Owner:        extract.OwnerApp,
		History:      cfg.HistoryTypes,
		Economy:      extract.Economy(cfg.Economy),
	})
	close(stop)
	<-flushed
	if req.Scheduled {
		err = w.scheduledOutcome(context.WithoutCancel(ctx), db, res, err)
	}
	if err != nil {
		return Summary{}, runError{err}
	}
	return summarize(context.WithoutCancel(ctx), db, res)
}

// runError is why an extraction could not run at all. The Extract screen
// shows an error's text, so it is the cause's sentence for the person at
// the screen when it has one (a full disk, another extraction), else the
// technical chain.
type runError struct{ err error }

func (e runError) Error() string {
	if msg, ok := hubspot.OwnMessage(e.err); ok {
		return msg
	}
	return "extraction: " + e.err.Error()
}

func (e runError) Unwrap() error { return e.err }

// fullEvery is the engine's FullEvery for the setting: days, or never (0).
func fullEvery(days int) time.Duration {
	if days <= 0 {
		return -1
	}
	return time.Duration(days) * 24 * time.Hour
}

// rememberSelection keeps the selection for the next time the screen opens.
func (w *Workspace) rememberSelection(objects []string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if slices.Equal(w.cfg.Objects, objects) {
		return nil
	}
	next := w.cfg
	next.Objects = slices.Clone(objects)
	if err := w.file.Save(next); err != nil {
		return err
	}
	w.cfg = next
	return nil
}

func summarize(ctx context.Context, db *store.DB, res extract.Result) (Summary, error) {
	s := Summary{Run: runOf(res.Run), MinimumCalls: res.MinimumCalls, ExemptCalls: res.ExemptCalls, FloorSeconds: res.FloorSeconds,
		ResumedFrom:    res.ResumedFrom,
		Reconciliation: []Reconciled{}}
	for _, st := range s.Run.Streams {
		if st.Stream == "metadata" {
			continue
		}
		stored, err := countOf(ctx, db, st.Stream)
		if err != nil {
			return s, err
		}
		r := Reconciled{Type: st.Stream, Label: st.Label, HubSpot: st.HubSpotTotal, Stored: stored, Status: "unknown"}
		switch {
		case st.HubSpotTotal < 0:
		case st.HubSpotTotal == stored:
			r.Status = "matches"
		default:
			r.Status = "differs"
		}
		s.Reconciliation = append(s.Reconciliation, r)
	}
	return s, nil
}

// Cancel stops the running extraction, keeping what it fetched; it
// reports whether one was running. The run ends within moments.
func (s *ExtractService) Cancel() (bool, error) {
	w := s.w
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	if w.extraction == nil {
		return false, nil
	}
	w.extraction.cancel()
	return true, nil
}

// Snapshot is the running extraction's state, or the last one's, for a
// page that opens mid-run.
func (s *ExtractService) Snapshot() (Snapshot, error) {
	w := s.w
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	if w.extraction != nil {
		return Snapshot{Running: true, Update: w.extraction.batch.snapshot()}, nil
	}
	if w.last != nil {
		return *w.last, nil
	}
	return Snapshot{Update: Update{Streams: []StreamProgress{}, Logs: []LogLine{}}}, nil
}

// ResumeOffer returns the unfinished run the next extraction of its
// selection would resume (after a cancel, a failure or a crash), or nil;
// the engine decides.
func (s *ExtractService) ResumeOffer() (*extract.Offer, error) {
	w := s.w
	if w.Busy() {
		return nil, nil
	}
	var offer *extract.Offer
	err := w.read(w.base, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		if _, running := extract.Running(db.Path()); running {
			return nil // another process's run, going on: nothing to resume
		}
		var err error
		offer, err = extract.ResumeOffer(w.base, db)
		return err
	})
	return offer, err
}
