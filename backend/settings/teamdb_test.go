package settings

import (
	"strings"
	"testing"
)

func TestSplitTeamDBURL(t *testing.T) {
	tests := []struct {
		name, in, bare, password, err string
	}{
		{"OK with password", "postgres://ann:p%40ss@db.example.com:5432/crm?sslmode=require",
			"postgres://ann@db.example.com:5432/crm?sslmode=require", "p@ss", ""},
		{"OK without", " postgresql://ann@db/crm ", "postgresql://ann@db/crm", "", ""},
		{"ErrScheme", "mysql://ann:pw@db/crm", "", "", "must look like postgres://"},
		{"ErrNoHost", "postgres:///crm", "", "", "must look like postgres://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bare, password, err := SplitTeamDBURL(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "pw") {
					t.Fatalf("error %v, want one saying %q without the password", err, tt.err)
				}
				return
			}
			if err != nil || bare != tt.bare || password != tt.password {
				t.Fatalf("got %q %q %v, want %q %q", bare, password, err, tt.bare, tt.password)
			}
			back, err := TeamDB{URL: bare}.WithPassword(password)
			if err != nil {
				t.Fatal(err)
			}
			if again, pw, _ := SplitTeamDBURL(back); again != bare || pw != password {
				t.Errorf("round trip: %q gives %q %q", back, again, pw)
			}
		})
	}
}

func TestTeamDBValidate(t *testing.T) {
	tests := []struct {
		name string
		team TeamDB
		err  string
	}{
		{"OK none", TeamDB{}, ""},
		{"OK set", TeamDB{URL: "postgres://ann@db/crm", Schema: "crm", SyncAfterRun: true}, ""},
		{"ErrPasswordInFile", TeamDB{URL: "postgres://ann:pw@db/crm"}, "must not hold the password"},
		{"ErrNotPostgres", TeamDB{URL: "http://db/crm"}, "must look like postgres://"},
		{"ErrLongSchema", TeamDB{URL: "postgres://db/crm", Schema: strings.Repeat("s", 64)}, "at most 63 bytes"},
		{"ErrSyncWithoutURL", TeamDB{SyncAfterRun: true}, "needs its URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Defaults().WithTeam(tt.team)
			if s.Team() != tt.team {
				t.Fatalf("settings keep %+v, not %+v", s.Team(), tt.team)
			}
			err := s.Validate()
			if (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Validate: %v, want %q", err, tt.err)
			}
		})
	}
}

// TestTeamDBPasswordApart: the team database's password is an item of its
// own, never the HubSpot key's.
func TestTeamDBPasswordApart(t *testing.T) {
	paths := Paths{Dir: t.TempDir()}
	own, first, second := paths.Tokens(), paths.AccountTokens(1), paths.AccountTokens(2)
	seen := map[string]bool{}
	for _, key := range []*Tokens{own, first, second} {
		team := TeamDBPasswords(key)
		for _, id := range []string{team.Account, team.filePath(), key.Account, key.filePath()} {
			if seen[id] {
				t.Errorf("%q serves two secrets", id)
			}
			seen[id] = true
		}
	}
}
