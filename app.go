package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"

	"hubextract/backend/cli"
	"hubextract/backend/store"
)

// App is the window's bound layer: it wires the frontend's calls to backend/
// packages and holds the Wails lifecycle context. No logic lives here.
type App struct {
	ctx context.Context
}

// NewApp returns the bound App; Wails calls startup before any bound method.
func NewApp() *App {
	return &App{}
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
}

func (a *App) shutdown(context.Context) {
	log.Println("hubextract: window closed")
}

// AppInfo describes this installation for the welcome screen.
type AppInfo struct {
	Version        string `json:"version"`
	DatabasePath   string `json:"databasePath"`
	DatabaseExists bool   `json:"databaseExists"`
}

// Info reports the version and where the database lives.
func (a *App) Info() (AppInfo, error) {
	path, err := store.DefaultPath()
	if err != nil {
		return AppInfo{}, fmt.Errorf("locate the database: %w", err)
	}
	_, err = os.Stat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return AppInfo{}, fmt.Errorf("check the database %s: %w", path, err)
	}
	return AppInfo{Version: cli.Version, DatabasePath: path, DatabaseExists: err == nil}, nil
}

// FrontendReady is called by the page once its first screen has rendered.
// It logs a line and, when HUBEXTRACT_READY_FILE names a file, writes it, so
// the window test knows the page and the bindings work.
func (a *App) FrontendReady() error {
	log.Println("hubextract: frontend ready")
	if path := os.Getenv("HUBEXTRACT_READY_FILE"); path != "" {
		if err := os.WriteFile(path, []byte("ready\n"), 0o600); err != nil {
			return fmt.Errorf("write ready file: %w", err)
		}
	}
	return nil
}
