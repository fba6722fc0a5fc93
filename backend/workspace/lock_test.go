package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"hubextract/backend/demo"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
)

// TestExtractionRefusedWhileTheCommandLineRuns: while an extraction of the
// command line (extract.Run with its default owner) holds the database's
// lock, the app's extraction is refused at once with a message naming the
// command line and its process, and changes nothing; once the command
// line's run ends, the app's runs.
func TestExtractionRefusedWhileTheCommandLineRuns(t *testing.T) {
	w, rec := open(t, demo.Options{Scale: 10, Seed: 3}, "")
	if _, err := w.Connection.UseSampleData(); err != nil {
		t.Fatal(err)
	}
	st, err := w.Status()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.Context(), st.Database.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// The command line's HubSpot answers no call of the run until the test
	// says so (the custom objects' schemas, read before the run starts,
	// are none): its run holds the lock, waiting, for as long as the test
	// needs.
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	blocking := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/crm-object-schemas/") {
			_, _ = rw.Write([]byte(`{"results":[]}`))
			return
		}
		once.Do(func() { close(entered) })
		select {
		case <-release:
		case <-r.Context().Done():
		}
		http.Error(rw, "closed", http.StatusServiceUnavailable)
	}))
	defer blocking.Close()
	defer close(release)
	cliCtx, stopCLI := context.WithCancel(t.Context())
	defer stopCLI()
	cliDone := make(chan error, 1)
	go func() {
		_, err := extract.Run(cliCtx, db, extract.Options{
			Client:  hubspot.New("cli-token", hubspot.WithBaseURL(blocking.URL)),
			Objects: []string{"contacts"},
		})
		cliDone <- err
	}()
	select {
	case <-entered:
	case err := <-cliDone:
		t.Fatalf("the command line's run ended before calling HubSpot: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the command line's run made no call within 30 s")
	}

	_, err = w.Extract.Start(ExtractRequest{Objects: []string{"contacts"}})
	var busy *extract.BusyError
	want := fmt.Sprintf("another extraction is already running on this database, started by the command line (process %d) at ", os.Getpid())
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("the app's extraction while the command line runs: %v; want a refusal saying %q", err, want)
	}
	if snap, _ := w.Extract.Snapshot(); snap.Running || !strings.Contains(snap.Error, want) {
		t.Errorf("the screen's state after the refusal: running %v, error %q", snap.Running, snap.Error)
	}
	for _, u := range rec.all() {
		if u.Overall.Calls > 0 {
			t.Errorf("the refused extraction reported %d calls", u.Overall.Calls)
		}
	}
	// The command line's run is going on, not cut short: nothing to resume.
	if offer, err := w.Extract.ResumeOffer(); err != nil || offer != nil {
		t.Errorf("resume offer while the command line runs: %+v, %v; want none", offer, err)
	}
	runs, err := db.Runs(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != store.StatusRunning {
		t.Fatalf("history after the refusal: %+v, want only the command line's run, still running", runs)
	}

	stopCLI()
	if err := <-cliDone; err != nil {
		t.Fatalf("the command line's run: %v", err)
	}
	if offer, err := w.Extract.ResumeOffer(); err != nil || offer == nil || offer.RunID != runs[0].ID || offer.Status != store.StatusCancelled {
		t.Errorf("resume offer once the command line's run was cancelled: %+v, %v; want run %d", offer, err, runs[0].ID)
	}
	sum, err := w.Extract.Start(ExtractRequest{Objects: []string{"contacts"}})
	if err != nil || sum.Run.Status != store.StatusSucceeded {
		t.Fatalf("the app's extraction once the command line's ended: %+v, %v", sum.Run, err)
	}
}
