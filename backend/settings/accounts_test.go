package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/zalando/go-keyring"

	"hubextract/backend/schedule"
)

func testPaths(t *testing.T, env map[string]string) Paths {
	t.Helper()
	dir := t.TempDir()
	p, err := Resolve(func(k string) string {
		if k == EnvConfigDir {
			return dir
		}
		return env[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The first account inherits the folder's settings, database and key; a
// second has its own database and key; the key of one is never the
// other's.
func TestAddAccountMigrates(t *testing.T) {
	keyring.MockInitWithError(errors.New("no keychain")) // the 0600 files, visible to the test
	p := testPaths(t, nil)
	old := Defaults()
	old.RatePer10s, old.HistoryTypes = TierProfessional, []string{"deals"}
	old.DatabasePath = filepath.Join(p.Dir, "mine.db")
	if err := p.File().Save(old); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Tokens().Save("key-A"); err != nil {
		t.Fatal(err)
	}
	a, err := p.AddAccount(101, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	if a.Database != old.DatabasePath || a.Settings.RatePer10s != TierProfessional || len(a.Settings.HistoryTypes) != 1 {
		t.Errorf("first account = %+v", a)
	}
	if tok, _, _ := p.AccountTokens(101).Load(); tok != "key-A" {
		t.Errorf("first account's key = %q, want the folder's", tok)
	}
	if tok, _, _ := p.Tokens().Load(); tok != "" {
		t.Errorf("the folder's key is still there: %q", tok)
	}
	b, err := p.AddAccount(202, "Sandbox")
	if err != nil {
		t.Fatal(err)
	}
	if b.Database != filepath.Join(p.Dir, "hubextract-202.db") || b.Settings.RatePer10s != TierProfessional {
		t.Errorf("second account = %+v", b)
	}
	if tok, _, _ := p.AccountTokens(202).Load(); tok != "" {
		t.Errorf("second account got key %q", tok)
	}
	accts, _ := p.LoadAccounts()
	if accts.Current != 202 || len(accts.List) != 2 {
		t.Errorf("accounts = %+v", accts)
	}
	// Connecting again renames, keeps the rest.
	if again, err := p.AddAccount(101, "Acme Inc"); err != nil || again.Database != a.Database || again.Name != "Acme Inc" {
		t.Errorf("again = %+v, %v", again, err)
	}
}

func TestPlaceResolves(t *testing.T) {
	keyring.MockInit()
	tests := []struct {
		name    string
		env     map[string]string
		account string
		flag    string
		setup   bool // connect accounts 101 (Acme) and 202 (Sandbox, current)
		want    string
		wantErr bool
		acct    int64
	}{
		{name: "NoAccountsAsBefore", want: "hubextract.db"},
		{name: "Current", setup: true, want: "hubextract-202.db", acct: 202},
		{name: "NamedByID", setup: true, account: "101", want: "hubextract.db", acct: 101},
		{name: "NamedByName", setup: true, account: "sandbox", want: "hubextract-202.db", acct: 202},
		{name: "DBFlagWins", setup: true, account: "101", flag: "/x/flag.db", want: "/x/flag.db", acct: 101},
		{name: "EnvBeatsCurrent", setup: true, env: map[string]string{EnvDatabase: "/x/env.db"}, want: "/x/env.db", acct: 202},
		{name: "NamedBeatsEnv", setup: true, env: map[string]string{EnvDatabase: "/x/env.db"}, account: "Acme", want: "hubextract.db", acct: 101},
		{name: "Unknown", setup: true, account: "nobody", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testPaths(t, tc.env)
			if tc.setup {
				for _, a := range []struct {
					id   int64
					name string
				}{{101, "Acme"}, {202, "Sandbox"}} {
					if _, err := p.AddAccount(a.id, a.name); err != nil {
						t.Fatal(err)
					}
				}
			}
			pl, err := p.Place(tc.account)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Place(%q) = %v", tc.account, err)
			}
			if tc.wantErr {
				var unknown *UnknownAccountError
				if !errors.As(err, &unknown) || len(unknown.Known) != 2 {
					t.Errorf("error = %v, want the accounts listed", err)
				}
				return
			}
			loc, err := p.Locate(tc.flag, pl)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if !filepath.IsAbs(want) {
				want = filepath.Join(p.Dir, want)
			}
			if loc.Path != want {
				t.Errorf("database = %s (%s), want %s", loc.Path, loc.Origin, want)
			}
			var got int64
			if pl.Account != nil {
				got = pl.Account.ID
				if pl.Tokens.FileName != "token-"+strconv.FormatInt(got, 10) {
					t.Errorf("key file = %s", pl.Tokens.FileName)
				}
			}
			if got != tc.acct {
				t.Errorf("account = %d, want %d", got, tc.acct)
			}
		})
	}
}

// An account's settings are its own; the data source is the folder's.
func TestAccountFile(t *testing.T) {
	keyring.MockInit()
	p := testPaths(t, nil)
	for _, id := range []int64{101, 202} {
		if _, err := p.AddAccount(id, ""); err != nil {
			t.Fatal(err)
		}
	}
	f := p.AccountFile(101)
	s, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	s.RatePer10s, s.Source = TierAddOn, SourceSample
	if err := f.Save(s); err != nil {
		t.Fatal(err)
	}
	other, err := p.AccountFile(202).Load()
	if err != nil {
		t.Fatal(err)
	}
	if other.RatePer10s != TierStarter || other.Source != SourceSample {
		t.Errorf("the other account's settings = %+v; want its own tier and the folder's source", other)
	}
	back, _ := f.Load()
	if back.RatePer10s != TierAddOn || back.DatabasePath != p.DefaultDatabase() {
		t.Errorf("reloaded = %+v", back)
	}
	if _, err := p.SetSchedule(101, schedule.Spec{Kind: schedule.Daily, At: "25:00"}); err == nil {
		t.Error("a wrong schedule was saved")
	}
	if a, err := p.SetSchedule(101, schedule.Spec{Kind: schedule.Hours, EveryHours: 4}); err != nil || a.Schedule.EveryHours != 4 {
		t.Errorf("SetSchedule = %+v, %v", a, err)
	}
}

// Removing an account forgets its key, keeps its file, and another
// account becomes current.
func TestRemoveAccount(t *testing.T) {
	keyring.MockInitWithError(errors.New("no keychain"))
	p := testPaths(t, nil)
	for _, id := range []int64{101, 202} {
		if _, err := p.AddAccount(id, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := p.AccountTokens(id).Save("key"); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(p.AccountDatabase(202), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	gone, err := p.RemoveAccount(202)
	if err != nil || gone.ID != 202 {
		t.Fatalf("RemoveAccount = %+v, %v", gone, err)
	}
	if tok, _, _ := p.AccountTokens(202).Load(); tok != "" {
		t.Errorf("key kept: %q", tok)
	}
	if _, err := os.Stat(p.AccountDatabase(202)); err != nil {
		t.Errorf("database removed: %v", err)
	}
	accts, _ := p.LoadAccounts()
	if accts.Current != 101 || len(accts.List) != 1 {
		t.Errorf("accounts = %+v", accts)
	}
	if _, err := p.RemoveAccount(202); err == nil {
		t.Error("removed an account twice")
	}
}
