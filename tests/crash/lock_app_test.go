package crash

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"hubextract/backend/extract"
	"hubextract/backend/settings"
	"hubextract/backend/workspace"
)

// TestAppRefusedWhileCommandRuns: the app (its workspace, in this process)
// on a database a `hubextract extract` process is extracting into is
// refused at once, naming the command line and its process, with no call
// to HubSpot; its history shows the command's run as running and it offers
// no resume. Once the command ends, the app's extraction runs.
func TestAppRefusedWhileCommandRuns(t *testing.T) {
	skipShort(t)
	keyring.MockInit() // never the machine's own keychain
	fx := shared(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "shared.db")
	first := newRelay(t, fx.url, 40)
	p := start(t, extractArgs(first.url, db)...)
	select {
	case <-first.held:
	case <-p.done:
		t.Fatalf("the command ended (exit %d) before its 41st call\nstderr:\n%s", p.cmd.ProcessState.ExitCode(), p.stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("the command made no 41st call within a minute")
	}

	app := newRelay(t, fx.url, 0)
	env := map[string]string{settings.EnvConfigDir: filepath.Join(dir, "app"), settings.EnvDatabase: db}
	paths, err := settings.Resolve(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(workspace.Config{Paths: paths, HubSpotURL: app.url})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if c, err := ws.Connection.Test(fakeToken); err != nil || !c.OK {
		t.Fatalf("connect the app: %+v, %v", c, err)
	}
	before := app.calls.Load()
	_, err = ws.Extract.Start(workspace.ExtractRequest{})
	var busy *extract.BusyError
	want := fmt.Sprintf("started by the command line (process %d)", p.cmd.Process.Pid)
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), want) {
		t.Fatalf("the app's extraction: %v, want a refusal saying %q", err, want)
	}
	refusal := err.Error()
	if n := app.calls.Load() - before; n != 0 {
		t.Errorf("the refused extraction made %d calls", n)
	}
	if offer, err := ws.Extract.ResumeOffer(); err != nil || offer != nil {
		t.Errorf("resume offer while the command runs: %+v, %v; want none", offer, err)
	}
	if runs, err := ws.Runs.List(10); err != nil || len(runs) != 1 || runs[0].Status != "running" {
		t.Errorf("the app's history while the command runs: %+v, %v", runs, err)
	}

	close(first.resume)
	if code := p.wait(t); code != 0 {
		t.Fatalf("the command: exit %d\nstderr:\n%s", code, p.stderr.String())
	}
	sum, err := ws.Extract.Start(workspace.ExtractRequest{})
	if err != nil || sum.Run.Status != "succeeded" || sum.Run.Mode != "incremental" {
		t.Fatalf("the app's extraction after the command: %+v, %v", sum.Run, err)
	}
	t.Logf("refused with %q; then run %d %s, %d calls", refusal, sum.Run.ID, sum.Run.Status, sum.Run.APICalls)
}
