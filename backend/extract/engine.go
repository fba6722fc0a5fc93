// Package extract owns the extraction engine: what to fetch from HubSpot, in
// which order and how concurrently, how each page is saved with its
// checkpoint, how an interrupted run resumes, and the run history and
// reconciliation it records. It talks to HubSpot only through
// backend/hubspot and to SQLite only through backend/store (through one
// writer goroutine); it reports through backend/progress and must not
// import Wails, the CLI or the fake server outside tests.
//
// One extraction at a time runs on a database: Run holds an OS file lock
// beside it (LockPath) from start to end, and refuses with a *BusyError
// while another process holds it. Only the holder closes the runs a dead
// process left open, as interrupted, and the next run of their selection
// resumes them.
package extract

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/clock"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// Streams fetched at once. By default (Options.Concurrency 0) the number
// follows the client's rate limit (AutoConcurrency); DefaultConcurrency
// and MaxConcurrency bound it, and MaxConcurrency bounds a chosen number
// too: each stream holds a page or two of records in memory.
const (
	DefaultConcurrency = 6  // the fewest streams AutoConcurrency fetches at once
	MaxConcurrency     = 16 // the most streams fetched at once
	// inFlightSeconds is how long each call the limiter lets through
	// should find a stream ready to send it: HubSpot's latency (~0.25 s,
	// up to 0.35) plus what the engine does between pages, with slack, so
	// that the end of a run, when only a few streams still have pages,
	// stays at the rate. Measured: see TestAutoConcurrencyKeepsTheTailAtTheFloor.
	inFlightSeconds = 0.9
)

// AutoConcurrency is how many streams fetch at once by default for a
// budget of ratePer10s calls per 10 s (hubspot.DefaultRatePer10s when not
// positive): enough requests in flight to send at hubspot.SustainedRate
// with HubSpot's latency, from DefaultConcurrency to MaxConcurrency.
func AutoConcurrency(ratePer10s int) int {
	n := int(math.Ceil(hubspot.SustainedRate(ratePer10s) * inFlightSeconds))
	return min(max(n, DefaultConcurrency), MaxConcurrency)
}

// writerPace is about how many records a second the one writer stores
// while it keeps the index of associations by their other record up (the
// bench's runs with no limit: 10,000 at 100,000 records per type, more at
// smaller scales).
const writerPace = 10_000

// outpacesWriter: a budget of ratePer10s calls lets a run fetch records
// (up to a search page each) faster than the writer stores them with that
// index kept up, so it goes faster without it (a quarter of the writer's
// time at 10,000 records per type) and builds it at the end. At HubSpot's
// budgets (at most 250 per 10 s: some 4,900 records a second) the writer
// idles between pages: keeping the index up costs the run no time, where
// its build would add to the end, and a record's page keeps finding the
// records linked from their side at once while the run goes.
func outpacesWriter(ratePer10s int) bool {
	return hubspot.SustainedRate(ratePer10s)*hubspot.MaxSearchLimit > writerPace
}

// metadataStream is the stream of owners and pipelines; property
// definitions belong to the stream of their type.
const metadataStream = catalog.Metadata

// statusSkipped marks, in the run history, a stream an interrupted run
// had already finished.
const statusSkipped = "skipped"

// Options configure one run.
type Options struct {
	// Client is the account's HubSpot client: the run takes a session of
	// it (its own call counts, the account's shared limiters and clock).
	Client *hubspot.Client
	// Objects to extract (CRM types and marketing streams, see
	// catalog.All()); empty selects all.
	Objects     []string
	Concurrency int               // streams fetching at once; 0: AutoConcurrency of the client's rate
	Progress    progress.Reporter // nil: no progress; throttled by the engine
	// Fresh starts over even when the last run of this selection was
	// interrupted (by default such a run is resumed: see ResumeOffer).
	Fresh bool
	// Full extracts every selected stream in full, starting fresh. By
	// default a stream extracted before fetches only what changed since.
	Full bool
	// FullEvery extracts a stream in full again once its last full
	// extraction is this old: that picks up what the last-modified date
	// does not show (association changes on records not otherwise
	// modified). 0: DefaultFullEvery; negative: never.
	FullEvery time.Duration
	// Owner says who runs the extraction (OwnerApp, OwnerCommandLine,
	// OwnerScheduled): the database's lock file records it, and an
	// extraction refused meanwhile names it. "": OwnerCommandLine.
	Owner string
	// Overlap starts an incremental read this long before the previous
	// run's watermark, for changes HubSpot's search index shows late.
	// 0: DefaultOverlap.
	Overlap time.Duration
	// History lists the CRM types whose property history is read too
	// (propertiesWithHistory): pages of 50 instead of 100, and each
	// property's earlier values, when and from which source, in
	// store.HistoryEntry rows. Types not selected are ignored.
	History []string
	// Economy chooses between the fewest calls and the least time where
	// they differ (split.go); "": EconomyTime, unless the account is near
	// its daily limit.
	Economy Economy
	// CheckAccount, when set, runs first once the database is the run's
	// (its lock held), with the run's client: the caller makes sure the key
	// opens the account the database holds. Its calls are the run's (the
	// metadata stream's); an error refuses the run, nothing recorded.
	CheckAccount func(ctx context.Context, c *hubspot.Client) error

	// pageSaved, when set (tests), runs after every page is committed.
	pageSaved func()
}

