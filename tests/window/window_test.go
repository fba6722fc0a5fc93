//go:build windowtest

package window

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	binary    = flag.String("binary", "../../build/bin/hubextract", "the production binary under test")
	devBinary = flag.String("dev-binary", "../../build/bin/hubextract-dev", "the dev-tagged binary under test")
	artifacts = flag.String("artifacts", "../../test-artifacts/window", "folder for screenshots and the app's logs")
)

// The surface colours of frontend/src/theme.css, per theme.
type palette struct{ page, header, nav color.RGBA }

var (
	light = palette{page: rgb(250, 246, 240), header: rgb(31, 42, 68), nav: rgb(239, 231, 218)}
	dark  = palette{page: rgb(20, 23, 31), header: rgb(11, 13, 18), nav: rgb(27, 31, 42)}
)

// Layout of frontend/src/App.svelte.
const (
	headerHeight = 56
	navWidth     = 232
)

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 255} }

func TestWindowRendersAppPage(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: run under xvfb-run (make test-window)")
	}
	bin := absPath(t, *binary)
	if err := os.MkdirAll(*artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		gtkTheme string // how the system asks for light or dark
		want     palette
	}{
		{name: "light", gtkTheme: "Adwaita", want: light},
		{name: "dark", gtkTheme: "Adwaita:dark", want: dark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkWindow(t, bin, tt.gtkTheme, tt.want, filepath.Join(*artifacts, "welcome-"+tt.name))
		})
	}
}

func checkWindow(t *testing.T, bin, gtkTheme string, want palette, artifact string) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	start := time.Now()
	app, ready := openWindow(t, bin, artifact,
		"XDG_CONFIG_HOME="+t.TempDir(), // keep the user's own database out of it
		"GTK_THEME="+gtkTheme,
	)

	// 1. The page reports ready through the bound FrontendReady call.
	if err := app.waitFor(ctx, ready); err != nil {
		t.Fatalf("page never reported ready: %v (log: %s)", err, artifact+".log")
	}
	t.Logf("page ready %v after launch", time.Since(start).Round(time.Millisecond))

	// 2. The window shows the app's own page: its three surface colours where
	// the layout puts them, and text on the page background.
	win, err := findWindow(ctx, "HubSpot Extractor")
	if err != nil {
		t.Fatal(err)
	}
	shot := artifact + ".png"
	var problems []string
	err = poll(ctx, app, func() (bool, error) {
		img, err := screenshot(ctx, shot)
		if err != nil {
			return false, err
		}
		problems = checkPage(img, win, want, true, 0.02, 0.5)
		return len(problems) == 0, nil
	})
	if err != nil {
		t.Fatalf("window does not show the app's page (%v); screenshot %s:\n%s", err, shot, strings.Join(problems, "\n"))
	}
	t.Logf("painted %v after launch; screenshot %s", time.Since(start).Round(time.Millisecond), shot)

	// 3. SIGTERM closes the window cleanly.
	if err := app.stop(ctx); err != nil {
		t.Error(err)
	}
	log, err := os.ReadFile(artifact + ".log")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"hubextract: frontend ready", "hubextract: window closed"} {
		if !bytes.Contains(log, []byte(line)) {
			t.Errorf("app log lacks %q:\n%s", line, log)
		}
	}
}

// openWindow starts bin's window with env added to the environment and its
// output in artifact.log; it returns the app and the file the page writes
// once it has rendered (HUBEXTRACT_READY_FILE).
func openWindow(t *testing.T, bin, artifact string, env ...string) (*launched, string) {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready")
	logFile, err := os.Create(artifact + ".log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), "HUBEXTRACT_READY_FILE="+ready), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	return launch(t, cmd), ready
}

// poll calls check every 100 ms until it reports done, the context ends or
// the app exits.
func poll(ctx context.Context, app *launched, check func() (bool, error)) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-app.done:
			return fmt.Errorf("app exited: %v", app.err)
		case <-tick.C:
		}
	}
}

// launched is a started app whose exit is watched; the test's cleanup kills
// it if the test ends first.
type launched struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done is closed
}

