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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
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

// TestLog_Rotates: past MaxSizeMB the file starts afresh, the old ones
// shift (hubextract.1.log the newest), at most MaxBackups are kept, none
// past the size, each 0600, and the newest lines are in the file.
func TestLog_Rotates(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~25 MB")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "hubextract.log")
	l := Open(path)
	const lines = (MaxBackups + 2) * MaxSizeMB * 1024
	for i := range lines {
		if _, err := fmt.Fprintf(l, "%08d %s\n", i, strings.Repeat("x", 1014)); err != nil {
			t.Fatal(err)
		}
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "hubextract.*.log"))
	want := []string{filepath.Join(dir, "hubextract.1.log"), filepath.Join(dir, "hubextract.2.log"), filepath.Join(dir, "hubextract.3.log")}
	if !slices.Equal(backups, want[:MaxBackups]) {
		t.Errorf("old files %v, want %v", backups, want[:MaxBackups])
	}
	var prevFirst string
	for _, f := range append([]string{path}, backups...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > MaxSizeMB<<20 {
			t.Errorf("%s is %d bytes, over %d MB", f, len(data), MaxSizeMB)
		}
		// Each older file ends just before the newer one starts.
		first, last := string(data[:8]), string(data[len(data)-1024:len(data)-1016])
		if prevFirst != "" && atoi(t, last)+1 != atoi(t, prevFirst) {
			t.Errorf("%s ends at line %s, the newer file starts at %s", f, last, prevFirst)
		}
		prevFirst = first
		assertMode(t, f, 0o600)
	}
	if data, _ := os.ReadFile(path); !strings.HasSuffix(string(data), fmt.Sprintf("%08d %s\n", lines-1, strings.Repeat("x", 1014))) {
		t.Error("the last line is not at the end of the log")
	}
}

// TestLog_ManyWriters: the window and commands write at once, each its own
// Log (as separate processes do): no line is lost, torn or mixed with
// another, also across rotations (enough old files kept to count them).
func TestLog_ManyWriters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hubextract.log")
	const writers, each = 8, 400
	var wg sync.WaitGroup
	for w := range writers {
		l := Open(path)
		l.maxSize, l.backups = 64<<10, 1000
		wg.Add(1)
		go func() {
			defer wg.Done()
			lg := slog.New(l.Handler(slog.LevelInfo, nil))
			for i := range each {
				lg.Info("line", "writer", w, "i", i, "pad", strings.Repeat("p", 100))
			}
		}()
	}
	wg.Wait()
	files, _ := filepath.Glob(filepath.Join(dir, "hubextract*.log"))
	if len(files) < 2 {
		t.Fatalf("no rotation happened: %v", files)
	}
	line := regexp.MustCompile(`^time=\S+ level=INFO msg=line writer=(\d+) i=(\d+) pad=p{100}$`)
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, ln := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			m := line.FindStringSubmatch(ln)
			if m == nil {
				t.Fatalf("%s: torn or mixed line %q", filepath.Base(f), ln)
			}
			if seen[m[1]+"/"+m[2]] {
				t.Fatalf("line %s/%s written twice", m[1], m[2])
			}
			seen[m[1]+"/"+m[2]] = true
		}
	}
	if len(seen) != writers*each {
		t.Errorf("%d lines in the files, want %d", len(seen), writers*each)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a line number: %q", s)
	}
	return n
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
