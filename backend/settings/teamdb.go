package settings

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// TeamDB is the team database (the PostgreSQL mirror) as Settings keeps
// it: the URL without its password, which is kept apart like the HubSpot
// key (TeamDBPasswords), so that settings.json holds no secret. Settings
// keeps its fields flat (TeamDB*), which the window's models read as
// optional.
type TeamDB struct {
	URL string // postgres://USER@HOST:PORT/DATABASE; "" when none is set up
	// Schema is the PostgreSQL schema written to; "" is the mirror's
	// default (hubspot).
	Schema string
	// SyncAfterRun: every extraction that ends well syncs the team
	// database.
	SyncAfterRun bool
}

// Team is the team database of s.
func (s Settings) Team() TeamDB {
	return TeamDB{URL: s.TeamDBURL, Schema: s.TeamDBSchema, SyncAfterRun: s.TeamDBSyncAfterRun}
}

// WithTeam is s with the team database t.
func (s Settings) WithTeam(t TeamDB) Settings {
	s.TeamDBURL, s.TeamDBSchema, s.TeamDBSyncAfterRun = t.URL, t.Schema, t.SyncAfterRun
	return s
}

// maxSchemaName is PostgreSQL's identifier length in bytes.
const maxSchemaName = 63

// problems says what is wrong with t, each in words.
func (t TeamDB) problems() []string {
	var out []string
	if t.URL != "" {
		bare, password, err := SplitTeamDBURL(t.URL)
		switch {
		case err != nil:
			out = append(out, err.Error())
		case password != "" || bare != t.URL:
			out = append(out, "the team database URL in the settings must not hold the password (it is kept in the keychain)")
		}
	}
	if len(t.Schema) > maxSchemaName || strings.ContainsRune(t.Schema, 0) {
		out = append(out, fmt.Sprintf("the team database schema must be a name of at most %d bytes", maxSchemaName))
	}
	if t.SyncAfterRun && t.URL == "" {
		out = append(out, "syncing the team database after every extraction needs its URL")
	}
	return out
}

// SplitTeamDBURL takes the password out of a PostgreSQL URL: bare is the
// URL without it (what Settings keeps), password what the keychain keeps
// ("" when the URL holds none).
func SplitTeamDBURL(raw string) (bare, password string, err error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return "", "", errors.New("the team database URL must look like postgres://USER@HOST:5432/DATABASE")
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	return u.String(), password, nil
}

// WithPassword is the URL to connect with: t.URL with password put back
// ("" leaves it as it is).
func (t TeamDB) WithPassword(password string) (string, error) {
	bare, _, err := SplitTeamDBURL(t.URL)
	if err != nil {
		return "", err
	}
	if password == "" {
		return bare, nil
	}
	u, _ := url.Parse(bare)
	user := ""
	if u.User != nil {
		user = u.User.Username()
	}
	u.User = url.UserPassword(user, password)
	return u.String(), nil
}

// TeamDBPasswords keeps the team database's password of the account whose
// HubSpot key key keeps (an account's, or the app folder's own), as the
// key is kept: in the system keychain under an item of its own, else in a
// 0600 file of its own beside the key's.
func TeamDBPasswords(key *Tokens) *Tokens {
	name := key.FileName
	if name == "" {
		name = "token"
	}
	return &Tokens{Dir: key.Dir, Account: key.Account + ":teamdb-password", FileName: "teamdb-password-" + name}
}
