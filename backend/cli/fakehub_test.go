package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"hubextract/backend/testkit"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestFakehub_ServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	outR, outW := io.Pipe()
	var errb bytes.Buffer
	exit := make(chan int, 1)
	go func() {
		defer outW.Close()
		exit <- Main(ctx, []string{"fakehub", "--scale", "5", "--token", "t-123"},
			&Env{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errb})
	}()
	first, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("read the first line: %v", err)
	}
	base := strings.TrimSpace(first)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want the loopback base URL", base)
	}

	get := func(path, token string) (int, []byte) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	if code, _ := get("/crm/v3/objects/contacts?limit=100", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", code)
	}
	code, body := get("/crm/v3/objects/contacts?limit=100", "t-123")
	var page struct {
		Results []struct{ ID string } `json:"results"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &page) != nil || len(page.Results) != 5 {
		t.Fatalf("list contacts: status %d, %d results, want 200 and 5", code, len(page.Results))
	}
	code, body = get("/__stats", "")
	var stats struct{ Total int }
	if code != http.StatusOK || json.Unmarshal(body, &stats) != nil || stats.Total < 1 {
		t.Errorf("/__stats: status %d body %s, want the call counted", code, body)
	}

	cancel()
	if got := <-exit; got != exitOK {
		t.Errorf("exit %d after cancel, want 0; stderr: %s", got, errb.String())
	}
}

func TestFakehub_BadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"UnknownFlag", []string{"--bogus"}, "flag provided but not defined"},
		{"Argument", []string{"extra"}, "unexpected argument"},
		{"FaultsOutOfRange", []string{"--faults", "1.5"}, "--faults must be a fraction from 0 to 1, not 1.5"},
		{"FaultsNaN", []string{"--faults", "NaN"}, "--faults must be a fraction from 0 to 1, not NaN"},
		{"FaultsInf", []string{"--faults", "Inf"}, "--faults must be a fraction from 0 to 1, not +Inf"},
		{"FaultsMinusInf", []string{"--faults", "-Inf"}, "--faults must be a fraction from 0 to 1, not -Inf"},
		{"ScaleNaN", []string{"--scale", "NaN"}, `invalid value "NaN" for flag -scale`},
		{"RateInf", []string{"--rate", "Inf"}, `invalid value "Inf" for flag -rate`},
		{"SearchRateNaN", []string{"--search-rate", "NaN"}, `invalid value "NaN" for flag -search-rate`},
		{"DailyMinusInf", []string{"--daily", "-Inf"}, `invalid value "-Inf" for flag -daily`},
		{"LatencyNaN", []string{"--latency", "NaN"}, `invalid value "NaN" for flag -latency`},
		{"JitterInf", []string{"--jitter", "+Inf"}, `invalid value "+Inf" for flag -jitter`},
		{"ExtraNaN", []string{"--extra-properties", "NaN"}, `invalid value "NaN" for flag -extra-properties`},
		{"SeedNaN", []string{"--seed", "NaN"}, `invalid value "NaN" for flag -seed`},
		{"ScaleTooBig", []string{"--scale", "20000000"}, "--scale must be from 1 to 10,000,000"},
		{"LatencyTooLong", []string{"--latency", "3600000"}, "at most 60000 ms"},
		{"ExtraTooMany", []string{"--extra-properties", "1000000"}, "--extra-properties must be at most"},
		{"NegativeRate", []string{"--rate", "-1"}, "cannot be negative"},
		{"EmptyToken", []string{"--token", ""}, "--token cannot be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), append([]string{"fakehub"}, tt.args...)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d stdout %q stderr %q, want 2 and %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// TestFakehub_SaysWhereItListens: the fake names the address it really
// listens on, and warns when other computers can reach it.
func TestFakehub_SaysWhereItListens(t *testing.T) {
	tests := []struct {
		name, addr string
		warns      string // "" for no warning
	}{
		{"Loopback", "127.0.0.1:0", ""},
		{"EveryInterface", ":0", "listening on every network interface"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			outR, outW := io.Pipe()
			var errb testkit.Buffer
			exit := make(chan int, 1)
			go func() {
				defer outW.Close()
				exit <- Main(ctx, []string{"fakehub", "--scale", "1", "--addr", tt.addr}, &Env{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errb})
			}()
			first, err := bufio.NewReader(outR).ReadString('\n')
			if err != nil {
				t.Fatalf("read the first line: %v", err)
			}
			cancel()
			<-exit
			stderr := errb.String()
			if !strings.HasPrefix(first, "http://127.0.0.1:") && !strings.HasPrefix(first, "http://[::1]:") {
				t.Errorf("first line %q, want a URL this computer reaches", first)
			}
			if !strings.Contains(stderr, "(listening on ") {
				t.Errorf("stderr does not name the listening address:\n%s", stderr)
			}
			if got := strings.Contains(stderr, "warning:"); got != (tt.warns != "") || !strings.Contains(stderr, tt.warns) {
				t.Errorf("stderr:\n%s\nwant warning %q", stderr, tt.warns)
			}
		})
	}
}

func TestExposure(t *testing.T) {
	tests := []struct {
		addr  net.TCPAddr
		warns string
	}{
		{net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, ""},
		{net.TCPAddr{IP: net.IPv6loopback, Port: 80}, ""},
		{net.TCPAddr{IP: net.IPv4zero, Port: 80}, "every network interface (0.0.0.0:80)"},
		{net.TCPAddr{IP: net.IPv6unspecified, Port: 80}, "every network interface ([::]:80)"},
		{net.TCPAddr{IP: net.IPv4(192, 168, 1, 5), Port: 80}, "listening on 192.168.1.5:80, which other computers can reach"},
	}
	for _, tt := range tests {
		got := exposure(&tt.addr)
		if (got == "") != (tt.warns == "") || !strings.Contains(got, tt.warns) {
			t.Errorf("exposure(%s) = %q, want %q", &tt.addr, got, tt.warns)
		}
	}
}

// startFakehub runs `hubextract fakehub args...` until the test ends and
// returns its base URL.
func startFakehub(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	outR, outW := io.Pipe()
	var errb testkit.Buffer
	exit := make(chan int, 1)
	go func() {
		defer outW.Close()
		exit <- Main(ctx, append([]string{"fakehub", "--scale", "3"}, args...), &Env{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errb})
	}()
	t.Cleanup(func() {
		cancel()
		if got := <-exit; got != exitOK {
			t.Errorf("exit %d after cancel; stderr: %s", got, errb.String())
		}
	})
	first, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("read the first line: %v; stderr: %s", err, errb.String())
	}
	return strings.TrimSpace(first)
}

// TestFakehub_PathFamiliesAndExemptions: the date-based paths are served
// unless --legacy-only (then a bare 404, the legacy ones still served), and
// exempt calls (searches) count against --rate only with --charge-exempt.
func TestFakehub_PathFamiliesAndExemptions(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		datedStatus int
		listAfter   int // a list after two searches, with --rate 2
	}{
		{"Default", nil, http.StatusOK, http.StatusOK},
		{"LegacyOnly", []string{"--legacy-only"}, http.StatusNotFound, http.StatusOK},
		{"ChargeExempt", []string{"--charge-exempt"}, http.StatusOK, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := startFakehub(t, append([]string{"--rate", "2", "--search-rate", "0"}, tt.args...)...)
			call := func(method, path, body string) (int, []byte) {
				var rd io.Reader
				if body != "" {
					rd = strings.NewReader(body)
				}
				req, _ := http.NewRequestWithContext(t.Context(), method, base+path, rd)
				req.Header.Set("Authorization", "Bearer demo-token")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, b
			}
			search := `{"filterGroups":[],"sorts":[],"properties":[],"limit":1}`
			for _, path := range []string{"/crm/objects/2026-09/contacts/search", "/crm/v3/objects/contacts/search"} {
				code, body := call("POST", path, search)
				want := http.StatusOK
				if strings.Contains(path, "2026-09") {
					want = tt.datedStatus
				}
				if code != want || (code == http.StatusNotFound && len(body) != 0) {
					t.Errorf("%s: %d %q, want %d", path, code, body, want)
				}
			}
			if code, body := call("GET", "/crm/v3/owners", ""); code != tt.listAfter {
				t.Errorf("a list after two searches: %d %s, want %d", code, body, tt.listAfter)
			}
		})
	}
}
