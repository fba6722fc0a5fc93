// Package workspace is the desktop app's one application layer: which
// database is open, how HubSpot is reached (the saved key or the sample
// data, through one client per account), testing a connection, the one
// extraction and the one export that may run at a time with their cancel
// and progress events, and what the screens read (the overview, the run
// history, the record browser's pages and details with readable labels).
// Its bound services (ConnectionService, ExtractService, ...) are what the
// window calls; every value leaves here as plain text, never markup. It
// composes backend/extract, backend/export, backend/settings and
// backend/demo, and must not import Wails: the app hands it an Emitter.
package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/clock"
	"hubextract/backend/demo"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/schedule"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// Config places a workspace.
type Config struct {
	Paths  settings.Paths // the app's folder and files
	Sample demo.Options
	// HubSpotURL is the HubSpot API's base URL (tests point it at a fake);
	// "" is HubSpot's own.
	HubSpotURL string
	// Clock paces the HubSpot clients; nil is the real one.
	Clock clock.Clock
	// Logger receives the clients' warnings (retries, failures); nil is
	// slog's default, the app's log.
	Logger *slog.Logger
	// ScheduleClock, when set, paces the scheduled refresh and the loop is
	// not started (a test steps it); nil: the real clock, running.
	ScheduleClock clock.Clock
}

// Window events, colon-namespaced.
const (
	EventExtractProgress = "extract:progress" // an Update, at most every UpdateInterval
	EventExtractEnded    = "extract:ended"    // the Snapshot of the run that ended
	EventExportProgress  = "export:progress"  // an ExportProgress
)

// Emitter sends an event to the window. It is called from the goroutine of
// the job that reports.
type Emitter interface{ Emit(event string, data any) }

type nopEmitter struct{}

func (nopEmitter) Emit(string, any) {}

// ErrBusy: the action must wait until the running extraction or export ends.
var ErrBusy = errors.New("an extraction or an export is running: wait until it ends or cancel it first")

// ErrNotConnected: no token is saved and the sample data is not in use.
var ErrNotConnected = errors.New("not connected to HubSpot: connect with a key or try the sample data first")

// ErrNoData: the database does not exist yet.
var ErrNoData = errors.New("nothing extracted yet: run an extraction first")

// Workspace is the app's state. Its methods and services are safe for
// concurrent use.
type Workspace struct {
	base   context.Context // ends when the workspace closes
	stop   context.CancelFunc
	paths  settings.Paths
	file   settings.SettingsStore // settings.json, or the current account's
	tokens *settings.Tokens
	sample demo.Options
	apiURL string
	clock  clock.Clock
	logger *slog.Logger

	emitMu  sync.RWMutex
	emitter Emitter

	mu          sync.RWMutex // guards the fields below; read-held while a query uses db
	cfg         settings.Settings
	warning     string // why settings.json could not be used
	tokenStatus settings.TokenStatus
	account     *settings.Account // the current account; nil: the folder's own, or none yet
	refresh     *schedule.Loop    // the scheduled refresh while the app is open
	db          *store.DB
	hub         *demo.Hub
	accounts    map[accountKey]*account // one client per account, for the workspace's life

	jobMu      sync.Mutex // guards the fields below
	extraction *job
	exporting  *job
	last       *Snapshot // the last extraction of this session, once ended

	// The bound services, one per screen domain.
	Connection *ConnectionService
	Extract    *ExtractService
	Runs       *RunsService
	Records    *RecordsService
	Export     *ExportService
	Settings   *SettingsService
	Accounts   *AccountsService
	TeamDB     *TeamDatabaseService
}

// job is a running extraction or export.
type job struct {
	cancel context.CancelFunc
	done   chan struct{}
	batch  *batcher // extraction only
}

