// Package workspace owns the desktop app's working state and actions: which
// database is open, how HubSpot is reached (the saved token or the sample
// data), testing a connection, the one extraction and the one export that
// may run at a time with their cancel, and the batching of their progress
// into at most ten updates a second. It composes backend/extract,
// backend/export, backend/views, backend/settings and backend/demo, and must
// not import Wails: app.go turns its updates into window events.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"hubextract/backend/demo"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
	"hubextract/backend/views"
)

// Config places a workspace.
type Config struct {
	SettingsDir string // settings.json and the token file; names the keychain item
	Sample      demo.Options
	// HubSpotURL is the HubSpot API's base URL (tests point it at a fake);
	// "" is HubSpot's own.
	HubSpotURL string
}

// ErrBusy: the action must wait until the running extraction or export ends.
var ErrBusy = errors.New("an extraction or an export is running: wait until it ends or cancel it first")

// ErrNotConnected: no token is saved and the sample data is not in use.
var ErrNotConnected = errors.New("not connected to HubSpot: connect with a key or try the sample data first")

// Workspace is the app's state. Its methods are safe for concurrent use.
type Workspace struct {
	base   context.Context // ends when the workspace closes
	stop   context.CancelFunc
	file   settings.File
	tokens *settings.Tokens
	sample demo.Options
	apiURL string

	mu          sync.RWMutex // guards the fields below; read-held while a query uses db
	cfg         settings.Settings
	warning     string // why settings.json could not be used
	tokenStatus settings.TokenStatus
	db          *store.DB
	hub         *demo.Hub

	jobMu      sync.Mutex // guards the fields below
	extraction *job
	exporting  *job
	last       *Snapshot        // the last extraction of this session, once ended
	totals     map[string]int64 // HubSpot's totals learned for estimates, by source/type
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
	if cfg.SettingsDir == "" {
		return nil, errors.New("open workspace: no settings folder")
	}
	base, stop := context.WithCancel(context.Background())
	w := &Workspace{
		base: base, stop: stop,
		file:   settings.File{Dir: cfg.SettingsDir},
		tokens: settings.NewTokens(cfg.SettingsDir),
		sample: cfg.Sample,
		apiURL: cfg.HubSpotURL,
		totals: map[string]int64{},
	}
	if w.apiURL == "" {
		w.apiURL = hubspot.DefaultBaseURL
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
	return w, nil
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
	Database  views.Database       `json:"database"`
	// SettingsWarning says why saved settings or the token could not be read.
	SettingsWarning string `json:"settingsWarning"`
	Extracting      bool   `json:"extracting"`
	Exporting       bool   `json:"exporting"`
}

// Status reports the current state.
func (w *Workspace) Status() (Status, error) {
	w.mu.RLock()
	cfg, tok, warning := w.cfg, w.tokenStatus, w.warning
	w.mu.RUnlock()
	path, err := cfg.Database()
	if err != nil {
		return Status{}, fmt.Errorf("locate the database: %w", err)
	}
	db, err := views.DatabaseInfo(path)
	if err != nil {
		return Status{}, fmt.Errorf("database %s: %w", path, err)
	}
	w.jobMu.Lock()
	extracting, exporting := w.extraction != nil, w.exporting != nil
	w.jobMu.Unlock()
	return Status{
		Source: cfg.Source, Connected: cfg.Source == settings.SourceSample || tok.Saved, Token: tok,
		Database: db, SettingsWarning: warning, Extracting: extracting, Exporting: exporting,
	}, nil
}

// Settings returns the settings in force.
func (w *Workspace) Settings() settings.Settings {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cfg
}

// SaveSettings validates, saves and applies s. A new database location
// takes effect at once (refused while a job runs).
func (w *Workspace) SaveSettings(s settings.Settings) (settings.Settings, error) {
	if err := s.Validate(); err != nil {
		return w.Settings(), err
	}
	if err := w.apply(func(settings.Settings) settings.Settings { return s }); err != nil {
		return w.Settings(), err
	}
	return w.Settings(), nil
}

// apply changes the settings through change, saves them, and closes the
// database or the sample HubSpot when they are no longer the ones in use.
// Refused with ErrBusy while a job runs.
func (w *Workspace) apply(change func(settings.Settings) settings.Settings) error {
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	next := change(w.cfg)
	oldPath, err := w.cfg.Database()
	if err != nil {
		return err
	}
	newPath, err := next.Database()
	if err != nil {
		return err
	}
	if (oldPath != newPath || next.Source != w.cfg.Source) && (w.extraction != nil || w.exporting != nil) {
		return ErrBusy
	}
	if err := w.file.Save(next); err != nil {
		return err
	}
	w.warning = ""
	if oldPath != newPath && w.db != nil {
		err = w.db.Close()
		w.db = nil
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
			path, err := w.cfg.Database()
			if err != nil {
				w.mu.Unlock()
				return nil, nil, fmt.Errorf("locate the database: %w", err)
			}
			if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !create {
				w.mu.Unlock()
				return nil, func() {}, nil
			}
			if w.db, err = store.Open(ctx, path); err != nil {
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
