package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/schedule"
	"hubextract/backend/settings"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// twoAccounts connects two HubSpot accounts (two fake HubSpots, each with
// its own key) in a fresh app folder, the second current, and returns
// their servers' addresses and ids.
func twoAccounts(t *testing.T) (paths settings.Paths, urls [2]string, ids [2]int64) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(settings.EnvConfigDir, dir)
	t.Setenv(settings.EnvDatabase, "")
	t.Setenv("HUBSPOT_TOKEN", "")
	for i, seed := range []int64{3, 4} {
		urls[i] = testkit.Serve(t, fakehub.New(fakehub.Config{Scale: 20, Seed: seed, Token: fmt.Sprintf("key-%d", i)}))
		var out, errb strings.Builder
		code := Main(t.Context(), []string{"accounts", "add", "--token", "-", "--base-url", urls[i]},
			&Env{Stdin: strings.NewReader(fmt.Sprintf("key-%d\n", i)), Stdout: &out, Stderr: &errb})
		if code != exitOK || !strings.Contains(out.String(), "It is the current account") {
			t.Fatalf("accounts add: exit %d\n%s%s", code, out.String(), errb.String())
		}
	}
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := paths.LoadAccounts()
	if err != nil || len(accts.List) != 2 {
		t.Fatalf("accounts = %+v, %v", accts, err)
	}
	return paths, urls, [2]int64{accts.List[0].ID, accts.List[1].ID}
}

func TestAccountsExtractAndRuns(t *testing.T) {
	paths, urls, ids := twoAccounts(t)
	if ids[0] == ids[1] {
		t.Fatalf("two fake accounts share id %d", ids[0])
	}
	a, b := fmt.Sprint(ids[0]), fmt.Sprint(ids[1])
	tests := []struct {
		name      string
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{name: "ExtractNamedAccount", args: append([]string{"extract", "--account", a, "--base-url", urls[0], "--objects", "contacts"}, fastFlags...),
			stdoutHas: "hubextract.db", stderrHas: "(" + a + ")"},
		{name: "ExtractCurrentAccount", args: append([]string{"extract", "--base-url", urls[1], "--objects", "deals"}, fastFlags...),
			stdoutHas: "hubextract-" + b + ".db"},
		{name: "RunsOfEach", args: []string{"runs", "--account", a}, stdoutHas: "manual"},
		{name: "KeyOfAnotherAccountRefused", args: append([]string{"extract", "--account", b, "--token", "key-0", "--base-url", urls[0]}, fastFlags...),
			code: exitFailure, stderrHas: "this key opens HubSpot account " + a + ", not "},
		{name: "DatabaseOfAnotherAccountRefused",
			args: append([]string{"extract", "--account", a, "--token", "key-0", "--base-url", urls[0], "--db", paths.AccountDatabase(ids[1])}, fastFlags...),
			code: exitFailure, stderrHas: "holds account " + b},
		{name: "UnknownAccount", args: []string{"runs", "--account", "nobody"}, code: exitFailure, stderrHas: `no account "nobody"`},
		{name: "List", args: []string{"accounts"}, stdoutHas: "* "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdoutHas) || !strings.Contains(stderr, tc.stderrHas) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
		})
	}
	// Each database holds only its account's run, and no run was made by
	// the refused keys.
	code, stdout, _ := runMain(t.Context(), "accounts", "--json")
	var list []accountJSON
	if code != exitOK || json.Unmarshal([]byte(stdout), &list) != nil || len(list) != 2 {
		t.Fatalf("accounts --json: %d %s", code, stdout)
	}
	for _, acct := range list {
		db, err := store.OpenReadOnly(t.Context(), acct.Database)
		if err != nil {
			t.Fatal(err)
		}
		runs, _ := db.Runs(t.Context(), 0)
		owner, _ := db.AccountID(t.Context())
		db.Close()
		if len(runs) != 1 || owner != acct.ID || acct.LastRun == nil {
			t.Errorf("account %d: %d runs, database of account %d, last run %v", acct.ID, len(runs), owner, acct.LastRun)
		}
	}
}