// Open loads the settings and the token's status. A settings file that
// cannot be used leaves the defaults in force and a warning in Status.
func Open(cfg Config) (*Workspace, error) {
	if cfg.Paths.Dir == "" {
		return nil, errors.New("open workspace: no app folder")
	}
	base, stop := context.WithCancel(context.Background())
	w := &Workspace{
		base: base, stop: stop,
		paths:    cfg.Paths,
		file:     cfg.Paths.File(),
		tokens:   cfg.Paths.Tokens(),
		sample:   cfg.Sample,
		apiURL:   cfg.HubSpotURL,
		clock:    cmp.Or[clock.Clock](cfg.Clock, clock.Real{}),
		logger:   cmp.Or(cfg.Logger, slog.Default()),
		emitter:  nopEmitter{},
		accounts: map[accountKey]*account{},
	}
	if w.apiURL == "" {
		w.apiURL = hubspot.DefaultBaseURL
	}
	// The current account's settings and key (settings.Paths.Place).
	if pl, err := cfg.Paths.Place(""); err == nil {
		w.file, w.tokens, w.account = pl.Store, pl.Tokens, pl.Account
	} else {
		w.warning = err.Error()
	}
	s, err := w.file.Load()
	var corrupt *settings.CorruptError
	switch {
	case errors.As(err, &corrupt):
		w.warning = corrupt.Error()
	case err != nil:
		stop()
		return nil, err
	}
	w.cfg = s
	_, st, err := w.tokens.Load()
	if err != nil {
		w.warning = joinWarnings(w.warning, err.Error())
	}
	w.tokenStatus = st
	w.Connection, w.Extract, w.Runs = &ConnectionService{w}, &ExtractService{w}, &RunsService{w}
	w.Records, w.Export, w.Settings = &RecordsService{w}, &ExportService{w}, &SettingsService{w}
	w.Accounts = &AccountsService{w}
	w.startScheduler(cfg.ScheduleClock)
	w.TeamDB = &TeamDatabaseService{w: w}
	return w, nil
}

// Services are the objects the window binds.
func (w *Workspace) Services() []any {
	return []any{w.Connection, w.Extract, w.Runs, w.Records, w.Export, w.Settings, w.Accounts, w.TeamDB}
}

// SetEmitter sends the workspace's events to e from now on (the window
// exists only once the app has started).
func (w *Workspace) SetEmitter(e Emitter) {
	w.emitMu.Lock()
	defer w.emitMu.Unlock()
	w.emitter = e
}

func (w *Workspace) emit(event string, data any) {
	w.emitMu.RLock()
	e := w.emitter
	w.emitMu.RUnlock()
	e.Emit(event, data)
}