// Result is a finished run as recorded in the history, with the figures the
// summary shows beside it.
type Result struct {
	store.Run
	// MinimumCalls is the fewest calls that could have fetched what this
	// run fetched the way its plan read it: pages at the maximum size
	// (for what search ranges read, their full search pages and an
	// association read per 1,000 records), metadata, planning and
	// association completion reads: what it spent beyond is waste
	// (retries, pages read twice). The calls economy's plan is the one
	// with the fewest.
	MinimumCalls int64 `json:"minimum_calls"`
	// ExemptCalls is how many of the run's calls HubSpot does not charge to
	// the ten-second budget (searches, 2026-09 association reads).
	ExemptCalls int64 `json:"exempt_calls"`
	// FloorSeconds is the rate-limit floor: the least time the run's
	// calls take on their busiest budget, the calls charged to the
	// ten-second budget at the rate the client keeps
	// (hubspot.SustainedRate) or the searches at theirs.
	FloorSeconds float64 `json:"floor_seconds"`
	// NaiveFloorSeconds is every call at the ten-second rate, as if no
	// call were exempt: a plan that spends the other budgets ends below it.
	NaiveFloorSeconds float64 `json:"naive_floor_seconds"`
	// SearchCalls are the run's searches (their own budget).
	SearchCalls int64 `json:"search_calls"`
	// Plan is the split plan as the run log said it ("" when none was
	// made: no type was read in full from the start).
	Plan string `json:"plan"`
	// ResumedFrom is the interrupted run this one continued (0: none).
	ResumedFrom int64 `json:"resumed_from"`
}

// engine is the state of one run.
type engine struct {
	client *hubspot.Client
	db     *store.DB
	clk    clock.Clock
	rep    progress.Reporter
	meter  *meter
	w      *writer
	sched  *scheduler
	ranges *scheduler // the search ranges' workers

	runID int64
	// selection is every selected stream, crm the CRM types among them
	// (in catalog order).
	selection []string
	crm       []string
	started   time.Time
	// since is when the resumed chain of runs started: the watermark and
	// the reconciliation's tolerance window.
	since time.Time
	plan  *resumePlan
	// modes: per selected stream, store.ModeFull or store.ModeIncremental.
	modes      map[string]string
	watermarks map[string]store.Watermark
	overlap    time.Duration
	fullEvery  time.Duration
	// history: the selected CRM types whose property history is read.
	history map[string]bool
	// pageSaved: see Options.pageSaved.
	pageSaved func()
	abort     context.CancelCauseFunc
	// fatal is the error that stopped the whole run, once it ended.
	fatal error

	streams map[string]*stream // by name, metadata included
	groups  []*assocGroup
	planner *planner
	economy Economy

	mu       sync.Mutex
	warnings []string
	minimum  int64
	walks    map[string]*task // queued walks by type, reprioritized by planning
	split    splitPlan        // once made
	// rangeLeft is how many records the ranges queued or running expect
	// still to read.
	rangeLeft atomic.Int64
}

