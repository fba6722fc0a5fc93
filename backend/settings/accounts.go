package settings

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"hubextract/backend/hubspot"
	"hubextract/backend/schedule"
)

// Account is one connected HubSpot account: its id (HubSpot's portal id),
// its name, its own database file, its own key (Paths.AccountTokens), its
// own settings and its schedule. Its run history is in its database.
type Account struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Database string `json:"database"` // a full path
	// Settings are the account's own (tier, types, history, API version,
	// ...); their DatabasePath is Database and their Source is the
	// folder's (the sample data is no account).
	Settings Settings      `json:"settings"`
	Schedule schedule.Spec `json:"schedule"`
}

// Label is the account as a person names it: its name and id.
func (a Account) Label() string {
	if a.Name == "" {
		return "account " + strconv.FormatInt(a.ID, 10)
	}
	return fmt.Sprintf("%s (%d)", a.Name, a.ID)
}

// Accounts is accounts.json: the connected accounts and the current one.
// A folder without it works as before accounts: settings.json's settings,
// the folder's own key and database.
type Accounts struct {
	Current int64     `json:"current"` // 0: none
	List    []Account `json:"accounts"`
}

// Find is the account named by its id or its name (case aside).
func (a Accounts) Find(nameOrID string) (Account, error) {
	nameOrID = strings.TrimSpace(nameOrID)
	if id, err := strconv.ParseInt(nameOrID, 10, 64); err == nil {
		if i := a.index(id); i >= 0 {
			return a.List[i], nil
		}
	}
	var found []Account
	for _, acct := range a.List {
		if strings.EqualFold(acct.Name, nameOrID) {
			found = append(found, acct)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Account{}, &UnknownAccountError{Name: nameOrID, Known: a.List}
	}
	return Account{}, fmt.Errorf("%d accounts are named %q: name one by its id", len(found), nameOrID)
}

func (a Accounts) index(id int64) int {
	return slices.IndexFunc(a.List, func(x Account) bool { return x.ID == id })
}

// CurrentAccount is the current account; false when there is none.
func (a Accounts) CurrentAccount() (Account, bool) {
	if i := a.index(a.Current); i >= 0 {
		return a.List[i], true
	}
	return Account{}, false
}

// UnknownAccountError: no connected account has that name or id.
type UnknownAccountError struct {
	Name  string
	Known []Account
}

func (e *UnknownAccountError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no account %q: no account is connected yet (connect one in the app, or run an extraction with a key)", e.Name)
	}
	names := make([]string, len(e.Known))
	for i, a := range e.Known {
		names[i] = a.Label()
	}
	return fmt.Sprintf("no account %q: the accounts are %s (hubextract accounts lists them)", e.Name, strings.Join(names, ", "))
}

func (p Paths) accountsPath() string { return filepath.Join(p.Dir, "accounts.json") }

// LoadAccounts reads accounts.json; a missing file is no account.
func (p Paths) LoadAccounts() (Accounts, error) {
	b, err := os.ReadFile(p.accountsPath())
	if errors.Is(err, fs.ErrNotExist) {
		return Accounts{List: []Account{}}, nil
	}
	if err != nil {
		return Accounts{}, fmt.Errorf("read the accounts: %w", err)
	}
	var a Accounts
	if err := json.Unmarshal(b, &a); err != nil {
		return Accounts{}, fmt.Errorf("the accounts file %s could not be read: %w", p.accountsPath(), err)
	}
	if a.List == nil {
		a.List = []Account{}
	}
	for i := range a.List {
		a.List[i].Settings.upgrade()
	}
	return a, nil
}

// saveAccounts writes accounts.json atomically (0600).
func (p Paths) saveAccounts(a Accounts) error {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the accounts: %w", err)
	}
	return writeFile(p.accountsPath(), append(b, '\n'))
}

// updateAccounts reads, changes and writes accounts.json.
func (p Paths) updateAccounts(change func(*Accounts) error) (Accounts, error) {
	a, err := p.LoadAccounts()
	if err != nil {
		return a, err
	}
	if err := change(&a); err != nil {
		return a, err
	}
	return a, p.saveAccounts(a)
}

// AccountTokens keeps account id's key: a keychain item named by the
// account's id (within this folder), else the file token-ID.
func (p Paths) AccountTokens(id int64) *Tokens {
	t := NewTokens(p.Dir)
	t.Account += ":account:" + strconv.FormatInt(id, 10)
	t.FileName = "token-" + strconv.FormatInt(id, 10)
	return t
}

// AccountDatabase is where a new account's database goes.
func (p Paths) AccountDatabase(id int64) string {
	return filepath.Join(p.Dir, "hubextract-"+strconv.FormatInt(id, 10)+".db")
}

// AddAccount connects account id (named name) and makes it current; one
// already connected keeps its database, settings and schedule and takes
// the name. The first account of a folder inherits what the folder had
// before accounts: settings.json's settings, its database, and its key
// (moved to the account's own item). A later one starts from those
// settings with a database of its own.
func (p Paths) AddAccount(id int64, name string) (Account, error) {
	if id <= 0 {
		return Account{}, fmt.Errorf("add an account: no account id")
	}
	var added Account
	_, err := p.updateAccounts(func(a *Accounts) error {
		a.Current = id
		if i := a.index(id); i >= 0 {
			if name != "" {
				a.List[i].Name = name
			}
			added = a.List[i]
			return nil
		}
		global, err := p.File().Load()
		if err != nil && !errors.As(err, new(*CorruptError)) {
			return err
		}
		acct := Account{ID: id, Name: name, Database: p.AccountDatabase(id), Settings: global}
		if len(a.List) == 0 {
			// The folder's database as Settings chose it ($HUBEXTRACT_DB
			// names a file for one session, not the account's).
			acct.Database = cmp.Or(global.DatabasePath, p.DefaultDatabase())
			if err := p.adoptKey(id); err != nil {
				return err
			}
		}
		acct.Settings.DatabasePath, acct.Settings.Source = acct.Database, SourceHubSpot
		a.List = append(a.List, acct)
		added = acct
		return nil
	})
	return added, err
}

