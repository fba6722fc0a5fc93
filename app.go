package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pkg/browser"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hubextract/backend/cli"
	"hubextract/backend/demo"
	"hubextract/backend/settings"
	"hubextract/backend/workspace"
)

// eventCloseRequested asks the page to confirm closing during a job.
const eventCloseRequested = "app:close-requested"

// envHubSpotURL points the app at another HubSpot API (tests: a fake).
const envHubSpotURL = "HUBEXTRACT_HUBSPOT_URL"

// App is the window's bound layer: it holds the Wails lifecycle context,
// hands the workspace an emitter of window events, and opens native
// dialogs. The screens' calls go to the workspace's own bound services.
type App struct {
	ctx     context.Context
	ws      *workspace.Workspace
	closing atomic.Bool // the user chose to stop a run and close
}

// openApp opens the workspace the window will show: the app's folder, its
// settings and key, the sample data's shape.
func openApp() (*App, error) {
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		return nil, err
	}
	sample, err := demo.FromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	ws, err := workspace.Open(workspace.Config{Paths: paths, Sample: sample, HubSpotURL: os.Getenv(envHubSpotURL)})
	if err != nil {
		return nil, err
	}
	return &App{ws: ws}, nil
}

// services are the bound objects: the App (lifecycle, dialogs) and the
// workspace's services, one per screen domain.
func (a *App) services() []any {
	return append([]any{a}, a.ws.Services()...)
}

// windowEvents turns the workspace's events into window events.
type windowEvents struct{ ctx context.Context }

func (e windowEvents) Emit(event string, data any) { runtime.EventsEmit(e.ctx, event, data) }

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.ws.SetEmitter(windowEvents{ctx})
}

func (a *App) shutdown(context.Context) {
	if err := a.ws.Close(); err != nil {
		log.Printf("hubextract: close: %v", err)
	}
	log.Println("hubextract: window closed")
}

// beforeClose asks the page to confirm when an extraction or an export is
// running; the page then calls StopAndQuit or keeps the window.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	if a.closing.Load() || !a.ws.Busy() {
		return false
	}
	runtime.EventsEmit(ctx, eventCloseRequested)
	return true
}

// StopAndQuit stops the running extraction or export cleanly (what was
// fetched is saved) and closes the window.
func (a *App) StopAndQuit() error {
	a.closing.Store(true)
	if !a.ws.StopJobs(20 * time.Second) {
		log.Println("hubextract: the run did not stop within 20 s; closing anyway")
	}
	runtime.Quit(a.ctx)
	return nil
}

// envStartScreen opens the window on a screen (the window test's
// screenshots of each screen).
const envStartScreen = "HUBEXTRACT_START_SCREEN"

// AppInfo describes this installation for the welcome screen.
type AppInfo struct {
	Version        string `json:"version"`
	DatabasePath   string `json:"databasePath"`
	DatabaseExists bool   `json:"databaseExists"`
	StartScreen    string `json:"startScreen"` // "" for the default
}

// Info reports the version and where the database lives.
func (a *App) Info() (AppInfo, error) {
	st, err := a.ws.Status()
	if err != nil {
		return AppInfo{}, err
	}
	return AppInfo{Version: cli.Version, DatabasePath: st.Database.Path, DatabaseExists: st.Database.Exists,
		StartScreen: os.Getenv(envStartScreen)}, nil
}

// FrontendReady is called by the page once its first screen has rendered,
// with that screen's name. It logs a line and, when HUBEXTRACT_READY_FILE
// names a file, writes "ready SCREEN" into it, so the window test knows the
// page, the bindings and the screen work.
func (a *App) FrontendReady(screen string) error {
	log.Printf("hubextract: frontend ready (%s)", screen)
	if path := os.Getenv("HUBEXTRACT_READY_FILE"); path != "" {
		if err := os.WriteFile(path, []byte("ready "+screen+"\n"), 0o600); err != nil {
			return fmt.Errorf("write ready file: %w", err)
		}
	}
	return nil
}

// ChooseExportFile asks where to save one CSV (or Parquet file, by the
// default name's extension); "" when the user cancels.
func (a *App) ChooseExportFile(defaultName string) (string, error) {
	title, filter := "Export to CSV", runtime.FileFilter{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}
	if strings.HasSuffix(defaultName, ".parquet") {
		title, filter = "Export to Parquet", runtime.FileFilter{DisplayName: "Parquet files (*.parquet)", Pattern: "*.parquet"}
	}
	return runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{
		Title: title, DefaultFilename: defaultName, CanCreateDirectories: true,
		Filters: []runtime.FileFilter{filter},
	})
}

// ChooseExportFolder asks for the folder of a whole export; "" when the
// user cancels.
func (a *App) ChooseExportFolder() (string, error) {
	return runtime.OpenDirectoryDialog(a.ctx, runtime.OpenDialogOptions{
		Title: "Export every type into a folder", CanCreateDirectories: true,
	})
}

// ChooseDatabase asks for a database file: an existing one to open, or
// (create) the name of a new one; "" when the user cancels.
func (a *App) ChooseDatabase(create bool) (string, error) {
	filters := []runtime.FileFilter{{DisplayName: "HubSpot Extractor databases (*.db)", Pattern: "*.db"}}
	if create {
		return runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{
			Title: "Create a new database", DefaultFilename: "hubextract.db", CanCreateDirectories: true, Filters: filters,
		})
	}
	return runtime.OpenFileDialog(a.ctx, runtime.OpenDialogOptions{Title: "Open a database", Filters: filters})
}

// OpenFolder shows a folder in the system's file manager.
func (a *App) OpenFolder(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open folder: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("open folder: %s is not a folder", path)
	}
	return browser.OpenFile(path)
}
