package workspace

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/url"

	"hubextract/backend/demo"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
)

// account is one HubSpot account as the app reaches it: one client, so one
// limiter, shared by connection tests, estimates and runs, since HubSpot's
// limit is the account's; and the estimator that remembers its totals.
type account struct {
	source    string // settings.SourceHubSpot or SourceSample
	client    *hubspot.Client
	estimator *extract.Estimator
}

// accountKey tells accounts apart: where, as whom (a digest, so the key
// never shows the token), at which rates and through which API version (a
// client calls one version for its life, so a change in Settings needs a
// new one).
type accountKey struct {
	baseURL    string
	token      [sha256.Size]byte
	ratePer10s int
	searchRate float64
	apiVersion hubspot.APIVersion
}

// accountFor returns the account's client for token at baseURL, made once
// and kept while the workspace lives. A change of tier or of API version
// makes a new one. An
// address that is not a web address, or plain http to another computer
// (the key would cross the network in clear text), is refused.
func (w *Workspace) accountFor(source, baseURL, token string, cfg settings.Settings) (*account, error) {
	if err := checkAPIURL(baseURL); err != nil {
		return nil, err
	}
	version := cfg.HubSpotAPIVersion()
	key := accountKey{baseURL: baseURL, token: sha256.Sum256([]byte(token)), ratePer10s: cfg.RatePer10s, searchRate: cfg.SearchRate,
		apiVersion: version}
	w.mu.Lock()
	defer w.mu.Unlock()
	if a := w.accounts[key]; a != nil {
		return a, nil
	}
	c := hubspot.New(token, hubspot.WithBaseURL(baseURL), hubspot.WithRateLimit(cfg.RatePer10s),
		hubspot.WithSearchRate(cfg.SearchRate), hubspot.WithAPIVersion(version), hubspot.WithClock(w.clock), hubspot.WithLogger(w.logger))
	a := &account{source: source, client: c, estimator: extract.NewEstimator(c)}
	w.accounts[key] = a
	return a, nil
}

// ErrInsecureURL: the HubSpot address is plain http to another computer.
var ErrInsecureURL = errors.New("plain http to another computer")

// checkAPIURL refuses a HubSpot address the app must not use: one that is
// not a web address, or plain http to a host other than this computer's
// own, which would send the key in clear text (the app, unlike the command
// line's --insecure, has no way to allow it). Only HUBEXTRACT_HUBSPOT_URL
// can set another address than HubSpot's own, so the error names it.
func checkAPIURL(raw string) error {
	if err := hubspot.CheckBaseURL(raw, true); err != nil {
		return fmt.Errorf("%s cannot be used: %w", envHubSpotURL, err)
	}
	if u, _ := url.Parse(raw); u.Scheme == "http" && !hubspot.IsLoopback(u.Hostname()) {
		return fmt.Errorf("%s=%s is refused: %w, which would send the HubSpot key in clear text; use https, or a server on this computer (localhost)",
			envHubSpotURL, raw, ErrInsecureURL)
	}
	return nil
}

// envHubSpotURL is the variable the app reads its HubSpot address from
// (app.go), named in the errors about it.
const envHubSpotURL = "HUBEXTRACT_HUBSPOT_URL"

// current returns the account of the source in force, starting the sample
// HubSpot when the sample data is in use; ErrNotConnected when no key is
// saved.
func (w *Workspace) current() (*account, error) {
	w.mu.Lock()
	cfg := w.cfg
	if cfg.Source == settings.SourceSample {
		if w.hub == nil {
			hub, err := demo.Start(w.sample)
			if err != nil {
				w.mu.Unlock()
				return nil, err
			}
			w.hub = hub
		}
		url, token := w.hub.URL, w.hub.Token
		w.mu.Unlock()
		return w.accountFor(settings.SourceSample, url, token, cfg)
	}
	w.mu.Unlock()
	// Outside the lock: a keychain may take its time (it can ask the user).
	token, st, err := w.keys().Load()
	if err != nil {
		return nil, fmt.Errorf("read the saved key: %w", err)
	}
	w.mu.Lock()
	w.tokenStatus = st
	w.mu.Unlock()
	if token == "" {
		return nil, ErrNotConnected
	}
	return w.accountFor(settings.SourceHubSpot, w.apiURL, token, cfg)
}

// UseSampleData switches to the sample data: a built-in fake HubSpot and
// its own database.
func (s *ConnectionService) UseSampleData() (Status, error) {
	return s.w.useSource(settings.SourceSample)
}

// LeaveSampleData switches back to the user's HubSpot and database.
func (s *ConnectionService) LeaveSampleData() (Status, error) {
	return s.w.useSource(settings.SourceHubSpot)
}

// useSource makes source the data source and reports the new state.
func (w *Workspace) useSource(source string) (Status, error) {
	if err := w.apply(func(c settings.Settings) settings.Settings {
		c.Source = source
		return c
	}); err != nil {
		return Status{}, err
	}
	return w.Status()
}

// Disconnect forgets the saved key.
func (s *ConnectionService) Disconnect() (Status, error) {
	if s.w.Busy() {
		return Status{}, ErrBusy
	}
	if err := s.w.keys().Forget(); err != nil {
		return Status{}, err
	}
	s.w.mu.Lock()
	s.w.tokenStatus = settings.TokenStatus{}
	s.w.mu.Unlock()
	return s.w.Status()
}

// Status reports the source, the key's storage and the database.
func (s *ConnectionService) Status() (Status, error) { return s.w.Status() }
