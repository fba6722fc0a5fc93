package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/schedule"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// AccountInfo is one connected account as the header's switcher shows it.
type AccountInfo struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	Label    string        `json:"label"` // name and id
	Database string        `json:"database"`
	Current  bool          `json:"current"`
	Schedule schedule.Spec `json:"schedule"`
	// ScheduleText says the schedule in words; JobInstalled whether the
	// job for when the app is closed is in this computer's scheduler.
	ScheduleText string `json:"scheduleText"`
	JobInstalled bool   `json:"jobInstalled"`
	JobKind      string `json:"jobKind"` // where such a job goes here
}

// Accounts is the switcher's content: the connected accounts, and whether
// the sample data is what the screens show.
type Accounts struct {
	List   []AccountInfo `json:"list"`
	Sample bool          `json:"sample"`
}

// AccountsService lists, switches, removes and schedules the connected
// HubSpot accounts. Adding one is the Connect flow (ConnectionService.Test).
type AccountsService struct{ w *Workspace }

// List returns the connected accounts.
func (s *AccountsService) List() (Accounts, error) {
	w := s.w
	accts, err := w.paths.LoadAccounts()
	if err != nil {
		return Accounts{List: []AccountInfo{}}, err
	}
	inst, ierr := schedule.NewInstaller()
	kind := ""
	if ierr == nil {
		kind = inst.Kind(w.base) // asks the system once
	}
	out := Accounts{List: make([]AccountInfo, 0, len(accts.List)), Sample: w.settings().Source == settings.SourceSample}
	for _, a := range accts.List {
		info := AccountInfo{ID: a.ID, Name: a.Name, Label: a.Label(), Database: a.Database, Current: a.ID == accts.Current,
			Schedule: a.Schedule, ScheduleText: a.Schedule.String(), JobKind: kind}
		if ierr == nil && a.Schedule.WhenClosed {
			if job, err := w.refreshJob(a, a.Schedule); err == nil {
				info.JobInstalled = inst.Installed(w.base, job)
			}
		}
		out.List = append(out.List, info)
	}
	return out, nil
}

// Switch makes account id the one the screens show, closing the other's
// database first (refused while a job runs): nothing of one account is
// ever shown with the other's. From the sample data it leaves it.
func (s *AccountsService) Switch(id int64) (Status, error) {
	w := s.w
	if err := w.paths.SwitchAccount(id); err != nil {
		return Status{}, err
	}
	if err := w.reload(); err != nil {
		return Status{}, err
	}
	if w.settings().Source == settings.SourceSample {
		return w.useSource(settings.SourceHubSpot)
	}
	return w.Status()
}

// Remove forgets account id: its key, its scheduled job, its place in the
// list; its database is deleted only with deleteDatabase.
func (s *AccountsService) Remove(id int64, deleteDatabase bool) (Status, error) {
	w := s.w
	accts, err := w.paths.LoadAccounts()
	if err != nil {
		return Status{}, err
	}
	acct, err := accts.Find(fmt.Sprint(id))
	if err != nil {
		return Status{}, err
	}
	if id == accts.Current && w.Busy() {
		return Status{}, ErrBusy
	}
	if err := w.installJob(acct, schedule.Spec{Kind: schedule.Off}); err != nil {
		return Status{}, err
	}
	if _, err := w.paths.RemoveAccount(id); err != nil {
		return Status{}, err
	}
	if err := w.reload(); err != nil {
		return Status{}, err
	}
	if deleteDatabase {
		for _, suffix := range []string{"", "-wal", "-shm", ".lock"} {
			if err := os.Remove(acct.Database + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return Status{}, fmt.Errorf("delete the database of %s: %w", acct.Label(), err)
			}
		}
	}
	return w.Status()
}

// SetSchedule saves account id's scheduled refresh, and installs (or
// removes) the job that runs it while the app is closed.
func (s *AccountsService) SetSchedule(id int64, spec schedule.Spec) (AccountInfo, error) {
	w := s.w
	if err := spec.Validate(); err != nil {
		return AccountInfo{}, err
	}
	accts, err := w.paths.LoadAccounts()
	var acct settings.Account
	if err == nil {
		acct, err = accts.Find(fmt.Sprint(id))
	}
	if err != nil {
		return AccountInfo{}, err
	}
	if err := w.installJob(acct, spec); err != nil {
		return AccountInfo{}, err
	}
	if acct, err = w.paths.SetSchedule(id, spec); err != nil {
		return AccountInfo{}, err
	}
	w.mu.Lock()
	if w.account != nil && w.account.ID == id {
		w.account.Schedule = spec
	}
	w.mu.Unlock()
	list, err := s.List()
	if err != nil {
		return AccountInfo{}, err
	}
	for _, a := range list.List {
		if a.ID == id {
			return a, nil
		}
	}
	return AccountInfo{}, fmt.Errorf("account %d is gone", acct.ID)
}

