package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Where a token is kept.
const (
	InKeychain = "keychain"
	InFile     = "file"
)

// keychainService names the app's items in the system keychain.
const keychainService = "hubextract"

// keychainTimeout bounds one keychain call: a locked keychain may ask the
// user for a password, but a broken D-Bus must not hang the app.
const keychainTimeout = 90 * time.Second

// TokenStatus says whether a token is saved and how well it is protected.
type TokenStatus struct {
	Saved bool   `json:"saved"`
	Where string `json:"where"` // InKeychain, InFile, or "" when not saved
	// LessProtected: no keychain was available, so the token is in a file
	// only the user's account can read (0600) but any program run by that
	// user can.
	LessProtected bool   `json:"less_protected"`
	FilePath      string `json:"file_path,omitempty"` // when Where is InFile
	// KeychainProblem says why the keychain could not be used, when it could not.
	KeychainProblem string `json:"keychain_problem,omitempty"`
}

// Tokens keeps the HubSpot access token: in the system keychain (macOS
// Keychain, Windows Credential Manager, the Secret Service on Linux) when
// there is one, else in a 0600 file in Dir.
type Tokens struct {
	Dir string
	// Account names the keychain item after the settings folder, so an
	// installation with its own folder (tests, $HUBEXTRACT_CONFIG_DIR)
	// never reads or overwrites another's token.
	Account string
	// FileName is the token file's name in Dir when there is no keychain
	// ("" is "token", the folder's own key from before accounts).
	FileName string
}

// NewTokens keeps the token of the settings folder dir.
func NewTokens(dir string) *Tokens {
	return &Tokens{Dir: dir, Account: "hubspot-token:" + filepath.Clean(dir)}
}

func (t *Tokens) filePath() string {
	if t.FileName != "" {
		return filepath.Join(t.Dir, t.FileName)
	}
	return filepath.Join(t.Dir, "token")
}

// Save keeps token, in the keychain if it can, else in the file.
func (t *Tokens) Save(token string) (TokenStatus, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return TokenStatus{}, errors.New("save token: the token is empty")
	}
	_, kerr := withTimeout(func() (struct{}, error) { return struct{}{}, keyring.Set(keychainService, t.Account, token) })
	if kerr == nil {
		// An older copy in the file would be less protected: remove it.
		if err := removeFile(t.filePath()); err != nil {
			return TokenStatus{Saved: true, Where: InKeychain}, err
		}
		return TokenStatus{Saved: true, Where: InKeychain}, nil
	}
	if err := writeFile(t.filePath(), []byte(token+"\n")); err != nil {
		return TokenStatus{}, fmt.Errorf("save token: no keychain (%v), and the file failed: %w", kerr, err)
	}
	return t.fileStatus(kerr), nil
}

func (t *Tokens) fileStatus(keychainErr error) TokenStatus {
	st := TokenStatus{Saved: true, Where: InFile, LessProtected: true, FilePath: t.filePath()}
	if keychainErr != nil {
		st.KeychainProblem = keychainErr.Error()
	}
	return st
}

// Load returns the saved token ("" when none) and where it is.
func (t *Tokens) Load() (string, TokenStatus, error) {
	token, kerr := withTimeout(func() (string, error) { return keyring.Get(keychainService, t.Account) })
	token = strings.TrimSpace(token) // an item another tool wrote may end in a line break
	if kerr == nil && token != "" {
		return token, TokenStatus{Saved: true, Where: InKeychain}, nil
	}
	b, err := os.ReadFile(t.filePath())
	if errors.Is(err, fs.ErrNotExist) {
		return "", TokenStatus{}, nil
	}
	if err != nil {
		return "", TokenStatus{}, fmt.Errorf("read the saved token: %w", err)
	}
	token = strings.TrimSpace(string(b))
	if token == "" {
		return "", TokenStatus{}, nil
	}
	if errors.Is(kerr, keyring.ErrNotFound) {
		kerr = nil
	}
	return token, t.fileStatus(kerr), nil
}

// Forget removes the token from the keychain and the file, and checks
// that it is gone.
func (t *Tokens) Forget() error {
	_, kerr := withTimeout(func() (struct{}, error) { return struct{}{}, keyring.Delete(keychainService, t.Account) })
	if err := removeFile(t.filePath()); err != nil {
		return fmt.Errorf("forget the token: %w", err)
	}
	// A keychain that is missing or has no item is fine; one that still
	// holds the token is not.
	if tok, _, err := t.Load(); err != nil || tok != "" {
		return fmt.Errorf("forget the token: it is still in the keychain (%v)", errors.Join(kerr, err))
	}
	return nil
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// errKeychainTimeout: the keychain did not answer in time.
var errKeychainTimeout = errors.New("the system keychain did not answer")

// withTimeout runs one keychain call, giving up after keychainTimeout (the
// call then finishes in the background and its result is dropped).
func withTimeout[T any](f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(keychainTimeout):
		var zero T
		return zero, errKeychainTimeout
	}
}
