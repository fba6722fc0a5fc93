package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// These tests replace go-keyring's provider (global state), so they do not
// run in parallel.

func TestTokensWithKeychain(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	tokens := NewTokens(dir)

	st, err := tokens.Save("  pat-na1-secret \n")
	if err != nil {
		t.Fatal(err)
	}
	if st != (TokenStatus{Saved: true, Where: InKeychain}) {
		t.Errorf("Save status = %+v, want in the keychain", st)
	}
	if _, err := os.Stat(filepath.Join(dir, "token")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a token file exists although the keychain took the token (%v)", err)
	}
	got, st, err := tokens.Load()
	if err != nil || got != "pat-na1-secret" || st.Where != InKeychain || st.LessProtected {
		t.Errorf("Load = %q, %+v, %v", got, st, err)
	}
	if err := tokens.Forget(); err != nil {
		t.Fatal(err)
	}
	if got, st, err := tokens.Load(); err != nil || got != "" || st.Saved {
		t.Errorf("after Forget: Load = %q, %+v, %v", got, st, err)
	}
}

func TestTokensWithoutKeychain(t *testing.T) {
	keyring.MockInitWithError(errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	dir := filepath.Join(t.TempDir(), "cfg")
	tokens := NewTokens(dir)

	st, err := tokens.Save("pat-na1-secret")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Saved || st.Where != InFile || !st.LessProtected || !strings.Contains(st.KeychainProblem, "dbus") {
		t.Errorf("Save status = %+v, want a less protected file with the keychain's problem", st)
	}
	assertMode(t, st.FilePath, 0o600)
	assertMode(t, dir, 0o700)
	got, st, err := tokens.Load()
	if err != nil || got != "pat-na1-secret" || !st.LessProtected {
		t.Errorf("Load = %q, %+v, %v", got, st, err)
	}
	if err := tokens.Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(st.FilePath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Forget left the token file (%v)", err)
	}
}

func TestTokensMoveFromFileToKeychain(t *testing.T) {
	dir := t.TempDir()
	tokens := NewTokens(dir)
	keyring.MockInitWithError(errors.New("no keychain"))
	if _, err := tokens.Save("old"); err != nil {
		t.Fatal(err)
	}
	keyring.MockInit()
	if _, err := tokens.Save("new"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "token")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the less protected file stayed after the keychain took the token (%v)", err)
	}
	if got, _, _ := tokens.Load(); got != "new" {
		t.Errorf("Load = %q, want new", got)
	}
}

func TestTokensEmpty(t *testing.T) {
	keyring.MockInit()
	if _, err := NewTokens(t.TempDir()).Save("   "); err == nil {
		t.Error("an empty token was saved")
	}
}

func TestTokensOwnKeychainItemPerSettingsFolder(t *testing.T) {
	keyring.MockInit()
	user := NewTokens("/home/u/.config/hubextract")
	test := NewTokens(t.TempDir())
	if user.Account == test.Account {
		t.Fatalf("both use keychain item %q", user.Account)
	}
	if _, err := user.Save("users-token"); err != nil {
		t.Fatal(err)
	}
	if _, err := test.Save("test-token"); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := user.Load(); got != "users-token" {
		t.Errorf("the test installation overwrote the user's token: %q", got)
	}
}

// TestTokensTrimmedWhereverTheyComeFrom: a key another tool put in the
// keychain or in the file, with spaces or a line break around it, loads
// without them.
func TestTokensTrimmedWhereverTheyComeFrom(t *testing.T) {
	tests := []struct {
		name     string
		keychain bool
		stored   string
	}{
		{"KeychainNewline", true, "pat-na1-secret\n"},
		{"KeychainSpaces", true, "  pat-na1-secret\t "},
		{"FileCRLF", false, "pat-na1-secret\r\n"},
		{"FileSpaces", false, "   pat-na1-secret   \n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tokens := NewTokens(dir)
			if tt.keychain {
				keyring.MockInit()
				if err := keyring.Set(keychainService, tokens.Account, tt.stored); err != nil {
					t.Fatal(err)
				}
			} else {
				keyring.MockInitWithError(errors.New("no keychain"))
				if err := os.WriteFile(filepath.Join(dir, "token"), []byte(tt.stored), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, st, err := tokens.Load()
			if err != nil || got != "pat-na1-secret" || !st.Saved {
				t.Errorf("Load = %q, %+v, %v; want the key without what surrounds it", got, st, err)
			}
		})
	}
}