// adoptKey moves the folder's own key (from before accounts) to account
// id's item, unless that one has a key already.
func (p Paths) adoptKey(id int64) error {
	legacy := p.Tokens()
	tok, _, err := legacy.Load()
	if err != nil || tok == "" {
		return err
	}
	own := p.AccountTokens(id)
	if mine, _, err := own.Load(); err != nil || mine != "" {
		return err
	}
	if _, err := own.Save(tok); err != nil {
		return fmt.Errorf("move the key to account %d: %w", id, err)
	}
	return legacy.Forget()
}

// SwitchAccount makes account id current (0: none, as before accounts).
func (p Paths) SwitchAccount(id int64) error {
	_, err := p.updateAccounts(func(a *Accounts) error {
		if id != 0 && a.index(id) < 0 {
			return &UnknownAccountError{Name: strconv.FormatInt(id, 10), Known: a.List}
		}
		a.Current = id
		return nil
	})
	return err
}

// RemoveAccount forgets account id and its key, and returns it (its
// database is left for the caller to keep or delete). Another account
// becomes current if it was.
func (p Paths) RemoveAccount(id int64) (Account, error) {
	var removed Account
	_, err := p.updateAccounts(func(a *Accounts) error {
		i := a.index(id)
		if i < 0 {
			return &UnknownAccountError{Name: strconv.FormatInt(id, 10), Known: a.List}
		}
		removed = a.List[i]
		a.List = slices.Delete(a.List, i, i+1)
		if a.Current == id {
			a.Current = 0
			if len(a.List) > 0 {
				a.Current = a.List[0].ID
			}
		}
		return p.AccountTokens(id).Forget()
	})
	return removed, err
}

// SetSchedule saves account id's schedule.
func (p Paths) SetSchedule(id int64, spec schedule.Spec) (Account, error) {
	if err := spec.Validate(); err != nil {
		return Account{}, err
	}
	var acct Account
	_, err := p.updateAccounts(func(a *Accounts) error {
		i := a.index(id)
		if i < 0 {
			return &UnknownAccountError{Name: strconv.FormatInt(id, 10), Known: a.List}
		}
		a.List[i].Schedule = spec
		acct = a.List[i]
		return nil
	})
	return acct, err
}

// AccountFile keeps one account's settings, as File keeps settings.json:
// the app's Settings screen saves through it while the account is current.
// The data source is the folder's (settings.json), the rest the account's.
type AccountFile struct {
	paths Paths
	ID    int64
}

// AccountFile is account id's settings.
func (p Paths) AccountFile(id int64) AccountFile { return AccountFile{paths: p, ID: id} }

// Load reads the account's settings.
func (f AccountFile) Load() (Settings, error) {
	a, err := f.paths.LoadAccounts()
	if err != nil {
		return Defaults(), err
	}
	i := a.index(f.ID)
	if i < 0 {
		return Defaults(), &UnknownAccountError{Name: strconv.FormatInt(f.ID, 10), Known: a.List}
	}
	global, gerr := f.paths.File().Load()
	s := a.List[i].Settings
	s.DatabasePath, s.Source = a.List[i].Database, global.Source
	if err := s.Validate(); err != nil {
		return Defaults(), &CorruptError{Path: f.paths.accountsPath(), Err: err}
	}
	return s.Normalize(), gerr
}

// Save validates s and writes it: the source to settings.json, the rest
// (the database location too) to the account.
func (f AccountFile) Save(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	global, err := f.paths.File().Load()
	if err != nil && !errors.As(err, new(*CorruptError)) {
		return err
	}
	if global.Source != s.Source {
		global.Source = s.Source
		if err := f.paths.File().Save(global); err != nil {
			return err
		}
	}
	_, err = f.paths.updateAccounts(func(a *Accounts) error {
		i := a.index(f.ID)
		if i < 0 {
			return &UnknownAccountError{Name: strconv.FormatInt(f.ID, 10), Known: a.List}
		}
		if s.DatabasePath != "" {
			a.List[i].Database = s.DatabasePath
		}
		s.DatabasePath, s.Source = a.List[i].Database, SourceHubSpot
		a.List[i].Settings = s.Normalize()
		return nil
	})
	return err
}

// KeyAccount learns which HubSpot account a key opens, with one call: the
// account's details, or, for a key without their scope, one email event's
// portal id. 0 (and no error) when neither can say; an error when HubSpot
// refuses the key or cannot be reached.
func KeyAccount(ctx context.Context, c *hubspot.Client) (id int64, name string, err error) {
	acct, err := c.AccountDetails(ctx)
	if err == nil {
		return acct.PortalID, acct.PortalName, nil
	}
	if !errors.As(err, new(*hubspot.ScopeError)) {
		return 0, "", fmt.Errorf("learn the key's account: %w", err)
	}
	page, err := c.ListEmailEvents(ctx, hubspot.EmailEventParams{Limit: 1})
	switch {
	case errors.As(err, new(*hubspot.ScopeError)), errors.As(err, new(*hubspot.NotFoundError)):
		return 0, "", nil
	case err != nil:
		return 0, "", fmt.Errorf("learn the key's account: %w", err)
	case len(page.Events) == 0:
		return 0, "", nil
	}
	return hubspot.EventPortalID(page.Events[0]), "", nil
}