func launch(t *testing.T, cmd *exec.Cmd) *launched {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	l := &launched{cmd: cmd, done: make(chan struct{})}
	go func() {
		l.err = cmd.Wait()
		close(l.done)
	}()
	t.Cleanup(func() {
		select {
		case <-l.done:
		default:
			_ = cmd.Process.Kill()
			<-l.done
		}
	})
	return l
}

// waitFor waits until the file at path exists.
func (l *launched) waitFor(ctx context.Context, path string) error {
	return poll(ctx, l, func() (bool, error) {
		_, err := os.Stat(path)
		return err == nil, nil
	})
}

// stop sends SIGTERM and waits for a clean exit.
func (l *launched) stop(ctx context.Context) error {
	if err := l.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-l.done:
		if l.err != nil {
			return fmt.Errorf("exited with %v after SIGTERM, want a clean exit", l.err)
		}
		return nil
	case <-ctx.Done():
		return errors.New("still running after SIGTERM")
	}
}

// findWindow returns the position and size of the visible window titled title.
func findWindow(ctx context.Context, title string) (image.Rectangle, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^"+title+"$").Output()
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("find window %q: %w", title, err)
	}
	id := strings.Fields(string(out))[0]
	out, err = exec.CommandContext(ctx, "xdotool", "getwindowgeometry", "--shell", id).Output()
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("window %s geometry: %w", id, err)
	}
	g := map[string]int{}
	for _, line := range strings.Fields(string(out)) {
		k, v, _ := strings.Cut(line, "=")
		g[k], _ = strconv.Atoi(v)
	}
	if g["WIDTH"] < navWidth*2 || g["HEIGHT"] < headerHeight*4 {
		return image.Rectangle{}, fmt.Errorf("window %s is %dx%d, too small for the app's layout", id, g["WIDTH"], g["HEIGHT"])
	}
	return image.Rect(g["X"], g["Y"], g["X"]+g["WIDTH"], g["Y"]+g["HEIGHT"]), nil
}