// refreshJob is acct's job for when the app is closed: this program, with
// this folder and HubSpot address.
func (w *Workspace) refreshJob(acct settings.Account, spec schedule.Spec) (schedule.Job, error) {
	base := ""
	if w.apiURL != hubspot.DefaultBaseURL {
		base = w.apiURL
	}
	return schedule.RefreshJob(acct.ID, acct.Label(), spec, os.Getenv(settings.EnvConfigDir), base)
}

// installJob puts acct's job in this computer's scheduler when spec asks
// for it, and takes it out otherwise.
func (w *Workspace) installJob(acct settings.Account, spec schedule.Spec) error {
	inst, err := schedule.NewInstaller()
	if err != nil {
		return err
	}
	if !spec.WhenClosed || spec.IsOff() {
		spec = schedule.Spec{Kind: schedule.Hours, EveryHours: 1} // any valid one: only the name matters
		job, err := w.refreshJob(acct, spec)
		if err != nil {
			return err
		}
		_, err = inst.Remove(w.base, job)
		return err
	}
	job, err := w.refreshJob(acct, spec)
	if err != nil {
		return err
	}
	_, err = inst.Install(w.base, job)
	return err
}

// reload reads the current account again (after a switch, an addition, a
// removal): its settings, key and database. The open database is closed
// when it is not the new account's. Refused with ErrBusy while a job runs
// on another database.
func (w *Workspace) reload() error {
	pl, err := w.paths.Place("")
	if err != nil {
		return err
	}
	_, st, terr := pl.Tokens.Load() // outside the lock: a keychain may take its time
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	oldLoc, err := w.paths.ForSource(w.cfg)
	if err != nil {
		return err
	}
	next := pl.Settings
	next.Source = w.cfg.Source
	newLoc, err := w.paths.ForSource(next)
	if err != nil {
		return err
	}
	if oldLoc.Path != newLoc.Path {
		if w.extraction != nil || w.exporting != nil {
			return ErrBusy
		}
		if w.db != nil {
			err = w.db.Close()
			w.db = nil
			if uerr := catalog.Use(); uerr != nil {
				err = errors.Join(err, uerr)
			}
		}
		w.last = nil // the last run shown was the other account's
	}
	w.file, w.tokens, w.account, w.cfg, w.tokenStatus = pl.Store, pl.Tokens, pl.Account, next, st
	w.warning = ""
	if pl.Warning != nil {
		w.warning = pl.Warning.Error()
	}
	if terr != nil {
		w.warning = joinWarnings(w.warning, terr.Error())
	}
	return err
}

// keys is the current account's key store.
func (w *Workspace) keys() *settings.Tokens {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.tokens
}

// saveKey keeps a key HubSpot accepted: for the account it opens when
// HubSpot said which (connecting it, or another one beside it, and making
// it current), else as the folder's own key, as before accounts.
func (w *Workspace) saveKey(token string, acct *Account) (settings.TokenStatus, error) {
	if acct == nil || acct.PortalID <= 0 {
		return w.keys().Save(token)
	}
	if _, err := w.paths.AddAccount(acct.PortalID, acct.Name); err != nil {
		return settings.TokenStatus{}, err
	}
	st, err := w.paths.AccountTokens(acct.PortalID).Save(token)
	if err != nil {
		return st, err
	}
	return st, w.reload()
}

// checkKeyAccount makes sure the key opens the account the database holds,
// with the run's first call: the current account's own database is that
// account's; any file is the account that first ran into it. A folder
// without accounts makes the key's account its first.
func (w *Workspace) checkKeyAccount(ctx context.Context, a *account, c *hubspot.Client, db *store.DB) error {
	if a.source != settings.SourceHubSpot {
		return nil // the sample data: no account of the user's
	}
	id, name, err := settings.KeyAccount(ctx, c)
	if err != nil || id == 0 {
		return nil // the run meets a refused key too, and records it; no id: nothing to check
	}
	w.mu.RLock()
	acct := w.account
	w.mu.RUnlock()
	if acct != nil && acct.ID != id && acct.Database == db.Path() {
		return fmt.Errorf("this key opens HubSpot account %d, not %s: nothing was changed. Connect account %d as an account of its own",
			id, acct.Label(), id)
	}
	if err := db.ClaimAccount(ctx, id, c.Clock().Now()); err != nil {
		return err
	}
	if acct == nil {
		accts, err := w.paths.LoadAccounts()
		if err == nil && len(accts.List) == 0 {
			if _, err := w.paths.AddAccount(id, name); err != nil {
				return err
			}
			return w.adopted()
		}
	}
	return nil
}

// adopted takes up the account the folder's own key just became (its
// database is the one open, so nothing closes).
func (w *Workspace) adopted() error {
	pl, err := w.paths.Place("")
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.file, w.tokens, w.account = pl.Store, pl.Tokens, pl.Account
	return nil
}
