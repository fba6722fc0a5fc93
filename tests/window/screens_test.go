//go:build windowtest

package window

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The screens in navigation order (frontend/src/lib/screens.ts).
var screenNames = []string{"welcome", "extract", "overview", "history", "records", "export", "settings"}

// Layout of frontend/src/components/Nav.svelte: the centre of the first
// item and the distance between items.
const (
	navFirstItemY = 90
	navItemStep   = 40.5
	navItemX      = 16 // inside the active item's highlight, left of its text
)

// The highlight of the active navigation item (--accent-soft), per theme.
var activeItem = map[string]color.RGBA{"light": rgb(248, 223, 207), "dark": rgb(58, 42, 31)}

// TestScreensRender opens the production window on each screen, in both
// themes, over a database filled by `hubextract demo`, and keeps a
// screenshot of each: test-artifacts/window/screen-<screen>-<theme>.png. A
// screen passes when the page reports it rendered that screen, the window
// shows the app's surfaces with that screen's navigation item active, the
// page area holds content, and the picture has settled.
func TestScreensRender(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: run under xvfb-run (make test-window)")
	}
	bin := absPath(t, *binary)
	if err := os.MkdirAll(*artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fillSampleDatabase(t, bin, dir)

	hashes := map[string]string{}
	for _, theme := range []struct{ name, gtk string }{{"light", "Adwaita"}, {"dark", "Adwaita:dark"}} {
		want := light
		if theme.name == "dark" {
			want = dark
		}
		for i, screen := range screenNames {
			t.Run(screen+"-"+theme.name, func(t *testing.T) {
				shot := filepath.Join(*artifacts, "screen-"+screen+"-"+theme.name)
				img := checkScreen(t, bin, dir, theme.gtk, screen, i, want, activeItem[theme.name], shot)
				h := fmt.Sprintf("%x", sha256.Sum256(img))
				if other, dup := hashes[h]; dup {
					t.Errorf("%s looks exactly like %s", screen+"-"+theme.name, other)
				}
				hashes[h] = screen + "-" + theme.name
			})
		}
	}
}

// fillSampleDatabase runs `hubextract demo` for the app folder dir/config,
// which fills the sample data's own database there, and makes the sample
// data that folder's source.
func fillSampleDatabase(t *testing.T, bin, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "demo", "--scale", "40", "--latency", "0", "--rate", "250")
	cmd.Env = append(withoutDisplay(os.Environ()), "HUBEXTRACT_CONFIG_DIR="+filepath.Join(dir, "config"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hubextract demo: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "config")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	settings := `{"rate_per_10s": 100, "search_rate": 4, "concurrency": 6, "database_path": "", "full_run_every_days": 7, "source": "sample", "objects": null}`
	if err := os.WriteFile(filepath.Join(cfg, "settings.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkScreen opens the window on screen and returns its settled page area
// as bytes (for comparing screens).
func checkScreen(t *testing.T, bin, dir, gtkTheme, screen string, index int, want palette, active color.RGBA, artifact string) []byte {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	start := time.Now()
	app, ready := openWindow(t, bin, artifact,
		"HUBEXTRACT_CONFIG_DIR="+filepath.Join(dir, "config"),
		"HUBEXTRACT_DB="+filepath.Join(dir, "hubextract.db"),
		"HUBEXTRACT_START_SCREEN="+screen,
		"XDG_CONFIG_HOME="+dir,
		"GTK_THEME="+gtkTheme,
	)
	if err := app.waitFor(ctx, ready); err != nil {
		t.Fatalf("page never reported ready: %v (log: %s)", err, artifact+".log")
	}
	if got, _ := os.ReadFile(ready); strings.TrimSpace(string(got)) != "ready "+screen {
		t.Fatalf("the page reported %q, want %q", got, "ready "+screen)
	}
	win, err := findWindow(ctx, "HubSpot Extractor")
	if err != nil {
		t.Fatal(err)
	}
	shot := artifact + ".png"
	var problems []string
	var prev []byte
	err = poll(ctx, app, func() (bool, error) {
		img, err := screenshot(ctx, shot)
		if err != nil {
			return false, err
		}
		problems = checkPage(img, win, want, false, 0.01, 0.75)
		if c := img.At(win.Min.X+navItemX, win.Min.Y+navFirstItemY+int(float64(index)*navItemStep)); !near(c, active) {
			problems = append(problems, fmt.Sprintf("navigation item %d (%s) is %v, want the active highlight %v", index, screen, rgbOf(c), active))
		}
		page := pageBytes(img, win)
		settled := bytes.Equal(page, prev)
		prev = page
		return len(problems) == 0 && settled, nil
	})
	if err != nil && len(problems) == 0 {
		problems = []string{"the picture kept changing"}
	}
	if err != nil {
		t.Fatalf("the %s screen did not render (%v); screenshot %s:\n%s", screen, err, shot, strings.Join(problems, "\n"))
	}
	t.Logf("%s settled %v after launch; screenshot %s", screen, time.Since(start).Round(time.Millisecond), shot)
	if err := app.stop(ctx); err != nil {
		t.Error(err)
	}
	return prev
}

// pageBytes is the page area of the window (right of the navigation, below
// the header) as raw pixels.
func pageBytes(img image.Image, w image.Rectangle) []byte {
	var b bytes.Buffer
	for y := w.Min.Y + headerHeight; y < w.Max.Y; y += 2 {
		for x := w.Min.X + navWidth; x < w.Max.X; x += 2 {
			c := rgbOf(img.At(x, y))
			b.Write([]byte{c.R, c.G, c.B})
		}
	}
	return b.Bytes()
}
