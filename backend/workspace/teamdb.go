package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"hubextract/backend/mirror"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// EventTeamDBSynced: a sync of the team database ended (a TeamDBSync).
const EventTeamDBSynced = "teamdb:synced"

// TeamDatabaseService is Settings → Team database: the PostgreSQL mirror's
// URL (its password kept like the HubSpot key), a test of it, syncing it
// now or after every extraction that ends well.
type TeamDatabaseService struct {
	w       *Workspace
	mu      sync.Mutex // guards the fields below
	running bool
	last    *TeamDBSync
}

// TeamDatabase is what the panel shows.
type TeamDatabase struct {
	URL           string      `json:"url"` // without the password
	Schema        string      `json:"schema"`
	SyncAfterRun  bool        `json:"syncAfterRun"`
	PasswordSaved bool        `json:"passwordSaved"`
	PasswordWhere string      `json:"passwordWhere"` // settings.InKeychain or settings.InFile
	Running       bool        `json:"running"`       // a sync is going on
	Last          *TeamDBSync `json:"last"`          // the last sync of this session
}

// TeamDatabaseRequest is the panel's form. A password in URL is taken out
// of it and kept as Password would be.
type TeamDatabaseRequest struct {
	URL          string `json:"url"`
	Password     string `json:"password"` // "": the saved one
	Schema       string `json:"schema"`
	SyncAfterRun bool   `json:"syncAfterRun"`
}

// TeamDBSync is how one sync ended.
type TeamDBSync struct {
	At      time.Time `json:"at"`
	Target  string    `json:"target"` // user@host:port/database
	Schema  string    `json:"schema"`
	Changes int64     `json:"changes"`
	Rows    int64     `json:"rows"`
	Seconds float64   `json:"seconds"`
	Error   string    `json:"error"` // "" when it went well
}

// passwords keeps the current account's team database password, beside
// its HubSpot key.
func (s *TeamDatabaseService) passwords() *settings.Tokens {
	return settings.TeamDBPasswords(s.w.keys())
}

// Get returns the team database as set up, and the state of its syncs.
func (s *TeamDatabaseService) Get() (TeamDatabase, error) {
	team := s.w.settings().Team()
	_, st, err := s.passwords().Load()
	s.mu.Lock()
	defer s.mu.Unlock()
	return TeamDatabase{URL: team.URL, Schema: team.Schema, SyncAfterRun: team.SyncAfterRun,
		PasswordSaved: st.Saved, PasswordWhere: st.Where, Running: s.running, Last: s.last}, err
}

// Save keeps the form: the URL without its password in the settings, the
// password in the keychain (a new one replaces the saved one). An empty
// URL forgets the team database and its password.
func (s *TeamDatabaseService) Save(req TeamDatabaseRequest) (TeamDatabase, error) {
	team := settings.TeamDB{Schema: req.Schema, SyncAfterRun: req.SyncAfterRun}
	password := req.Password
	if req.URL != "" {
		bare, inURL, err := settings.SplitTeamDBURL(req.URL)
		if err != nil {
			cur, _ := s.Get()
			return cur, err
		}
		team.URL = bare
		if inURL != "" {
			password = inURL
		}
	}
	if err := s.w.settings().WithTeam(team).Validate(); err != nil {
		cur, _ := s.Get()
		return cur, err
	}
	switch {
	case team.URL == "":
		if err := s.passwords().Forget(); err != nil {
			cur, _ := s.Get()
			return cur, err
		}
	case password != "":
		if _, err := s.passwords().Save(password); err != nil {
			cur, _ := s.Get()
			return cur, err
		}
	}
	if err := s.w.apply(func(cur settings.Settings) settings.Settings { return cur.WithTeam(team) }); err != nil {
		cur, _ := s.Get()
		return cur, err
	}
	return s.Get()
}

// Test connects with the form's URL (and password, else the saved one) and
// says whether a sync could write its schema there; it writes nothing.
func (s *TeamDatabaseService) Test(req TeamDatabaseRequest) (string, error) {
	bare, password, err := settings.SplitTeamDBURL(req.URL)
	if err != nil {
		return "", err
	}
	if password == "" {
		password = req.Password
	}
	url, err := s.connectURL(settings.TeamDB{URL: bare}, password)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(s.w.base, time.Minute)
	defer cancel()
	target, err := mirror.Test(ctx, url, req.Schema)
	if err != nil {
		return "", err
	}
	schema := req.Schema
	if schema == "" {
		schema = mirror.DefaultSchema
	}
	return fmt.Sprintf("Connected to %s: schema %q can be written.", target, schema), nil
}

// connectURL is team's URL with password, else the saved password.
func (s *TeamDatabaseService) connectURL(team settings.TeamDB, password string) (string, error) {
	if password == "" {
		saved, _, err := s.passwords().Load()
		if err != nil {
			return "", err
		}
		password = saved
	}
	return team.WithPassword(password)
}

// ErrSyncRunning: a sync of the team database is going on already.
var ErrSyncRunning = errors.New("the team database is being synced already: wait until it ends")

// SyncNow sends what changed since the last sync and returns how it ended.
func (s *TeamDatabaseService) SyncNow() (TeamDBSync, error) {
	res, err := s.sync()
	if err != nil {
		return res, err
	}
	if res.Error != "" {
		return res, errors.New(res.Error)
	}
	return res, nil
}

// afterRun syncs in the background when the settings ask for a sync after
// every extraction that ends well; the panel hears of it by
// EventTeamDBSynced.
func (s *TeamDatabaseService) afterRun() {
	if team := s.w.settings().Team(); !team.SyncAfterRun || team.URL == "" {
		return
	}
	go func() {
		if _, err := s.sync(); err != nil {
			s.w.logger.Warn("team database: sync after the extraction", "err", err)
		}
	}()
}

// sync runs one sync of the database in use, on a connection of its own
// to the file (so that it holds no lock of the workspace's), and keeps and
// emits how it ended. err is for a sync that could not start.
func (s *TeamDatabaseService) sync() (TeamDBSync, error) {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return TeamDBSync{}, ErrSyncRunning
	}
	s.running = true
	s.mu.Unlock()
	res, err := s.syncOnce()
	s.mu.Lock()
	s.running = false
	if err == nil {
		s.last = &res
	}
	s.mu.Unlock()
	if err == nil {
		s.w.emit(EventTeamDBSynced, res)
	}
	return res, err
}

func (s *TeamDatabaseService) syncOnce() (TeamDBSync, error) {
	team := s.w.settings().Team()
	if team.URL == "" {
		return TeamDBSync{}, errors.New("no team database is set up: enter its URL first")
	}
	url, err := s.connectURL(team, "")
	if err != nil {
		return TeamDBSync{}, err
	}
	loc, err := s.w.location()
	if err != nil {
		return TeamDBSync{}, err
	}
	if _, err := os.Stat(loc.Path); errors.Is(err, fs.ErrNotExist) {
		return TeamDBSync{}, ErrNoData
	}
	db, err := store.Open(s.w.base, loc.Path)
	if err != nil {
		return TeamDBSync{}, err
	}
	defer db.Close()
	sum, err := mirror.Sync(s.w.base, db, mirror.Options{URL: url, Schema: team.Schema})
	res := TeamDBSync{At: time.Now().UTC(), Target: sum.Target, Schema: sum.Schema, Changes: sum.Changes,
		Rows: sum.Rows, Seconds: sum.Seconds}
	if err != nil {
		res.Error = err.Error()
	}
	return res, nil
}
