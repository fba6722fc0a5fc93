package crash

// Bad inputs through the real binary: failures asking again cannot heal
// end at once with their real cause, numbers that are not finite are
// refused, plain http to another computer needs --insecure, and the key
// comes from the app's saved key, standard input or a file as well as
// --token.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/testkit"
)

// runBin runs the binary to its end with its own app folder (no saved key
// unless the test puts one there), no $HUBSPOT_TOKEN unless env sets one,
// and no reachable keychain: the app's 0600 token file stands in for it,
// as on a machine without one.
func runBin(t *testing.T, appDir, stdin string, env []string, args ...string) (code int, stdout, stderr string, took time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HUBSPOT_TOKEN=", "HUBEXTRACT_CONFIG_DIR="+appDir, "HUBEXTRACT_DB=",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(appDir, "no-bus"))
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	dieWithTest(cmd)
	start := time.Now()
	err := cmd.Run()
	took = time.Since(start)
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("run hubextract %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String(), took
}

func TestPermanentConnectionFailures(t *testing.T) {
	skipShort(t)
	fake := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 5, Seed: 3}))
	untrusted := httptest.NewUnstartedServer(fakehub.New(fakehub.Config{Scale: 5, Seed: 3}))
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	untrusted.StartTLS()
	defer untrusted.Close()
	hostPort := strings.TrimPrefix(fake, "http://")
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		says string
	}{
		{name: "HTTPSToPlainPort", args: []string{"--token", fakeToken, "--base-url", "https://" + hostPort}, code: 1,
			says: "answers in plain HTTP, not HTTPS"},
		{name: "UntrustedCertificate", args: []string{"--token", fakeToken, "--base-url", untrusted.URL}, code: 1,
			says: "certificate this computer does not trust"},
		{name: "KeyWithLineBreakInside", env: []string{"HUBSPOT_TOKEN=demo\ntoken"}, args: []string{"--base-url", fake}, code: 1,
			says: "contains a line break"},
		{name: "NotAWebAddress", args: []string{"--token", fakeToken, "--base-url", hostPort}, code: 2,
			says: "is not a web address"},
		{name: "NoSchemeHost", args: []string{"--token", fakeToken, "--base-url", "https://"}, code: 2,
			says: "is not a web address"},
		{name: "PlainHTTPElsewhere", args: []string{"--token", fakeToken, "--base-url", "http://192.0.2.1:8080"}, code: 2,
			says: "in clear text"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"extract", "--db", filepath.Join(dir, fmt.Sprintf("%d.db", i))}, tt.args...)
			code, _, stderr, took := runBin(t, dir, "", tt.env, args...)
			last := lastLine(stderr)
			if code != tt.code || !strings.Contains(last, tt.says) || strings.Contains(stderr, "internet connection") ||
				strings.Contains(stderr, "trying again") {
				t.Errorf("exit %d, last line %q; want %d and %q, no retry\nstderr:\n%s", code, last, tt.code, tt.says, stderr)
			}
			if took > 2*time.Second {
				t.Errorf("answered after %s, want under 2 s", took)
			}
		})
	}
}

// TestNumbersNotFinite: the search rate NaN once made the limiter spin
// forever; every numeric flag of extract and fakehub now refuses NaN and
// ±Inf at once with exit 2.
func TestNumbersNotFinite(t *testing.T) {
	skipShort(t)
	flags := map[string][]string{
		"extract": {"--rate", "--search-rate", "--concurrency", "--full-every", "--overlap"},
		"fakehub": {"--seed", "--scale", "--faults", "--rate", "--search-rate", "--daily", "--latency", "--jitter", "--extra-properties"},
	}
	for cmd, names := range flags {
		for _, name := range names {
			for _, v := range []string{"NaN", "Inf", "-Inf"} {
				t.Run(cmd+name+"="+v, func(t *testing.T) {
					dir := t.TempDir()
					args := []string{cmd, name, v}
					if cmd == "extract" {
						args = append(args, "--token", fakeToken, "--base-url", "http://127.0.0.1:9", "--db", filepath.Join(dir, "x.db"))
					}
					code, stdout, stderr, took := runBin(t, dir, "", nil, args...)
					if code != 2 || stdout != "" || !strings.Contains(stderr, strings.TrimLeft(name, "-")) || took > 2*time.Second {
						t.Errorf("exit %d after %s, stdout %q, stderr:\n%s\nwant 2 at once, naming %s", code, took, stdout, stderr, name)
					}
				})
			}
		}
	}
}

// TestKeySources: without --token the command uses the key the app saved
// (here its 0600 file: the test's process has no keychain), and takes one
// from standard input (--token -) or a file (--token-file), each trimmed;
// --insecure lets plain http reach another address.
func TestKeySources(t *testing.T) {
	skipShort(t)
	fake := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 5, Seed: 3}))
	tests := []struct {
		name  string
		saved string // the app's token file
		stdin string
		file  string // --token-file's content
		args  []string
		code  int
		says  string
	}{
		{name: "SavedKey", saved: fakeToken + "\n", code: 0, says: "using the key the app saved (in "},
		{name: "SavedKeyWrong", saved: "wrong\n", code: 1, says: "HubSpot did not accept the access token"},
		{name: "Stdin", stdin: fakeToken + "\r\n", args: []string{"--token", "-"}, code: 0},
		{name: "TokenFile", file: " " + fakeToken + "\n", code: 0},
		{name: "NoKey", code: 2, says: "no access token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.saved != "" {
				if err := os.WriteFile(filepath.Join(dir, "token"), []byte(tt.saved), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"extract", "--base-url", fake, "--objects", "contacts", "--db", filepath.Join(dir, "x.db"),
				"--rate", "100000", "--search-rate", "1000"}, tt.args...)
			if tt.file != "" {
				p := filepath.Join(dir, "key")
				if err := os.WriteFile(p, []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--token-file", p)
			}
			code, stdout, stderr, _ := runBin(t, dir, tt.stdin, nil, args...)
			if code != tt.code || !strings.Contains(stderr, tt.says) || (code == 0 && !strings.Contains(stdout, "succeeded")) {
				t.Errorf("exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", code, tt.code, tt.says, stdout, stderr)
			}
		})
	}
}

// TestFakehubEveryInterface: --addr :0 names the address it really
// listens on and warns that other computers can reach it.
func TestFakehubEveryInterface(t *testing.T) {
	skipShort(t)
	cmd := exec.Command(bin, "fakehub", "--scale", "1", "--addr", ":0")
	dieWithTest(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	first, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	var said []string
	for len(said) < 2 && sc.Scan() {
		if strings.HasPrefix(sc.Text(), "fakehub:") {
			said = append(said, sc.Text())
		}
	}
	text := strings.Join(said, "\n")
	if !strings.HasPrefix(first, "http://") || !strings.Contains(text, "(listening on ") ||
		!strings.Contains(text, "warning: listening on every network interface") {
		t.Errorf("first line %q, stderr:\n%s\nwant the real address and a warning", first, text)
	}
}