func joinWarnings(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// Close stops what runs (cleanly: fetched pages are saved) and closes the
// database and the sample HubSpot.
func (w *Workspace) Close() error {
	w.StopJobs(30 * time.Second)
	w.stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	if w.db != nil {
		err = w.db.Close()
		w.db = nil
	}
	if w.hub != nil {
		w.hub.Stop()
		w.hub = nil
	}
	return err
}

// StopJobs cancels the running extraction and export and waits up to
// timeout for them to end; it reports whether they did.
func (w *Workspace) StopJobs(timeout time.Duration) bool {
	w.jobMu.Lock()
	jobs := []*job{w.extraction, w.exporting}
	w.jobMu.Unlock()
	deadline := time.After(timeout)
	for _, j := range jobs {
		if j == nil {
			continue
		}
		j.cancel()
		select {
		case <-j.done:
		case <-deadline:
			return false
		}
	}
	return true
}

// Busy reports whether an extraction or an export is running.
func (w *Workspace) Busy() bool {
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	return w.extraction != nil || w.exporting != nil
}

// Status is the state the app's header and Welcome screen show.
type Status struct {
	Source    string               `json:"source"`    // settings.SourceHubSpot or SourceSample
	Connected bool                 `json:"connected"` // a token is saved, or the sample data is in use
	Token     settings.TokenStatus `json:"token"`
	Database  Database             `json:"database"` // the one the screens show
	// UserDatabase is the user's own, the one Settings chooses: Database
	// unless the sample data is shown.
	UserDatabase Database `json:"userDatabase"`
	// SettingsWarning says why saved settings or the token could not be read.
	SettingsWarning string `json:"settingsWarning"`
	Extracting      bool   `json:"extracting"`
	Exporting       bool   `json:"exporting"`
	// LogFile is the log the app writes (settings.Paths.LogFile): the run
	// details name it, since the failure messages send the user there.
	LogFile string `json:"logFile"`
}

// Status reports the current state.
func (w *Workspace) Status() (Status, error) {
	w.mu.RLock()
	cfg, tok, warning := w.cfg, w.tokenStatus, w.warning
	w.mu.RUnlock()
	loc, err := w.paths.ForSource(cfg)
	if err != nil {
		return Status{}, fmt.Errorf("locate the database: %w", err)
	}
	db, err := databaseInfo(loc)
	if err != nil {
		return Status{}, fmt.Errorf("database %s: %w", loc.Path, err)
	}
	own := db
	if cfg.Source == settings.SourceSample {
		userLoc, err := w.paths.Database("", cfg)
		if err != nil {
			return Status{}, fmt.Errorf("locate the database: %w", err)
		}
		if own, err = databaseInfo(userLoc); err != nil {
			return Status{}, fmt.Errorf("database %s: %w", userLoc.Path, err)
		}
	}
	w.jobMu.Lock()
	extracting, exporting := w.extraction != nil, w.exporting != nil
	w.jobMu.Unlock()
	return Status{
		Source: cfg.Source, Connected: cfg.Source == settings.SourceSample || tok.Saved, Token: tok,
		Database: db, UserDatabase: own, SettingsWarning: warning, Extracting: extracting, Exporting: exporting,
		LogFile: w.paths.LogFile(),
	}, nil
}

// settings returns the settings in force.
func (w *Workspace) settings() settings.Settings {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cfg
}

// location is the database the settings in force read.
func (w *Workspace) location() (settings.Location, error) {
	loc, err := w.paths.ForSource(w.settings())
	if err != nil {
		return loc, fmt.Errorf("locate the database: %w", err)
	}
	return loc, nil
}

// apply changes the settings through change, saves them, and closes the
// database or the sample HubSpot when they are no longer the ones in use.
// Refused with ErrBusy while a job runs.
func (w *Workspace) apply(change func(settings.Settings) settings.Settings) error {
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	// Normalized as the file keeps them, so that what Get returns after a
	// save is what the next session loads.
	next := change(w.cfg).Normalize()
	oldLoc, err := w.paths.ForSource(w.cfg)
	if err != nil {
		return err
	}
	newLoc, err := w.paths.ForSource(next)
	if err != nil {
		return err
	}
	if (oldLoc.Path != newLoc.Path || next.Source != w.cfg.Source) && (w.extraction != nil || w.exporting != nil) {
		return ErrBusy
	}
	if err := w.file.Save(next); err != nil {
		return err
	}
	w.warning = ""
	if oldLoc.Path != newLoc.Path && w.db != nil {
		err = w.db.Close()
		w.db = nil
		// Another database, another account: its own custom objects, once
		// it is opened.
		if uerr := catalog.Use(); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}
	if next.Source != settings.SourceSample && w.hub != nil {
		w.hub.Stop()
		w.hub = nil
	}
	w.cfg = next
	return err
}

// acquire returns the open database with a read lock held until release is
// called. A missing file is created when create is set; otherwise db is nil
// (nothing extracted yet).
func (w *Workspace) acquire(ctx context.Context, create bool) (db *store.DB, release func(), err error) {
	for {
		w.mu.RLock()
		if w.db != nil {
			return w.db, w.mu.RUnlock, nil
		}
		w.mu.RUnlock()
		w.mu.Lock()
		if w.db == nil {
			loc, err := w.paths.ForSource(w.cfg)
			if err != nil {
				w.mu.Unlock()
				return nil, nil, fmt.Errorf("locate the database: %w", err)
			}
			if _, err := os.Stat(loc.Path); errors.Is(err, fs.ErrNotExist) && !create {
				w.mu.Unlock()
				return nil, func() {}, nil
			}
			if w.db, err = store.Open(ctx, loc.Path); err != nil {
				w.mu.Unlock()
				return nil, nil, err
			}
			// The account's custom objects are types like the others.
			if err := extract.UseStoredTypes(ctx, w.db); err != nil {
				w.mu.Unlock()
				return nil, nil, err
			}
		}
		w.mu.Unlock()
	}
}

// read runs fn with the database, or with nil when none exists yet.
func (w *Workspace) read(ctx context.Context, fn func(db *store.DB) error) error {
	db, release, err := w.acquire(ctx, false)
	if err != nil {
		return err
	}
	defer release()
	return fn(db)
}

// SettingsService reads and saves the settings.
type SettingsService struct{ w *Workspace }

// Get returns the settings in force.
func (s *SettingsService) Get() (settings.Settings, error) { return s.w.settings(), nil }

// Save validates, saves and applies next; an error says in words what is
// wrong and nothing is changed. A new database location takes effect at
// once (refused while a job runs).
func (s *SettingsService) Save(next settings.Settings) (settings.Settings, error) {
	if err := next.Validate(); err != nil {
		return s.w.settings(), err
	}
	// The settings file knows no types: the catalog says which have
	// property history.
	if err := extract.ValidateHistory(next.HistoryTypes); err != nil {
		return s.w.settings(), &settings.InvalidError{Problems: []string{err.Error()}}
	}
	// The team database is saved by its own panel (TeamDatabaseService): a
	// screen holding an older copy must not undo that.
	if err := s.w.apply(func(cur settings.Settings) settings.Settings { return next.WithTeam(cur.Team()) }); err != nil {
		return s.w.settings(), err
	}
	return s.w.settings(), nil
}
