package workspace

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"hubextract/backend/catalog"
	"hubextract/backend/demo"
	"hubextract/backend/fakehub"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

func TestMain(m *testing.M) {
	keyring.MockInit() // never the developer's own keychain
	os.Exit(m.Run())
}

// open makes a workspace in a temporary folder, with a small fast sample
// HubSpot and the highest rate, so a whole extraction takes a moment.
func open(t *testing.T, sample demo.Options, apiURL string) *Workspace {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(settings.EnvDatabase, filepath.Join(dir, "hubextract.db"))
	s := settings.Defaults()
	s.RatePer10s = settings.TierAddOn
	if err := (settings.File{Dir: dir}).Save(s); err != nil {
		t.Fatal(err)
	}
	w, err := Open(Config{SettingsDir: dir, Sample: sample, HubSpotURL: apiURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	return w
}

// recorder collects the updates an extraction sends.
type recorder struct {
	mu      sync.Mutex
	updates []Update
	first   chan struct{} // closed at the first update with records
	once    sync.Once
}

func newRecorder() *recorder { return &recorder{first: make(chan struct{})} }

func (r *recorder) send(u Update) {
	r.mu.Lock()
	r.updates = append(r.updates, u)
	r.mu.Unlock()
	for _, st := range u.Streams {
		if st.Stream != "metadata" && st.Records > 0 {
			r.once.Do(func() { close(r.first) })
		}
	}
}

func (r *recorder) all() []Update {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.updates)
}

func TestSampleExtractionEndToEnd(t *testing.T) {
	const scale = 30
	w := open(t, demo.Options{Scale: scale, Seed: 1}, "")
	st, err := w.Status()
	if err != nil || st.Connected || st.Database.Exists {
		t.Fatalf("fresh status %+v, %v: want not connected, no database", st, err)
	}
	if _, err := w.Extract(ExtractRequest{}, func(Update) {}); err != ErrNotConnected {
		t.Errorf("extract without a connection: %v, want ErrNotConnected", err)
	}
	if st, err = w.UseSample(); err != nil || !st.Connected || st.Source != settings.SourceSample {
		t.Fatalf("UseSample: %+v, %v", st, err)
	}
	est, err := w.Estimate(t.Context(), catalog.CRM)
	if err != nil {
		t.Fatal(err)
	}
	if !est.Complete || est.Types[0].Basis != "HubSpot" || est.Types[0].Records != scale || est.Calls < 9*4 {
		t.Errorf("estimate before the first run: %+v", est)
	}

	rec := newRecorder()
	start := time.Now()
	sum, err := w.Extract(ExtractRequest{}, rec.send)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if sum.Run.Status != store.StatusSucceeded {
		t.Fatalf("run %s: %s", sum.Run.Status, sum.Run.Error)
	}
	for _, r := range sum.Reconciliation {
		if !catalog.IsCRM(r.Type) {
			continue // marketing streams have no HubSpot count to compare
		}
		// "unknown" when a stream finished before its planning call.
		if r.Status == "differs" || r.Stored != scale {
			t.Errorf("reconciliation %+v, want %d stored, not differing from HubSpot", r, scale)
		}
	}
	updates := rec.all()
	if max := int(took/UpdateInterval) + 2; len(updates) == 0 || len(updates) > max {
		t.Errorf("%d updates in %v, want 1..%d (at most one per %v)", len(updates), took, max, UpdateInterval)
	}
	last := updates[len(updates)-1]
	if last.Overall.Percent != 100 || len(last.Streams) != 1+len(catalog.All) {
		t.Errorf("last update: overall %+v, %d streams", last.Overall, len(last.Streams))
	}
	for _, s := range last.Streams {
		if s.Percent != 100 || !s.Final {
			t.Errorf("stream %s ended at %v%% (final %v)", s.Stream, s.Percent, s.Final)
		}
	}

	o, err := w.Overview(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Engagements.Stored, []int64{scale, scale, scale, scale, scale}) || o.LastSuccess == "" {
		t.Errorf("overview engagements %v, last success %q", o.Engagements.Stored, o.LastSuccess)
	}
	snap := w.Snapshot()
	if snap.Running || snap.Summary == nil || snap.Summary.Run.ID != sum.Run.ID || len(snap.Update.Streams) != 1+len(catalog.All) {
		t.Errorf("snapshot after the run: %+v", snap)
	}
	if offer, err := w.ResumeOffer(t.Context()); err != nil || offer != nil {
		t.Errorf("resume offer after a successful run: %+v, %v", offer, err)
	}
	groups, err := w.Groups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) < 2 || groups[0].ID != "crm" || groups[0].Types[0].Stored != scale || groups[0].Types[0].LastRun < scale {
		t.Errorf("groups %+v", groups)
	}
	est, err = w.Estimate(t.Context(), []string{"contacts"})
	if err != nil || est.Types[0].Basis != "last run" || est.Types[0].Calls != sum.Run.Streams[1].APICalls {
		t.Errorf("estimate after the run: %+v, %v", est, err)
	}

	// Leaving the sample data shows the (empty) real database again.
	if _, err := w.LeaveSample(); err != nil {
		t.Fatal(err)
	}
	o, err = w.Overview(t.Context())
	if err != nil || o.Database.Exists || o.LastRun != nil {
		t.Errorf("overview of the real database: %+v, %v", o, err)
	}
}

