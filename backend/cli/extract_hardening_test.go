package cli

// Bad inputs to extract: numbers that are not finite or out of range, base
// URLs that are not web addresses or send the key in clear text, failures
// asking again cannot heal, and every way the key comes in.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/settings"
	"hubextract/backend/testkit"
)

func TestExtract_NumbersFiniteAndInRange(t *testing.T) {
	db := filepath.Join(t.TempDir(), "never.db")
	base := []string{"extract", "--token", "demo-token", "--base-url", "http://127.0.0.1:9", "--db", db}
	tests := []struct {
		flag, value, says string
	}{
		{"--search-rate", "NaN", "--search-rate must be a number of calls per second from 0.1 to 1000, not NaN"},
		{"--search-rate", "Inf", "--search-rate must be a number of calls per second from 0.1 to 1000, not +Inf"},
		{"--search-rate", "+Inf", "not +Inf"},
		{"--search-rate", "-Inf", "not -Inf"},
		{"--search-rate", "0", "not 0"},
		{"--search-rate", "1e-300", "not 1e-300"},
		{"--search-rate", "1e9", "not 1e+09"},
		{"--rate", "NaN", `invalid value "NaN" for flag -rate`},
		{"--rate", "Inf", `invalid value "Inf" for flag -rate`},
		{"--rate", "-Inf", `invalid value "-Inf" for flag -rate`},
		{"--rate", "0", "--rate must be a whole number of calls per 10 seconds from 1 to 1,000,000, not 0"},
		{"--rate", "2000000", "not 2000000"},
		{"--concurrency", "NaN", `invalid value "NaN" for flag -concurrency`},
		{"--concurrency", "Inf", `invalid value "Inf" for flag -concurrency`},
		{"--concurrency", "-Inf", `invalid value "-Inf" for flag -concurrency`},
		{"--concurrency", "17", "--concurrency must be 0 (automatic) or from 1 to 16 streams at once, not 17"},
		{"--full-every", "NaN", `invalid value "NaN" for flag -full-every`},
		{"--full-every", "Inf", `invalid value "Inf" for flag -full-every`},
		{"--full-every", "-Inf", `invalid value "-Inf" for flag -full-every`},
		{"--full-every", "-1h", "--full-every must be from 0 (never) to 8760h0m0s, not -1h0m0s"},
		{"--full-every", "9000h", "not 9000h0m0s"},
		{"--overlap", "NaN", `invalid value "NaN" for flag -overlap`},
		{"--overlap", "Inf", `invalid value "Inf" for flag -overlap`},
		{"--overlap", "-Inf", `invalid value "-Inf" for flag -overlap`},
		{"--overlap", "0s", "--overlap must be positive and at most 720h0m0s, not 0s"},
		{"--overlap", "1000h", "not 1000h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.flag+"="+tt.value, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), append(base, tt.flag, tt.value)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tt.says) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.says)
			}
		})
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused command created the database")
	}
}

func TestExtract_BaseURL(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	stopped, cancel := context.WithCancel(t.Context())
	cancel() // an accepted address goes no further than the start of a run
	tests := []struct {
		name     string
		url      string
		insecure bool
		code     int    // 2 refused; else accepted (the run is stopped at once: 130)
		says     string // on stderr
	}{
		{name: "NotAWebAddress", url: "api.hubapi.com", code: 2, says: `--base-url: the HubSpot address "api.hubapi.com" is not a web address`},
		{name: "OtherScheme", url: "ftp://api.hubapi.com", code: 2, says: "is not a web address"},
		{name: "NoHost", url: "https://", code: 2, says: "is not a web address"},
		{name: "PlainHTTPElsewhere", url: "http://192.0.2.1:8080", code: 2, says: "in clear text"},
		{name: "PlainHTTPElsewhereInsecure", url: "http://192.0.2.1:8080", insecure: true, code: exitInterrupted,
			says: "warning: --insecure: the key goes to 192.0.2.1:8080 in clear text"},
		{name: "PlainHTTPLoopback", url: "http://127.0.0.1:9", code: exitInterrupted},
		{name: "PlainHTTPLocalhost", url: "http://localhost:9", code: exitInterrupted},
		{name: "HTTPS", url: "https://192.0.2.1", code: exitInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"extract", "--token", "k", "--base-url", tt.url, "--db", db}
			if tt.insecure {
				args = append(args, "--insecure")
			}
			code, _, stderr := runMain(stopped, args...)
			if code != tt.code || !strings.Contains(stderr, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.says)
			}
			if tt.code == 2 && tt.says == "in clear text" && !strings.Contains(stderr, "pass --insecure") {
				t.Errorf("the refusal does not say how to allow it: %q", stderr)
			}
			if tt.code != 2 && strings.Contains(stderr, "warning") != tt.insecure {
				t.Errorf("warning only for plain http elsewhere: %q", stderr)
			}
		})
	}
}

