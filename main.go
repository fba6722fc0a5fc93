// Command hubextract is HubSpot Extractor: with no arguments it opens the
// desktop window; with a subcommand (hubextract help) it runs headless,
// without touching GTK or needing a display. This file only dispatches and
// configures the window; the logic lives in backend/.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"hubextract/backend/applog"
	"hubextract/backend/cli"
	"hubextract/backend/settings"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	args := os.Args[1:]
	if opensWindow(args) {
		os.Exit(runWindow())
	}
	os.Exit(runHeadless(args))
}

// opensWindow decides between the window and the command line. Anything that
// is not a window launch goes to cli.Main, which runs the subcommand or
// reports a usage error. Only a dev build's window takes flags (Wails' own:
// -devserver, -assetdir, -loglevel, ...).
func opensWindow(args []string) bool {
	switch {
	case len(args) == 0:
		return true
	case cli.IsCommand(args[0]):
		return false
	default:
		return devBuild && strings.HasPrefix(args[0], "-")
	}
}

func runHeadless(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // the first signal asks for a clean stop; a second one kills
	}()
	// The commands' slog lines go to the log file only: their stderr output
	// stays what it is.
	defer openLog(slog.LevelInfo, nil)()
	return cli.Main(ctx, args, &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
}

// openLog makes the log file (settings.Paths.LogFile) slog's default and the
// standard logger's, through the redacting handler, echoing to echo when it
// is not nil; it returns what closes it. Without an app folder nothing is
// logged to a file, and the app still runs.
func openLog(level slog.Level, echo io.Writer) (closeLog func()) {
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		return func() {}
	}
	l := applog.Open(paths.LogFile())
	l.Install(level, echo)
	return func() { _ = l.Close() }
}

func runWindow() int {
	// The window's log lines go to the file and, as before, to stderr.
	defer openLog(slog.LevelInfo, os.Stderr)()
	app, err := openApp()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubextract:", err)
		return 1
	}
	err = wails.Run(&options.App{
		Title:     "HubSpot Extractor",
		Width:     1200,
		Height:    800,
		MinWidth:  960,
		MinHeight: 640,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		// The light theme's page background (frontend/src/theme.css), so the
		// window does not flash another colour before the page paints.
		BackgroundColour: &options.RGBA{R: 250, G: 246, B: 240, A: 255},
		Logger:           applog.WailsLogger{},
		OnStartup:        app.startup,
		OnShutdown:       app.shutdown,
		OnBeforeClose:    app.beforeClose,
		Bind:             app.services(),
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "hubextract",
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubextract:", err)
		return 1
	}
	return 0
}