func screenshot(ctx context.Context, path string) (image.Image, error) {
	if out, err := exec.CommandContext(ctx, "import", "-window", "root", path).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("import -window root: %v: %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// checkPage lists what in the window w of img differs from the app's page:
// its surface colours (bottom included when bottom is set: a long screen's
// content may reach it), and a share of the page area between minInk and
// maxInk that is not background (the screen's content).
func checkPage(img image.Image, w image.Rectangle, want palette, bottom bool, minInk, maxInk float64) []string {
	at := func(x, y int) image.Point { return w.Min.Add(image.Pt(x, y)) }
	W, H := w.Dx(), w.Dy()
	points := []struct {
		name string
		p    image.Point
		want color.RGBA
	}{
		{"header, right end", at(W-12, 12), want.header},
		{"header, bottom right", at(W-12, headerHeight-4), want.header},
		{"navigation, bottom left", at(6, H-6), want.nav},
		{"navigation, middle left", at(6, H/2), want.nav},
		{"page, top right", at(W-12, headerHeight+24), want.page},
	}
	if bottom {
		points = append(points, []struct {
			name string
			p    image.Point
			want color.RGBA
		}{
			{"page, bottom right", at(W-12, H-12), want.page},
			{"page, bottom middle", at(navWidth+(W-navWidth)/2, H-12), want.page},
		}...)
	}
	var problems []string
	for _, pt := range points {
		if got := img.At(pt.p.X, pt.p.Y); !near(got, pt.want) {
			problems = append(problems, fmt.Sprintf("%s %v: got %v, want %v", pt.name, pt.p, rgbOf(got), pt.want))
		}
	}
	// The screen's content: a share of the page area that is not background.
	page := image.Rect(w.Min.X+navWidth, w.Min.Y+headerHeight, w.Max.X, w.Max.Y)
	ink, total := 0, 0
	for y := page.Min.Y; y < page.Max.Y; y += 2 {
		for x := page.Min.X; x < page.Max.X; x += 2 {
			total++
			if !near(img.At(x, y), want.page) {
				ink++
			}
		}
	}
	if share := float64(ink) / float64(total); share < minInk || share > maxInk {
		problems = append(problems, fmt.Sprintf("page area is %.1f%% non-background, want the screen's content (%.0f%%–%.0f%%)",
			share*100, minInk*100, maxInk*100))
	}
	return problems
}

func rgbOf(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	return rgb(uint8(r>>8), uint8(g>>8), uint8(b>>8))
}

func near(c color.Color, want color.RGBA) bool {
	got := rgbOf(c)
	d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
	return d(got.R, want.R) <= 2 && d(got.G, want.G) <= 2 && d(got.B, want.B) <= 2
}

// TestHeadlessWithoutDisplay runs the subcommands of both GTK-linked
// binaries with no display: they must never touch GTK.
func TestHeadlessWithoutDisplay(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		prodOnly  bool
		code      int
		stdoutHas string
		stderrHas string
	}{
		{name: "Version", args: []string{"version"}, code: 0, stdoutHas: "hubextract "},
		{name: "Help", args: []string{"help"}, code: 0, stdoutHas: "Commands:"},
		{name: "HelpFlag", args: []string{"--help"}, code: 0, stdoutHas: "Commands:"},
		{name: "UnknownCommand", args: []string{"bogus"}, code: 2, stderrHas: `unknown command "bogus"`},
		{name: "WailsFlagInProduction", args: []string{"-devserver", "localhost:34115"}, prodOnly: true, code: 2, stderrHas: "unknown flag -devserver"},
		{name: "BadFlag", args: []string{"version", "--bogus"}, code: 2, stderrHas: "flag provided but not defined"},
	}
	for _, b := range []struct{ name, path string }{{"production", *binary}, {"dev", *devBinary}} {
		bin := absPath(t, b.path)
		for _, tt := range tests {
			if tt.prodOnly && b.name != "production" {
				continue
			}
			t.Run(b.name+"/"+tt.name, func(t *testing.T) { checkHeadless(t, bin, tt.args, tt.code, tt.stdoutHas, tt.stderrHas) })
		}
	}
}

func checkHeadless(t *testing.T, bin string, args []string, wantCode int, stdoutHas, stderrHas string) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = withoutDisplay(os.Environ())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != wantCode || !strings.Contains(stdout.String(), stdoutHas) || !strings.Contains(stderr.String(), stderrHas) {
		t.Errorf("%s %s: exit %d, want %d (stdout must hold %q, stderr %q)\nstdout: %s\nstderr: %s",
			filepath.Base(bin), strings.Join(args, " "), code, wantCode, stdoutHas, stderrHas, &stdout, &stderr)
	}
	if strings.Contains(stderr.String(), "GTK") {
		t.Errorf("a headless command touched GTK:\n%s", &stderr)
	}
}

func withoutDisplay(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestDevBinaryServesBrowserEndpoint starts the dev-tagged binary with Wails'
// own flags, as the browser end-to-end tests will, and fetches the app's page
// from its browser endpoint.
func TestDevBinaryServesBrowserEndpoint(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: run under xvfb-run (make test-window)")
	}
	bin := absPath(t, *devBinary)
	assetdir, err := filepath.Abs("../../frontend/dist")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	addr := freeAddr(t)
	cmd := exec.Command(bin, "-devserver", addr, "-assetdir", assetdir, "-loglevel", "error")
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "HUBEXTRACT_READY_FILE="+ready)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	app := launch(t, cmd)

	var page string
	err = poll(ctx, app, func() (bool, error) {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			return false, nil // not listening yet
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		page = string(body)
		return err == nil && resp.StatusCode == http.StatusOK, nil
	})
	if err != nil {
		t.Fatalf("no page at http://%s/: %v\n%s", addr, err, &log)
	}
	for _, want := range []string{"<title>HubSpot Extractor</title>", `<div id="app">`} {
		if !strings.Contains(page, want) {
			t.Errorf("page at http://%s/ lacks %q:\n%s", addr, want, page)
		}
	}

	// The window's own page reports ready too. Wait for it before SIGTERM:
	// GTK ignores a quit that arrives before its main loop runs.
	if err := app.waitFor(ctx, ready); err != nil {
		t.Fatalf("the dev window's page never reported ready: %v\n%s", err, &log)
	}
	if err := app.stop(ctx); err != nil {
		t.Errorf("dev binary: %v\n%s", err, &log)
	}
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func absPath(t *testing.T, path string) string {
	t.Helper()
	bin, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no binary to test (make build first): %v", err)
	}
	return bin
}