// Run extracts the selected types from HubSpot into db and records the run.
// One extraction at a time runs on a database: Run first takes its lock
// (LockPath) and holds it to the end; while another process, or another
// Run, holds it, Run returns a *BusyError at once, having changed nothing
// and called HubSpot not once. Otherwise an error is returned only when
// the run could not be recorded at all, or the database could not be
// prepared for it (then before any call); a run that failed, partly failed
// or was cancelled is described by the Result's Status, Error and Streams.
func Run(ctx context.Context, db *store.DB, opts Options) (Result, error) {
	// Checked against the custom objects known so far: those this run
	// discovers join an empty selection (everything) below.
	if _, err := catalog.Normalize(opts.Objects); err != nil {
		return Result{}, err
	}
	if opts.Client == nil {
		return Result{}, errors.New("extract: no HubSpot client")
	}
	if err := ValidateHistory(opts.History); err != nil {
		return Result{}, err
	}
	clk := opts.Client.Clock()
	lock, err := lockDatabase(db.Path(), Holder{Owner: cmp.Or(opts.Owner, OwnerCommandLine), PID: os.Getpid(), Since: clk.Now()})
	if err != nil {
		return Result{}, err
	}
	defer lock.release()
	// A first extraction that fetches faster than the writer keeps the
	// index of associations by their other record up goes without it, and
	// finish builds it in one go; otherwise it is kept up (built first if
	// a first extraction that crashed left it missing). Before any call: a
	// run that cannot prepare it (a full disk) spends none.
	if outpacesWriter(opts.Client.RatePer10s()) {
		_, err = db.DeferReverseIndex(ctx)
	} else {
		err = db.BuildReverseIndex(ctx)
	}
	if err != nil {
		return Result{}, fmt.Errorf("extract: %w", err)
	}
	rep := opts.Progress
	if rep == nil {
		rep = progress.Nop{}
	}
	rep = progress.Throttle(rep, clk, progress.DefaultInterval)
	conc := opts.Concurrency
	if conc <= 0 {
		conc = AutoConcurrency(opts.Client.RatePer10s())
	}
	// The account's custom objects first: what "everything" is depends on
	// them. The call is the metadata stream's.
	meter := newMeter(rep.Report, clk.Now)
	client := opts.Client.Session(meter, hubspot.RetryPolicy{})
	if opts.CheckAccount != nil {
		if err := opts.CheckAccount(ctx, client); err != nil {
			return Result{}, err
		}
	}
	checkCalls := client.Calls() // one call to learn the key's account is needed
	// A key HubSpot refuses fails the run once it is recorded, with no
	// other call.
	schemaNote, schemaWarning, refused := discoverTypes(ctx, db, client)
	if refused != nil && !errors.As(refused, new(*hubspot.AuthError)) {
		return Result{}, fmt.Errorf("extract: %w", refused)
	}
	// No selection is everything, known now: the custom objects included,
	// the types the last run found unreadable left out.
	var selection []string
	if len(opts.Objects) == 0 {
		selection, _, err = DefaultSelection(ctx, db)
	} else {
		selection, err = catalog.Normalize(opts.Objects)
	}
	if err != nil {
		return Result{}, err
	}
	meter.selected(selection)
	economy, err := ParseEconomy(string(opts.Economy))
	if err != nil {
		return Result{}, err
	}
	e := &engine{db: db, clk: clk, rep: rep, selection: selection, streams: map[string]*stream{}, walks: map[string]*task{},
		overlap: cmp.Or(opts.Overlap, DefaultOverlap), fullEvery: cmp.Or(opts.FullEvery, DefaultFullEvery),
		pageSaved: opts.pageSaved, history: map[string]bool{}, economy: economy}
	e.planner = newPlanner(e)
	for _, t := range selection {
		if catalog.IsCRM(t) {
			e.crm = append(e.crm, t)
			e.history[t] = slices.Contains(opts.History, t)
		}
	}
	e.meter, e.client = meter, client
	e.addMinimum(schemasCalls + checkCalls)

	if err := e.start(ctx, opts.Fresh || opts.Full, opts.Full); err != nil {
		return Result{}, err
	}
	if refused != nil {
		// The history shows where the one call went.
		n := meter.of(metadataStream)
		if err := db.SaveStreamResult(context.WithoutCancel(ctx), e.runID, store.StreamResult{Stream: metadataStream,
			Status: store.StatusFailed, APICalls: n.calls, Retries: n.retries, HubSpotTotal: -1, Error: hubspot.UserMessage(refused)}); err != nil {
			return Result{}, err
		}
		return e.finish(ctx, refused)
	}
	if schemaWarning != "" {
		e.warn(schemaWarning)
	}
	if schemaNote != "" {
		// Normal on most accounts: said in the run log, no warning.
		rep.Report(progress.Event{Kind: progress.KindLog, Time: clk.Now(), Stream: catalog.Metadata, Level: progress.LevelInfo,
			Message: schemaNote})
	}
	// rctx also ends when an error makes every further call pointless.
	rctx, abort := context.WithCancelCause(ctx)
	defer abort(nil)
	e.abort = abort
	// Pages already fetched are committed even after a cancel. Every
	// transaction also saves the run's figures, so that a killed run keeps
	// the calls it made up to its last committed page; a write that fails
	// for a reason every other write meets too (a full disk) stops the run
	// at once, before more calls fetch what could not be saved.
	e.w = newWriter(context.WithoutCancel(ctx), db, 2*conc,
		func(ctx context.Context, tx *store.Tx) error {
			return tx.SaveRunFigures(ctx, e.runID, e.client.Calls(), e.client.Retries())
		},
		func(err error) {
			if isFatal(err) {
				abort(err)
			}
		})
	// Search ranges have workers of their own: waiting on the search
	// limiter, they must not hold the list walks' workers.
	e.sched, e.ranges = newScheduler(), newScheduler()
	// Both pools stay up while the planner may still queue work: ranges,
	// and the association completions its settling may start.
	e.sched.hold()
	e.ranges.hold()
	e.setup(rctx)
	planned := e.planner.start(rctx)
	rangesDone := make(chan struct{})
	go func() {
		<-planned
		e.ranges.unhold()
		e.sched.unhold()
	}()
	go func() {
		defer close(rangesDone)
		e.ranges.run(rctx, 1)
	}()
	e.sched.run(rctx, conc)
	<-rangesDone
	<-planned
	e.fatal = fatalCause(rctx)
	for _, s := range e.ordered() {
		s.abandon(e.fatal) // streams cut short by a cancel or a fatal error
		s.cancel()
	}
	e.w.close()
	return e.finish(ctx, nil)
}

