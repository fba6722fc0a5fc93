package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync/atomic"
	"time"

	"github.com/pkg/browser"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hubextract/backend/cli"
	"hubextract/backend/demo"
	"hubextract/backend/settings"
	"hubextract/backend/workspace"
)

// Window events (colon-namespaced; the frontend's src/api subscribes).
const (
	eventExtractProgress = "extract:progress"
	eventExportProgress  = "export:progress"
	eventCloseRequested  = "app:close-requested"
)

// envHubSpotURL points the app at another HubSpot API (tests: a fake).
const envHubSpotURL = "HUBEXTRACT_HUBSPOT_URL"

// App is the window's bound layer: it holds the Wails lifecycle context and
// the workspace, wires the frontend's calls to backend/ packages, turns
// progress into window events and opens native dialogs. No logic lives here.
type App struct {
	ctx     context.Context
	ws      *workspace.Workspace
	wsErr   error
	closing atomic.Bool // the user chose to stop a run and close
}

// NewApp returns the bound App; Wails calls startup before any bound method.
func NewApp() *App {
	return &App{}
}

// services are the bound objects: the App (lifecycle, dialogs) and one
// thin service per screen domain.
func (a *App) services() []any {
	return []any{a, &ConnectionService{a}, &ExtractService{a}, &RunsService{a}, &RecordsService{a},
		&ExportService{a}, &SettingsService{a}}
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.ws, a.wsErr = openWorkspace()
	if a.wsErr != nil {
		log.Printf("hubextract: %v", a.wsErr)
	}
}

func openWorkspace() (*workspace.Workspace, error) {
	dir, err := settings.Dir()
	if err != nil {
		return nil, fmt.Errorf("find the settings folder: %w", err)
	}
	sample, err := demo.FromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	return workspace.Open(workspace.Config{SettingsDir: dir, Sample: sample, HubSpotURL: os.Getenv(envHubSpotURL)})
}

// workspace is the open workspace, or why it could not open.
func (a *App) workspace() (*workspace.Workspace, error) {
	if a.ws == nil {
		if a.wsErr == nil {
			return nil, errors.New("the app is still starting")
		}
		return nil, a.wsErr
	}
	return a.ws, nil
}

func (a *App) shutdown(context.Context) {
	if a.ws != nil {
		if err := a.ws.Close(); err != nil {
			log.Printf("hubextract: close: %v", err)
		}
	}
	log.Println("hubextract: window closed")
}

// beforeClose asks the page to confirm when an extraction or an export is
// running; the page then calls StopAndQuit or keeps the window.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	if a.closing.Load() || a.ws == nil || !a.ws.Busy() {
		return false
	}
	runtime.EventsEmit(ctx, eventCloseRequested)
	return true
}

// StopAndQuit stops the running extraction or export cleanly (what was
// fetched is saved) and closes the window.
func (a *App) StopAndQuit() error {
	a.closing.Store(true)
	if a.ws != nil && !a.ws.StopJobs(20*time.Second) {
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
	ws, err := a.workspace()
	if err != nil {
		return AppInfo{}, err
	}
	st, err := ws.Status()
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

// ChooseExportFile asks where to save one CSV; "" when the user cancels.
func (a *App) ChooseExportFile(defaultName string) (string, error) {
	return runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{
		Title: "Export to CSV", DefaultFilename: defaultName, CanCreateDirectories: true,
		Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}},
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