// A scheduled run runs when due, is recorded as scheduled, waits when not
// due, and skips its slot, saying so, when another extraction holds the
// database.
func TestExtractScheduled(t *testing.T) {
	paths, urls, ids := twoAccounts(t)
	id := fmt.Sprint(ids[1])
	scheduled := append([]string{"extract", "--account", id, "--scheduled", "--base-url", urls[1], "--objects", "contacts"}, fastFlags...)
	code, _, stderr := runMain(t.Context(), scheduled...)
	if code != exitOK || !strings.Contains(stderr, "has no scheduled refresh") {
		t.Fatalf("without a schedule: exit %d: %s", code, stderr)
	}
	if _, err := paths.SetSchedule(ids[1], schedule.Spec{Kind: schedule.Hours, EveryHours: 6}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name      string
		stderrHas string
	}{
		{name: "Due", stderrHas: ""},
		{name: "NotDue", stderrHas: "is not due until"},
	}
	for _, s := range steps {
		code, _, stderr := runMain(t.Context(), scheduled...)
		if code != exitOK || !strings.Contains(stderr, s.stderrHas) {
			t.Fatalf("%s: exit %d: %s", s.name, code, stderr)
		}
	}
	dbPath := paths.AccountDatabase(ids[1])
	db, err := store.OpenReadOnly(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := db.Runs(t.Context(), 0)
	db.Close()
	if len(runs) != 1 || runs[0].Trigger != store.TriggerScheduled {
		t.Fatalf("runs = %+v, want one scheduled", runs)
	}
	// The other account's refresh is due, but a live process holds its
	// database's lock.
	if _, err := paths.SetSchedule(ids[0], schedule.Spec{Kind: schedule.Daily, At: time.Now().Add(-time.Minute).Format("15:04")}); err != nil {
		t.Fatal(err)
	}
	id = fmt.Sprint(ids[0])
	scheduled = append([]string{"extract", "--account", id, "--scheduled", "--base-url", urls[0], "--objects", "contacts"}, fastFlags...)
	dbPath = paths.DefaultDatabase()
	holder, _ := json.Marshal(extract.Holder{Owner: extract.OwnerApp, PID: os.Getpid(), Since: time.Now()})
	if err := os.WriteFile(extract.LockPath(dbPath), holder, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runMain(t.Context(), scheduled...)
	if code != exitOK || !strings.Contains(stderr, "scheduled refresh skipped: another extraction is already running") {
		t.Fatalf("lock held: exit %d: %s", code, stderr)
	}
	code, stdout, _ := runMain(t.Context(), "runs", "--account", id)
	if code != exitOK || !strings.Contains(stdout, "Skipped scheduled refreshes:") || !strings.Contains(stdout, "scheduled") {
		t.Errorf("runs: %s", stdout)
	}
	if err := os.Remove(extract.LockPath(dbPath)); err != nil {
		t.Fatal(err)
	}
}

func TestSpecFromFlags(t *testing.T) {
	tests := []struct {
		every, daily string
		want         schedule.Spec
		problem      string
	}{
		{every: "6h", want: schedule.Spec{Kind: schedule.Hours, EveryHours: 6}},
		{daily: "07:30", want: schedule.Spec{Kind: schedule.Daily, At: "07:30"}},
		{problem: "give --every Nh or --daily HH:MM"},
		{every: "6h", daily: "07:30", problem: "give --every Nh or --daily HH:MM"},
		{every: "90m", problem: "--every: "},
		{every: "200h", problem: "--every: "},
		{daily: "25:00", problem: "--daily: "},
	}
	for _, tc := range tests {
		got, problem := specFromFlags(tc.every, tc.daily)
		if !strings.HasPrefix(problem, tc.problem) || (tc.problem == "") != (problem == "") || (problem == "" && got != tc.want) {
			t.Errorf("specFromFlags(%q, %q) = %+v, %q; want %+v, %q", tc.every, tc.daily, got, problem, tc.want, tc.problem)
		}
	}
}
