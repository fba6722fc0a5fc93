package applog

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const key = "pat-na1-11111111-2222-3333-4444-555555555555"

// TestRedact: keys, tokens, secret pairs and URL queries go; what support
// needs (method, host and path, status, correlation id) stays.
func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"service key", "using " + key + " now", "using [redacted] now"},
		{"eu key", "pat-eu1-abcdef12-3456", "[redacted]"},
		{"bearer header", "Authorization: Bearer " + key, "Authorization: Bearer [redacted]"},
		{"bearer other token", "bearer abc.def-ghi", "bearer [redacted]"},
		{"hapikey pair", "hapikey=deadbeefcafe&x=1", "hapikey=[redacted]&x=1"},
		{"token flag", "--token=s3cr3t-value", "--token=[redacted]"},
		{"json pair", `{"access_token": "s3cr3t"}`, `{"access_token": "[redacted]"}`},
		{"url query", `Get "https://api.hubapi.com/crm/v3/objects/contacts?after=123&properties=email": EOF`,
			`Get "https://api.hubapi.com/crm/v3/objects/contacts?[redacted]": EOF`},
		{"url fragment", "http://127.0.0.1:34115/#/history", "http://127.0.0.1:34115/?[redacted]"},
		{"url without query", "GET https://api.hubapi.com/crm/v3/owners failed", "GET https://api.hubapi.com/crm/v3/owners failed"},
		{"path only", "GET /crm/v3/objects/contacts giving up after 5 attempt(s): HTTP 502 Bad Gateway (correlationId abc-123)",
			"GET /crm/v3/objects/contacts giving up after 5 attempt(s): HTTP 502 Bad Gateway (correlationId abc-123)"},
		{"plain", "hubextract: frontend ready (home)", "hubextract: frontend ready (home)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestAddSecret: a key of no known format is removed once registered.
func TestAddSecret(t *testing.T) {
	odd := "odd-format-secret-" + t.Name()
	AddSecret(odd)
	AddSecret("short") // ignored: would eat ordinary words
	if got := Redact("x " + odd + " short"); got != "x [redacted] short" {
		t.Errorf("Redact = %q", got)
	}
}

// TestHandler_RedactsEverything logs the key and a URL with a query through
// every kind of attribute and through the standard logger: none reach the
// file or the echo.
func TestHandler_RedactsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app", "hubextract.log")
	l := Open(path)
	defer l.Close()
	var echo bytes.Buffer
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })
	lg := l.Install(slog.LevelDebug, &echo)

	u := &url.URL{Scheme: "https", Host: "api.hubapi.com", Path: "/crm/v3/objects/contacts", RawQuery: "after=9&hapikey=" + key}
	uerr := &url.Error{Op: "Get", URL: u.String(), Err: errors.New("connection reset")}
	lg.Warn("call failed "+key, "token", key, "url", u, "err", uerr, "wrapped", fmt.Errorf("x: %w", uerr),
		slog.Group("req", "auth", "Bearer "+key, "n", 3))
	lg.With("key", key).WithGroup("g").Info("with", "u", u.String())
	log.Printf("standard logger: %s %s", key, u)
	slog.Debug("default", "v", []string{key})

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"file": string(got), "echo": echo.String()} {
		if strings.Contains(text, key) || strings.Contains(text, "after=9") || strings.Contains(text, "11111111") {
			t.Errorf("the %s holds a secret or a query:\n%s", name, text)
		}
		for _, want := range []string{"call failed", "api.hubapi.com/crm/v3/objects/contacts", "connection reset", "n=3", "standard logger", "default"} {
			if !strings.Contains(text, want) {
				t.Errorf("the %s lacks %q:\n%s", name, want, text)
			}
		}
	}
	assertMode(t, path, 0o600)
	assertMode(t, filepath.Dir(path), 0o700|os.ModeDir)
}

// TestLog_LazyAndTightened: nothing is created before the first write, and
// a log that existed with a looser mode is made 0600.
func TestLog_LazyAndTightened(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hubextract.log")
	l := Open(path)
	slog.New(l.Handler(slog.LevelWarn, nil)).Info("below the level")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the log exists before anything was written to it: %v", err)
	}
	if err := os.WriteFile(path, []byte("old line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	slog.New(l.Handler(slog.LevelWarn, nil)).Warn("appended")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(got), "old line\n") || !strings.Contains(string(got), "appended") {
		t.Errorf("log = %q, want the old line kept and the new one appended", got)
	}
	assertMode(t, path, 0o600)
}

// TestLog_Rotates: past MaxSizeMB the file starts afresh and at most
// MaxBackups old files are kept beside it, each 0600.
func TestLog_Rotates(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~25 MB")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "hubextract.log")
	l := Open(path)
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range (MaxBackups + 2) * MaxSizeMB * 1024 {
		if _, err := l.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// lumberjack removes the oldest backups in the background.
	var backups []string
	for range 100 {
		backups, _ = filepath.Glob(filepath.Join(dir, "hubextract-*.log"))
		if len(backups) <= MaxBackups {
			break
		}
		waitABit()
	}
	if len(backups) == 0 || len(backups) > MaxBackups {
		t.Errorf("%d rotated files, want 1..%d: %v", len(backups), MaxBackups, backups)
	}
	for _, f := range append(backups, path) {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > MaxSizeMB<<20 {
			t.Errorf("%s is %d bytes, over %d MB", f, st.Size(), MaxSizeMB)
		}
		assertMode(t, f, 0o600)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode() & (os.ModePerm | os.ModeDir); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}

func waitABit() { time.Sleep(20 * time.Millisecond) }