func TestCancelKeepsEverythingAndResumes(t *testing.T) {
	const scale = 400
	w := open(t, demo.Options{Scale: scale, Seed: 2, Latency: 40 * time.Millisecond}, "")
	if _, err := w.UseSample(); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	type outcome struct {
		sum Summary
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		sum, err := w.Extract(ExtractRequest{Objects: []string{"contacts", "companies"}}, rec.send)
		done <- outcome{sum, err}
	}()
	select {
	case <-rec.first:
	case <-time.After(30 * time.Second):
		t.Fatal("no progress within 30 s")
	}
	if !w.Busy() || !w.Snapshot().Running {
		t.Error("not busy while extracting")
	}
	if _, err := w.LeaveSample(); err != ErrBusy {
		t.Errorf("switching the database during a run: %v, want ErrBusy", err)
	}
	cancelled := time.Now()
	if !w.Cancel() {
		t.Fatal("Cancel found no run")
	}
	var first outcome
	select {
	case first = <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the run did not stop within 2 s of Cancel")
	}
	t.Logf("stopped %v after Cancel", time.Since(cancelled).Round(time.Millisecond))
	if first.err != nil || first.sum.Run.Status != store.StatusCancelled {
		t.Fatalf("cancelled run: %+v, %v", first.sum.Run, first.err)
	}
	kept := first.sum.Run.Records
	if kept == 0 {
		t.Error("the cancelled run kept no records")
	}
	offer, err := w.ResumeOffer(t.Context())
	if err != nil || offer == nil || offer.RunID != first.sum.Run.ID || offer.Crashed ||
		strings.Join(offer.Objects, ",") != "contacts,companies" {
		t.Fatalf("resume offer %+v, %v", offer, err)
	}
	second, err := w.Extract(ExtractRequest{Objects: offer.Objects}, func(Update) {})
	if err != nil {
		t.Fatal(err)
	}
	if second.Run.Status != store.StatusSucceeded || second.ResumedFrom != first.sum.Run.ID {
		t.Fatalf("resumed run %+v (resumed from %d)", second.Run, second.ResumedFrom)
	}
	for _, r := range second.Reconciliation {
		if r.Stored != scale || r.Status == "differs" {
			t.Errorf("after resuming: %+v", r)
		}
	}
}

