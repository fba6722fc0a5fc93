package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/progress"
	"hubextract/backend/testkit"

	"github.com/zalando/go-keyring"
)

// fastFlags lift the client's limits: the fake enforces none here, and the
// tests should not wait on real time.
var fastFlags = []string{"--rate", "100000", "--search-rate", "1000"}

func extractArgs(url, db string, more ...string) []string {
	args := append([]string{"extract", "--token", "demo-token", "--base-url", url, "--db", db}, fastFlags...)
	return append(args, more...)
}

// The tests never reach the developer's own keychain: the key the app
// saves lives in go-keyring's in-memory mock.
func init() { keyring.MockInit() }

func TestExtract_ExitCodes(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 30, Seed: 3}))
	dir := t.TempDir()
	t.Setenv("HUBSPOT_TOKEN", "")
	tests := []struct {
		name      string
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{name: "NoToken", args: []string{"extract", "--db", filepath.Join(dir, "a.db")}, code: 2, stderrHas: "no access token"},
		{name: "UnknownObject", args: extractArgs(url, filepath.Join(dir, "b.db"), "--objects", "contacts,widgets"), code: 2,
			stderrHas: `unknown object type "widgets" (valid: contacts, companies, deals, tickets, leads, products, line_items, quotes, calls, emails, meetings, notes, tasks, communications, postal_mail, forms, form_submissions, email_events)`},
		{name: "NegativeFullEvery", args: extractArgs(url, filepath.Join(dir, "g.db"), "--full-every", "-1h"), code: 2, stderrHas: "--full-every"},
		{name: "BadConcurrency", args: extractArgs(url, filepath.Join(dir, "c.db"), "--concurrency", "-1"), code: 2, stderrHas: "--concurrency must be 0 (automatic) or from 1 to 16"},
		{name: "AutomaticConcurrency", args: extractArgs(url, filepath.Join(dir, "h.db"), "--objects", "contacts", "--concurrency", "0"), code: 0,
			stdoutHas: "Run 1 succeeded"},
		{name: "HelpSaysWhatAutomaticIs", args: []string{"extract", "--help"}, code: 0,
			stderrHas: "or 0 for automatic: enough for HubSpot's latency at --rate (9 at 100, 16 at 190, 16 at 250 calls per 10 seconds)"},
		{name: "ExtraArgument", args: extractArgs(url, filepath.Join(dir, "d.db"), "now"), code: 2, stderrHas: `unexpected argument "now"`},
		{name: "Succeeded", args: extractArgs(url, filepath.Join(dir, "e.db"), "--objects", "contacts,companies"), code: 0,
			stdoutHas: "Run 1 succeeded"},
		{name: "BadToken", args: []string{"extract", "--token", "wrong", "--base-url", url, "--db", filepath.Join(dir, "f.db")}, code: 1,
			stderrHas: "run 1 failed: HubSpot did not accept the access token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdoutHas) || !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
		})
	}
}

func TestExtract_TokenFromEnvironmentAndSummary(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 120, Seed: 3}))
	t.Setenv("HUBSPOT_TOKEN", "demo-token")
	args := append([]string{"extract", "--base-url", url, "--db", filepath.Join(t.TempDir(), "x.db"), "--objects", "deals,notes"}, fastFlags...)
	code, stdout, stderr := runMain(t.Context(), args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"stream", "API calls", "deals", "notes", "metadata", "total", "the fewest its plan could make"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	// Not a terminal: plain progress lines, one per phase change at least.
	if !strings.Contains(stderr, "deals: records") || !strings.Contains(stderr, "notes: done") {
		t.Errorf("progress on stderr:\n%s", stderr)
	}
}