// TestExtract_PermanentFailuresAtOnce: what asking again cannot heal ends
// the run at once with its real cause, not "check the internet connection"
// after two minutes.
func TestExtract_PermanentFailuresAtOnce(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 5, Seed: 3}))
	dir := t.TempDir()
	tests := []struct {
		name, token, url, says string
	}{
		{"HTTPSToPlainPort", "demo-token", "https://" + strings.TrimPrefix(url, "http://"), "answers in plain HTTP, not HTTPS"},
		{"KeyWithLineBreakInside", "demo\ntoken", url, "contains a line break"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			code, _, stderr := runMain(t.Context(), "extract", "--token", tt.token, "--base-url", tt.url,
				"--db", filepath.Join(dir, string(rune('a'+i))+".db"))
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("answered after %s, want under 2 s", took)
			}
			if code != exitFailure || !strings.Contains(stderr, tt.says) || strings.Contains(stderr, "internet connection") ||
				strings.Contains(stderr, "trying again") {
				t.Errorf("exit %d, stderr:\n%s\nwant 1 and %q, without a retry", code, stderr, tt.says)
			}
		})
	}
}

// TestExtract_KeySources: --token (trimmed), --token - (standard input),
// --token-file, $HUBSPOT_TOKEN, and with none of them the key the app
// saved; each trimmed.
func TestExtract_KeySources(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 5, Seed: 3}))
	dir := t.TempDir()
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keyFile, emptyFile := write("key", "demo-token\r\n"), write("empty", " \n")
	openFile := write("open", "demo-token\n")
	if err := os.Chmod(openFile, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		env   string // $HUBSPOT_TOKEN
		saved string // the key the app saved; "" none
		code  int
		says  string
	}{
		{name: "FlagTrimmed", args: []string{"--token", " demo-token\n"}, code: 0},
		{name: "Stdin", args: []string{"--token", "-"}, stdin: "demo-token\n", code: 0},
		{name: "StdinEmpty", args: []string{"--token", "-"}, code: 2, says: "standard input (--token -): the key is empty"},
		{name: "File", args: []string{"--token-file", keyFile}, code: 0},
		{name: "FileReadableByOthers", args: []string{"--token-file", openFile}, code: 0, says: "warning: other users can read the key file"},
		{name: "FileEmpty", args: []string{"--token-file", emptyFile}, code: 2, says: "the key is empty"},
		{name: "FileMissing", args: []string{"--token-file", filepath.Join(dir, "nope")}, code: 2, says: "--token-file: open"},
		{name: "FlagAndFile", args: []string{"--token", "demo-token", "--token-file", keyFile}, code: 2, says: "not both"},
		{name: "EnvTrimmed", env: "\tdemo-token \n", code: 0},
		{name: "SavedKey", saved: "demo-token", code: 0, says: "using the key the app saved (in the system keychain)"},
		{name: "FlagBeatsSavedKey", args: []string{"--token", "demo-token"}, saved: "wrong", code: 0},
		{name: "EnvBeatsSavedKey", env: "demo-token", saved: "wrong", code: 0},
		{name: "SavedKeyRefused", saved: "wrong", code: 1, says: "HubSpot did not accept the access token"},
		{name: "NoKeyAnywhere", code: 2, says: "no access token: connect in the app"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HUBSPOT_TOKEN", tt.env)
			tokens := paths.Tokens()
			if tt.saved != "" {
				if _, err := tokens.Save(tt.saved); err != nil {
					t.Fatal(err)
				}
			}
			t.Cleanup(func() { _ = tokens.Forget() })
			args := append([]string{"extract", "--base-url", url, "--objects", "contacts", "--db",
				filepath.Join(dir, string(rune('a'+i))+".db")}, fastFlags...)
			var out, errb bytes.Buffer
			code := Main(t.Context(), append(args, tt.args...), &Env{Stdin: strings.NewReader(tt.stdin), Stdout: &out, Stderr: &errb})
			if code != tt.code || !strings.Contains(errb.String(), tt.says) {
				t.Errorf("exit %d, stderr:\n%s\nwant %d and %q", code, errb.String(), tt.code, tt.says)
			}
			if tt.code == 0 && !strings.Contains(out.String(), "succeeded") {
				t.Errorf("stdout:\n%s\nwant a run that succeeded", out.String())
			}
		})
	}
}

func TestExtract_HelpSaysWhyTokenIsLeastSafe(t *testing.T) {
	code, _, stderr := runMain(t.Context(), "extract", "-h")
	help := strings.Join(strings.Fields(stderr), " ")
	for _, want := range []string{"-token KEY", "Giving the key itself here is the least safe way: every user of this computer can read a command's arguments (ps, /proc)",
		"-token-file PATH", "or - to read it from standard input", "-insecure"} {
		if !strings.Contains(help, want) {
			t.Errorf("extract -h lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestExtract_BrokenAnswerSaysWhatHappened: a 200 whose body is cut or is
// not JSON is said as such while it is retried, never "HubSpot answered
// 200; trying again".
func TestExtract_BrokenAnswerSaysWhatHappened(t *testing.T) {
	tests := []struct {
		fault fakehub.Fault
		says  string
	}{
		{fakehub.FaultCut, "HubSpot's answer was cut off; trying again"},
		{fakehub.FaultNotJSON, "HubSpot's answer was not valid JSON; trying again"},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			fake := fakehub.New(fakehub.Config{Scale: 5, Seed: 3})
			fake.FailNext(1, tt.fault, "/crm/objects/2026-09/contacts")
			url := testkit.Serve(t, fake)
			code, _, stderr := runMain(t.Context(), extractArgs(url, filepath.Join(t.TempDir(), "x.db"), "--objects", "contacts")...)
			if code != 0 || !strings.Contains(stderr, tt.says) || strings.Contains(stderr, "answered 200") {
				t.Errorf("exit %d, stderr:\n%s\nwant 0 and %q", code, stderr, tt.says)
			}
		})
	}
}