func TestConnection(t *testing.T) {
	fake := fakehub.New(fakehub.Config{Token: "pat-good", Scale: 5})
	fake.DenyScope("forms", "forms")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	w := open(t, demo.Options{Scale: 5}, srv.URL)

	wrong, err := w.TestConnection(t.Context(), "pat-wrong")
	if err != nil {
		t.Fatal(err)
	}
	if wrong.OK || !strings.Contains(wrong.Message, "did not accept this key") || wrong.Account != nil {
		t.Errorf("wrong key: %+v", wrong)
	}
	if st, _ := w.Status(); st.Connected || st.Token.Saved {
		t.Errorf("a refused key was saved: %+v", st)
	}
	empty, err := w.TestConnection(t.Context(), "  ")
	if err != nil || empty.OK || !strings.Contains(empty.Message, "Paste the key") {
		t.Errorf("empty key: %+v, %v", empty, err)
	}

	good, err := w.TestConnection(t.Context(), " pat-good\n")
	if err != nil {
		t.Fatal(err)
	}
	if !good.OK || good.Account == nil || good.Account.PortalID == 0 || good.Account.TimeZone == "" {
		t.Fatalf("good key: %+v", good)
	}
	if !slices.Equal(good.Missing, []string{"forms"}) || !strings.Contains(good.Message, "lacks 1 permission") {
		t.Errorf("missing scopes %v, message %q", good.Missing, good.Message)
	}
	if len(good.Scopes) != len(probes) {
		t.Errorf("%d scope checks, want %d", len(good.Scopes), len(probes))
	}
	st, err := w.Status()
	if err != nil || !st.Connected || !st.Token.Saved || st.Source != settings.SourceHubSpot {
		t.Errorf("after a good key: %+v, %v", st, err)
	}

	// The key reaches neither the database nor the settings file.
	sum, err := w.Extract(ExtractRequest{Objects: []string{"contacts"}}, func(Update) {})
	if err != nil || sum.Run.Status != store.StatusSucceeded {
		t.Fatalf("extract with the saved key: %+v, %v", sum.Run, err)
	}
	path, _ := w.Settings().Database()
	for _, f := range []string{path, path + "-wal", w.file.Path()} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("pat-good")) {
			t.Errorf("%s holds the key", f)
		}
	}

	if st, err = w.Disconnect(); err != nil || st.Connected || st.Token.Saved {
		t.Errorf("after Disconnect: %+v, %v", st, err)
	}
	if _, err := w.Extract(ExtractRequest{}, func(Update) {}); err != ErrNotConnected {
		t.Errorf("extract after Disconnect: %v, want ErrNotConnected", err)
	}
}

func TestExport(t *testing.T) {
	const scale = 12
	w := open(t, demo.Options{Scale: scale, Seed: 3}, "")
	if _, err := w.Export(ExportRequest{Path: t.TempDir()}, func(ExportProgress) {}); err != ErrNoData {
		t.Errorf("export before any data: %v, want ErrNoData", err)
	}
	if _, err := w.UseSample(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Extract(ExtractRequest{}, func(Update) {}); err != nil {
		t.Fatal(err)
	}
	types, err := w.Types(t.Context())
	if err != nil || len(types) != len(catalog.All) || types[0].Rows != scale {
		t.Errorf("types %+v, %v", types, err)
	}

	dir := filepath.Join(t.TempDir(), "csv")
	var last ExportProgress
	res, err := w.Export(ExportRequest{Path: dir, Labels: true, Associations: true}, func(p ExportProgress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != len(catalog.All) || res.Folder != dir || res.Cancelled || last.Percent != 100 || last.Rows != res.Rows {
		t.Errorf("export all: %+v, last progress %+v", res, last)
	}
	b, err := os.ReadFile(filepath.Join(dir, "deals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(b), "\n")
	if !strings.Contains(header, "Deal Name") || !strings.Contains(header, "associated_contacts") {
		t.Errorf("labelled deals header: %s", header)
	}

	file := filepath.Join(t.TempDir(), "notes.csv")
	res, err = w.Export(ExportRequest{Type: "notes", Path: file}, func(ExportProgress) {})
	if err != nil || len(res.Files) != 1 || res.Files[0].Rows < scale {
		t.Fatalf("export notes: %+v, %v", res, err)
	}
	b, _ = os.ReadFile(file)
	header, _, _ = strings.Cut(string(b), "\n")
	if strings.Contains(header, "associated_") || !strings.Contains(header, "hs_note_body") {
		t.Errorf("raw notes header without associations: %s", header)
	}
	if _, err := w.Export(ExportRequest{Type: "notes", Path: "relative.csv"}, func(ExportProgress) {}); err == nil {
		t.Error("a relative path was accepted")
	}
}

func TestSettingsSaveAndSwitchDatabase(t *testing.T) {
	w := open(t, demo.Options{Scale: 3}, "")
	s := w.Settings()
	s.RatePer10s = 333
	if _, err := w.SaveSettings(s); err == nil {
		t.Error("an invalid tier was saved")
	}
	s.RatePer10s = settings.TierProfessional
	s.DatabasePath = filepath.Join(t.TempDir(), "elsewhere.db")
	got, err := w.SaveSettings(s)
	if err != nil || got.RatePer10s != settings.TierProfessional {
		t.Fatalf("SaveSettings: %+v, %v", got, err)
	}
	st, err := w.Status()
	if err != nil || st.Database.Path != s.DatabasePath {
		t.Errorf("database after the change: %+v, %v", st.Database, err)
	}
	loaded, err := (settings.File{Dir: filepath.Dir(w.file.Path())}).Load()
	if err != nil || loaded.DatabasePath != s.DatabasePath {
		t.Errorf("saved settings %+v, %v", loaded, err)
	}
}