// TestExtract_PartialIsExit1: a type that fails (here the key loses the
// emails' scope after their records were listed, before the archived ones)
// makes the run partial and the exit 1, with the reason.
func TestExtract_PartialIsExit1(t *testing.T) {
	fake := fakehub.New(fakehub.Config{Scale: 30, Seed: 3})
	url := testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/emails") && r.URL.Query().Get("archived") == "true" {
			fake.DenyScope("emails", "sales-email-read")
		}
		fake.ServeHTTP(w, r)
	}))
	code, stdout, stderr := runMain(t.Context(), extractArgs(url, filepath.Join(t.TempDir(), "x.db"), "--objects", "contacts,emails")...)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if code != 1 || !strings.HasPrefix(last, "hubextract extract: run 1 partial: emails: ") || !strings.Contains(last, "sales-email-read") {
		t.Errorf("exit %d, last stderr line %q\nstdout: %s", code, last, stdout)
	}
	if !strings.Contains(stdout, "emails failed: ") {
		t.Errorf("summary does not say why emails failed:\n%s", stdout)
	}
}

// TestExtract_UnavailableType: a key without a type's scope is a run that
// succeeds (exit 0) and says what the scope would add; the next run
// without --objects leaves the type out, in one line, and calls HubSpot
// not once for it; --objects naming it tries again; with the scope
// granted it is extracted and the default includes it again.
func TestExtract_UnavailableType(t *testing.T) {
	tests := []struct {
		deny, scope string
		hidden      string   // the types the scope hides, as --objects names them
		calls       []string // the fake's labels of their calls
	}{
		{deny: "tickets", scope: "tickets", hidden: "tickets",
			calls: []string{"properties tickets", "search tickets", "list tickets", "pipelines tickets"}},
		{deny: "forms", scope: "forms", hidden: "forms,form_submissions", calls: []string{"forms", "form submissions"}},
	}
	for _, tt := range tests {
		t.Run(tt.deny, func(t *testing.T) {
			cfg := fakehub.Config{Scale: 30, Seed: 3}
			fake := fakehub.New(cfg)
			url := testkit.Serve(t, fake)
			fake.DenyScope(tt.deny, tt.scope)
			db := filepath.Join(t.TempDir(), "x.db")
			callsOn := func(f *fakehub.Server) int {
				n := 0
				for _, l := range tt.calls {
					n += f.Stats().ByType[l]
				}
				return n
			}
			warning := tt.deny + ": not extracted: the key lacks " + tt.scope + "; add it to the key in HubSpot to include them"
			skipped := "hubextract extract: not extracting " + tt.deny + " (the key lacks " + tt.scope + ")"

			code, stdout, stderr := runMain(t.Context(), extractArgs(url, db)...)
			if code != 0 || !strings.Contains(stdout, "Run 1 succeeded") || strings.Count(stdout, warning) != 1 ||
				strings.Contains(stdout, "failed: ") {
				t.Fatalf("first run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}

			fake.ResetStats()
			code, stdout, stderr = runMain(t.Context(), extractArgs(url, db)...)
			if code != 0 || !strings.Contains(stderr, skipped) || strings.Contains(stdout, warning) {
				t.Fatalf("default run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if n := callsOn(fake); n != 0 {
				t.Errorf("the default run called HubSpot %d times for %s: %v", n, tt.deny, fake.Stats().ByType)
			}

			fake.ResetStats()
			code, stdout, stderr = runMain(t.Context(), extractArgs(url, db, "--objects", tt.hidden)...)
			if code != 0 || strings.Contains(stderr, skipped) || !strings.Contains(stdout, warning) || callsOn(fake) == 0 {
				t.Fatalf("explicit run: exit %d, %d calls\nstdout: %s\nstderr: %s", code, callsOn(fake), stdout, stderr)
			}

			// The scope granted: the same account served without the refusal.
			granted := fakehub.New(cfg)
			url = testkit.Serve(t, granted)
			code, stdout, stderr = runMain(t.Context(), extractArgs(url, db, "--objects", tt.hidden)...)
			if code != 0 || strings.Contains(stdout, warning) {
				t.Fatalf("granted run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			granted.ResetStats()
			code, stdout, stderr = runMain(t.Context(), extractArgs(url, db)...)
			if code != 0 || strings.Contains(stderr, "not extracting") || callsOn(granted) == 0 {
				t.Fatalf("default run after the grant: exit %d, %d calls\nstdout: %s\nstderr: %s", code, callsOn(granted), stdout, stderr)
			}
		})
	}
}

// TestExtract_InterruptIsExit130 cancels the command's context (as main
// does on Ctrl-C) once the first page is being listed.
func TestExtract_InterruptIsExit130(t *testing.T) {
	fake := fakehub.New(fakehub.Config{Scale: 300, Seed: 3})
	ctx, cancel := context.WithCancel(t.Context())
	var once sync.Once
	url := testkit.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/crm/objects/2026-09/") {
			once.Do(cancel)
		}
		fake.ServeHTTP(w, r)
	}))
	db := filepath.Join(t.TempDir(), "x.db")
	code, stdout, stderr := runMain(ctx, extractArgs(url, db)...)
	if code != 130 || !strings.Contains(stdout, "cancelled") || !strings.Contains(stderr, "next run resumes") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	// The next run resumes it and finishes.
	code, stdout, stderr = runMain(t.Context(), extractArgs(url, db)...)
	if code != 0 || !strings.Contains(stdout, "(resumed run 1)") {
		t.Fatalf("second run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestExtract_IncrementalAndFull: the second run reads only changes, --full
// reads everything again, and the summary and `runs` say which.
func TestExtract_IncrementalAndFull(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 40, Seed: 3, Forms: 2, EmailEvents: 50}))
	db := filepath.Join(t.TempDir(), "x.db")
	objects := []string{"--objects", "contacts,forms,email_events"}
	for i, tc := range []struct {
		flags []string
		mode  string
	}{
		{nil, "full"},
		{nil, "incremental (only what changed since the last run)"},
		{[]string{"--full"}, "full"},
		{[]string{"--full-every", "1ns"}, "full"},
		{[]string{"--full-every", "0", "--overlap", "1h"}, "incremental"},
	} {
		args := append(extractArgs(url, db, objects...), tc.flags...)
		code, stdout, stderr := runMain(t.Context(), args...)
		if want := fmt.Sprintf("Run %d succeeded in ", i+1); code != 0 || !strings.Contains(stdout, want) ||
			!strings.Contains(strings.SplitN(stdout, "\n", 2)[0], ", "+tc.mode) {
			t.Fatalf("run %d %v: exit %d, want %s\nstdout: %s\nstderr: %s", i+1, tc.flags, code, tc.mode, stdout, stderr)
		}
	}
	code, stdout, _ := runMain(t.Context(), "runs", "--db", db)
	if code != 0 || !strings.Contains(stdout, "MODE") || strings.Count(stdout, "incremental") != 2 {
		t.Errorf("runs table: exit %d\n%s", code, stdout)
	}
}

func TestRuns_JSONShape(t *testing.T) {
	url := testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 30, Seed: 3}))
	db := filepath.Join(t.TempDir(), "x.db")
	for range 2 {
		if code, stdout, stderr := runMain(t.Context(), extractArgs(url, db, "--objects", "tickets,calls", "--full")...); code != 0 {
			t.Fatalf("extract: exit %d\n%s\n%s", code, stdout, stderr)
		}
	}
	code, stdout, stderr := runMain(t.Context(), "runs", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("runs: exit %d: %s", code, stderr)
	}
	var runs []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &runs); err != nil {
		t.Fatalf("runs --json is not an array of objects: %v\n%s", err, stdout)
	}
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	for _, r := range runs {
		for _, k := range []string{"id", "started_at", "finished_at", "status", "error", "api_calls", "streams"} {
			if _, ok := r[k]; !ok {
				t.Errorf("run lacks %q: %v", k, r)
			}
		}
		var status string
		_ = json.Unmarshal(r["status"], &status)
		if status != "succeeded" {
			t.Errorf("status %q", status)
		}
		var streams map[string]map[string]json.RawMessage
		if err := json.Unmarshal(r["streams"], &streams); err != nil {
			t.Fatalf("streams is not an object of objects: %v", err)
		}
		for _, name := range []string{"metadata", "tickets", "calls"} {
			s, ok := streams[name]
			if !ok {
				t.Errorf("no stream %s in %v", name, streams)
				continue
			}
			for _, k := range []string{"records", "failed", "api_calls", "pages", "retries", "seconds"} {
				var n float64
				if err := json.Unmarshal(s[k], &n); err != nil {
					t.Errorf("%s.%s is not a number: %s", name, k, s[k])
				}
			}
		}
	}
	var first struct {
		ID      int64 `json:"id"`
		Streams map[string]struct {
			Records int64 `json:"records"`
		} `json:"streams"`
	}
	_ = json.Unmarshal(mustJSON(t, runs[0]), &first)
	if first.ID != 2 || first.Streams["tickets"].Records == 0 {
		t.Errorf("newest run first with its records: %+v", first)
	}

	code, stdout, _ = runMain(t.Context(), "runs", "--db", db)
	if code != 0 || !strings.Contains(stdout, "STATUS") || strings.Count(stdout, "succeeded") != 2 {
		t.Errorf("runs table: exit %d\n%s", code, stdout)
	}
	code, _, stderr = runMain(t.Context(), "runs", "--db", filepath.Join(t.TempDir(), "none.db"))
	if code != 1 || !strings.Contains(stderr, "no database at") {
		t.Errorf("runs on a missing database: exit %d, %s", code, stderr)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	code, stdout, stderr := runMain(t.Context(), "demo", "--db", db, "--scale", "20", "--latency", "0", "--rate", "100000")
	if code != 0 || !strings.Contains(stdout, "Run 1 succeeded") {
		t.Fatalf("demo: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, stream := range []string{"meetings", "forms", "form_submissions", "email_events"} {
		if !strings.Contains(stdout, stream) {
			t.Errorf("the demo summary lacks %s:\n%s", stream, stdout)
		}
	}
	if code, _, stderr := runMain(t.Context(), "demo", "--scale", "0"); code != 2 {
		t.Errorf("demo --scale 0: exit %d, %s", code, stderr)
	}
}

func TestProgressPrinter(t *testing.T) {
	ev := func(stream, phase string, records, total int64, final bool) progress.Event {
		return progress.Event{Kind: progress.KindProgress, Stream: stream, Phase: phase, Records: records, Total: total,
			Calls: records / 100, ETA: -1, Final: final}
	}
	t.Run("Terminal", func(t *testing.T) {
		var b strings.Builder
		p := &progressPrinter{w: &b, tty: true, streams: map[string]progress.Event{}, printedAt: map[string]time.Time{}}
		p.Report(ev("contacts", progress.PhaseRecords, 400, 1000, false))
		p.Report(ev("deals", progress.PhaseRecords, 100, 1000, true))
		p.Report(progress.Event{Kind: progress.KindLog, Level: progress.LevelWarn, Stream: "deals", Message: "deals: retrying"})
		p.close()
		out := b.String()
		for _, want := range []string{"\r\033[K400 / 1,000 records (40%)", "500 / 2,000 records (25%) · 5 calls · contacts", "\r\033[Kwarn: deals: retrying\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%q", want, out)
			}
		}
		if !strings.HasSuffix(out, "\r\033[K") {
			t.Errorf("the line is not cleared at the end: %q", out)
		}
	})
	t.Run("Plain", func(t *testing.T) {
		var b strings.Builder
		p := newProgressPrinter(&b)
		p.Report(ev("contacts", progress.PhaseRecords, 100, 1000, false))
		p.Report(ev("contacts", progress.PhaseRecords, 200, 1000, false)) // same phase, soon after: not printed
		p.Report(ev("contacts", progress.PhaseArchived, 1000, 1000, false))
		p.Report(ev("contacts", progress.PhaseDone, 1010, 1010, true))
		want := "contacts: records, 100/1,000 records, 1 calls\n" +
			"contacts: archived, 1,000/1,000 records, 10 calls\n" +
			"contacts: done, 1,010/1,010 records, 10 calls\n"
		if b.String() != want {
			t.Errorf("got\n%s\nwant\n%s", b.String(), want)
		}
	})
}
