package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
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
		{"FaultsOutOfRange", []string{"--faults", "1.5"}, "--faults must be between 0 and 1"},
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
