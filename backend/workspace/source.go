package workspace

import (
	"fmt"

	"hubextract/backend/demo"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
)

// endpoint is where and as whom the app calls HubSpot.
type endpoint struct {
	source  string
	token   string
	baseURL string
	cfg     settings.Settings
}

// clientOptions are the HubSpot client's options for the settings.
func (e endpoint) clientOptions() []hubspot.Option {
	return []hubspot.Option{
		hubspot.WithBaseURL(e.baseURL),
		hubspot.WithRateLimit(e.cfg.RatePer10s),
		hubspot.WithSearchRate(e.cfg.SearchRate),
	}
}

// endpoint returns the current source's endpoint, starting the sample
// HubSpot when the sample data is in use.
func (w *Workspace) endpoint() (endpoint, error) {
	w.mu.Lock()
	cfg := w.cfg
	if cfg.Source == settings.SourceSample {
		defer w.mu.Unlock()
		if w.hub == nil {
			hub, err := demo.Start(w.sample)
			if err != nil {
				return endpoint{}, err
			}
			w.hub = hub
		}
		return endpoint{source: settings.SourceSample, token: w.hub.Token, baseURL: w.hub.URL, cfg: cfg}, nil
	}
	w.mu.Unlock()
	// Outside the lock: a keychain may take its time (it can ask the user).
	token, st, err := w.tokens.Load()
	if err != nil {
		return endpoint{}, fmt.Errorf("read the saved key: %w", err)
	}
	w.mu.Lock()
	w.tokenStatus = st
	w.mu.Unlock()
	if token == "" {
		return endpoint{}, ErrNotConnected
	}
	return endpoint{source: settings.SourceHubSpot, token: token, baseURL: w.apiURL, cfg: cfg}, nil
}

// UseSample switches to the sample data: a built-in fake HubSpot and its
// own database (demo.db beside the real one).
func (w *Workspace) UseSample() (Status, error) {
	if err := w.apply(func(s settings.Settings) settings.Settings {
		s.Source = settings.SourceSample
		return s
	}); err != nil {
		return Status{}, err
	}
	return w.Status()
}

// LeaveSample switches back to the user's HubSpot and database.
func (w *Workspace) LeaveSample() (Status, error) {
	if err := w.apply(func(s settings.Settings) settings.Settings {
		s.Source = settings.SourceHubSpot
		return s
	}); err != nil {
		return Status{}, err
	}
	return w.Status()
}

// Disconnect forgets the saved token.
func (w *Workspace) Disconnect() (Status, error) {
	if w.Busy() {
		return Status{}, ErrBusy
	}
	if err := w.tokens.Forget(); err != nil {
		return Status{}, err
	}
	w.mu.Lock()
	w.tokenStatus = settings.TokenStatus{}
	w.mu.Unlock()
	return w.Status()
}