// ValidateHistory checks that every type whose property history is asked
// for is a CRM type (history exists for CRM records only).
func ValidateHistory(types []string) error {
	for _, t := range types {
		if !catalog.IsCRM(t) {
			return fmt.Errorf("property history: %q is not a CRM type (one of %s)", t, strings.Join(catalog.CRM(), ", "))
		}
	}
	return nil
}

// fatalCause is the error that stopped the whole run, if any.
func fatalCause(rctx context.Context) error {
	if err := context.Cause(rctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// isFatal: errors that every other call or write would meet too (a refused
// token, the day's allowance spent, a full disk), so the run stops at once.
func isFatal(err error) bool {
	var auth *hubspot.AuthError
	var daily *hubspot.DailyLimitError
	return errors.As(err, &auth) || errors.As(err, &daily) || errors.Is(err, store.ErrDiskFull)
}

// abandonedMsg is what a run a dead process left open says, once the next
// extraction closed it as interrupted.
const abandonedMsg = "The extraction stopped unexpectedly (the program running it was closed, killed or crashed); " +
	"the next extraction of the same types resumes where it stopped."

// start records the run, first closing runs a dead process left open (as
// the holder of the database's lock, Run's caller is the only process that
// may: a run still marked running is no other's), and decides whether it resumes an interrupted one and which streams it
// reads in full.
func (e *engine) start(ctx context.Context, fresh, full bool) error {
	if _, err := e.db.MarkAbandonedRuns(ctx, store.StatusInterrupted, abandonedMsg); err != nil {
		return err
	}
	plan, err := e.planResume(ctx, fresh)
	if err != nil {
		return err
	}
	e.plan = plan
	e.started = e.clk.Now()
	e.since = e.started
	if plan.from != 0 {
		e.since = plan.since
	}
	if err := e.decideModes(ctx, full); err != nil {
		return err
	}
	// The run row, the checkpoints it resumes from and its modes in one
	// transaction: a crash in between must not leave a run that the next
	// one would resume from scratch.
	return e.db.TransactionContext(ctx, func(tx *store.Tx) error {
		id, err := tx.CreateRun(ctx, e.runMode(), e.selection, e.started)
		if err != nil {
			return err
		}
		e.runID = id
		if err := e.plan.carry(ctx, tx, id); err != nil {
			return fmt.Errorf("resume run %d: %w", e.plan.from, err)
		}
		return e.saveModes(ctx, tx)
	})
}

// setup creates the streams and queues their first tasks.
func (e *engine) setup(ctx context.Context) {
	meta := e.newStream(metadataStream)
	for _, t := range e.selection {
		e.newStream(t)
	}
	e.groups = e.newGroups()
	e.queueMetadata(ctx, meta)
	for _, t := range e.crm {
		e.queueObjects(ctx, e.streams[t])
	}
	e.queueForms(ctx)
	if s := e.streams[catalog.EmailEvents]; s != nil {
		e.queueEmailEvents(ctx, s)
	}
}

// setWalk and walkTask keep each type's queued walk, which its planning
// call may reorder.
func (e *engine) setWalk(name string, t *task) {
	e.mu.Lock()
	e.walks[name] = t
	e.mu.Unlock()
}

func (e *engine) walkTask(name string) *task {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.walks[name]
}

// ordered lists the streams: metadata, then the selection in canonical
// order.
func (e *engine) ordered() []*stream {
	out := []*stream{e.streams[metadataStream]}
	for _, t := range e.selection {
		out = append(out, e.streams[t])
	}
	return out
}

func (e *engine) warn(msg string) {
	e.mu.Lock()
	e.warnings = append(e.warnings, msg)
	e.mu.Unlock()
	e.rep.Report(progress.Event{Kind: progress.KindLog, Time: e.clk.Now(), Level: progress.LevelWarn, Message: msg})
}

// reverseIndexWarning says that the end-of-run build of the index of
// associations by their other record failed, in the words of the error's
// own sentence where it has one (a full disk): the data is all saved, only
// that lookup is slow until the next extraction builds the index.
func reverseIndexWarning(err error) string {
	return "Everything fetched is saved, but the index that lists each record's links from the other side " +
		"could not be built (" + strings.TrimSuffix(hubspot.Reason(err), ".") + "). Until the next extraction builds it, " +
		"a record's page is slow to list the records linked to it."
}

func (e *engine) addMinimum(n int64) {
	e.mu.Lock()
	e.minimum += n
	e.mu.Unlock()
}

// finish reconciles, decides the run's status and records its end;
// refused is the key HubSpot refused before any stream began (nil when not).
func (e *engine) finish(ctx context.Context, refused error) (Result, error) {
	bg := context.WithoutCancel(ctx)
	if e.db.ReverseIndexDeferred() {
		// Even after a cancel: the record browser reads it now.
		e.rep.Report(progress.Event{Kind: progress.KindLog, Time: e.clk.Now(), Level: progress.LevelInfo,
			Message: "Indexing the associations, so that each record lists the records linked from their side"})
		if err := e.db.BuildReverseIndex(bg); err != nil {
			e.warn(reverseIndexWarning(err))
		}
	}
	if refused == nil && ctx.Err() == nil {
		e.reconcile(bg)
	}
	status, msg := e.outcome(ctx, refused)
	e.mu.Lock()
	warnings := slices.Clone(e.warnings)
	minimum := e.minimum
	e.mu.Unlock()
	if err := e.db.SetRunResumable(bg, e.runID, e.resumable(status, refused)); err != nil {
		return Result{}, err
	}
	if err := e.db.FinishRun(bg, e.runID, status, msg, warnings, e.client.Calls(), e.client.Retries(), e.clk.Now()); err != nil {
		return Result{}, err
	}
	run, err := e.db.Run(bg, e.runID)
	if err != nil {
		return Result{}, err
	}
	all := e.meter.all()
	rate := hubspot.SustainedRate(e.client.RatePer10s())
	floor := max(float64(run.APICalls-all.exempt)/rate, float64(all.search)/e.client.SearchRate())
	e.mu.Lock()
	plan := e.split
	e.mu.Unlock()
	r := Result{Run: run, MinimumCalls: minimum, ExemptCalls: all.exempt, SearchCalls: all.search, FloorSeconds: floor,
		NaiveFloorSeconds: float64(run.APICalls) / rate, ResumedFrom: e.plan.from}
	if plan.Economy != "" {
		r.Plan = plan.describe()
	}
	return r, nil
}

// outcome: cancelled beats everything; otherwise succeeded, partial (some
// streams failed) or failed (all did, or the key was refused).
func (e *engine) outcome(ctx context.Context, refused error) (status, msg string) {
	if ctx.Err() != nil {
		return store.StatusCancelled, hubspot.UserMessage(context.Canceled)
	}
	if refused != nil {
		return store.StatusFailed, hubspot.UserMessage(refused) // the key: nothing else to say
	}
	var failed []*stream
	for _, s := range e.ordered() {
		if s.result().Status == store.StatusFailed {
			failed = append(failed, s)
		}
	}
	switch {
	case len(failed) == 0:
		return store.StatusSucceeded, ""
	case len(failed) == len(e.streams):
		status = store.StatusFailed
	default:
		status = store.StatusPartial
	}
	if e.fatal != nil {
		// One cause stopped every stream: say it once, plainly.
		return status, hubspot.UserMessage(e.fatal)
	}
	msg = failed[0].name + ": " + failed[0].result().Error
	if len(failed) > 1 {
		msg += fmt.Sprintf(" (and %d more streams failed)", len(failed)-1)
	}
	return status, msg
}

// errCancelled reports whether err is only the run being stopped.
func errCancelled(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}
