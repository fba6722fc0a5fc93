package schedule

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Where a job is installed (Installer.Kind).
const (
	KindSystemd = "systemd user timer"
	KindCrontab = "crontab"
	KindWindows = "Task Scheduler task"
	KindLaunchd = "launchd agent"
)

// ErrNoScheduler: this Linux computer has neither a systemd user manager
// running nor crontab, so no job can run while the app is closed.
var ErrNoScheduler = errors.New("this computer has neither a systemd user manager running nor cron (crontab): " +
	"install cron, or keep the app open for scheduled refreshes")

// Installer puts jobs into this computer's scheduler for the user: on Linux
// a systemd user timer when a user manager runs, else a crontab line; a
// Task Scheduler task on Windows; a launchd agent on macOS.
type Installer struct {
	GOOS string // runtime.GOOS outside tests
	Home string // the user's home folder
}

// NewInstaller is the installer of this computer.
func NewInstaller() (Installer, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Installer{}, fmt.Errorf("scheduled jobs: find the home folder: %w", err)
	}
	return Installer{GOOS: runtime.GOOS, Home: home}, nil
}

// Kind is the scheduler jobs go into.
func (in Installer) Kind(ctx context.Context) string {
	switch in.GOOS {
	case "windows":
		return KindWindows
	case "darwin":
		return KindLaunchd
	}
	out, _ := exec.CommandContext(ctx, "systemctl", "--user", "is-system-running").Output()
	switch strings.TrimSpace(string(out)) {
	case "running", "degraded", "starting":
		return KindSystemd
	}
	return KindCrontab
}

func (in Installer) systemdDir() string { return filepath.Join(in.Home, ".config", "systemd", "user") }

func (in Installer) plistPath(j Job) string {
	return filepath.Join(in.Home, "Library", "LaunchAgents", j.LaunchdLabel()+".plist")
}

// Install puts j in (replacing an earlier j) and says where.
func (in Installer) Install(ctx context.Context, j Job) (string, error) {
	kind := in.Kind(ctx)
	var err error
	switch kind {
	case KindSystemd:
		err = in.installSystemd(ctx, j)
	case KindCrontab:
		err = editCrontab(ctx, j.WithCrontabLine)
	case KindWindows:
		err = in.installWindows(ctx, j)
	case KindLaunchd:
		err = in.installLaunchd(ctx, j)
	}
	if err != nil {
		return kind, fmt.Errorf("install the %s %s: %w", kind, j.Name, err)
	}
	return kind, nil
}

// Remove takes j out, leaving nothing of it behind; a job not installed is
// no error.
func (in Installer) Remove(ctx context.Context, j Job) (string, error) {
	kind := in.Kind(ctx)
	var err error
	switch kind {
	case KindSystemd:
		_ = run(ctx, nil, "systemctl", "--user", "disable", "--now", j.Name+".timer")
		err = errors.Join(removeFile(filepath.Join(in.systemdDir(), j.Name+".timer")),
			removeFile(filepath.Join(in.systemdDir(), j.Name+".service")))
		if err == nil {
			err = run(ctx, nil, "systemctl", "--user", "daemon-reload")
		}
	case KindCrontab:
		err = editCrontab(ctx, func(c string) (string, error) { return j.WithoutCrontabLine(c), nil })
		if errors.Is(err, ErrNoScheduler) {
			err = nil // nothing can be installed, so nothing is
		}
	case KindWindows:
		if _, qerr := exec.CommandContext(ctx, "schtasks", "/Query", "/TN", j.Name).Output(); qerr == nil {
			err = run(ctx, nil, "schtasks", "/Delete", "/TN", j.Name, "/F")
		}
	case KindLaunchd:
		_ = run(ctx, nil, "launchctl", "bootout", "gui/"+strconv.Itoa(os.Getuid()), in.plistPath(j))
		err = removeFile(in.plistPath(j))
	}
	if err != nil {
		return kind, fmt.Errorf("remove the %s %s: %w", kind, j.Name, err)
	}
	return kind, nil
}

func (in Installer) installSystemd(ctx context.Context, j Job) error {
	service, timer, err := j.SystemdUnits()
	if err != nil {
		return err
	}
	dir := in.systemdDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := errors.Join(os.WriteFile(filepath.Join(dir, j.Name+".service"), []byte(service), 0o644),
		os.WriteFile(filepath.Join(dir, j.Name+".timer"), []byte(timer), 0o644)); err != nil {
		return err
	}
	if err := run(ctx, nil, "systemctl", "--user", "daemon-reload"); err != nil {
		return err
	}
	return run(ctx, nil, "systemctl", "--user", "enable", "--now", j.Name+".timer")
}

func (in Installer) installWindows(ctx context.Context, j Job) error {
	x, err := j.TaskSchedulerXML()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "hubextract-task-*.xml")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	// schtasks reads the file as its declaration says: UTF-16, with a BOM.
	u := utf16.Encode([]rune(x))
	b := []byte{0xFF, 0xFE}
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	if err := errors.Join(func() error { _, err := f.Write(b); return err }(), f.Close()); err != nil {
		return err
	}
	return run(ctx, nil, "schtasks", "/Create", "/TN", j.Name, "/XML", f.Name(), "/F")
}

func (in Installer) installLaunchd(ctx context.Context, j Job) error {
	p, err := j.LaunchdPlist()
	if err != nil {
		return err
	}
	path := in.plistPath(j)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	domain := "gui/" + strconv.Itoa(os.Getuid())
	_ = run(ctx, nil, "launchctl", "bootout", domain, path) // an earlier one
	if err := os.WriteFile(path, []byte(p), 0o644); err != nil {
		return err
	}
	return run(ctx, nil, "launchctl", "bootstrap", domain, path)
}

// editCrontab rewrites the user's crontab through edit; an empty result
// removes it, so that nothing is left behind.
func editCrontab(ctx context.Context, edit func(string) (string, error)) error {
	if _, err := exec.LookPath("crontab"); err != nil {
		return ErrNoScheduler
	}
	var cur string
	out, err := exec.CommandContext(ctx, "crontab", "-l").Output()
	var exit *exec.ExitError
	switch {
	case err == nil:
		cur = string(out)
	case errors.As(err, &exit):
		// "no crontab for USER": nothing yet.
	default:
		return fmt.Errorf("read the crontab: %w", err)
	}
	next, err := edit(cur)
	if err != nil {
		return err
	}
	if next == cur {
		return nil
	}
	if strings.TrimSpace(next) == "" {
		return run(ctx, nil, "crontab", "-r")
	}
	return run(ctx, strings.NewReader(next), "crontab", "-")
}

// Installed reports whether j is in this computer's scheduler.
func (in Installer) Installed(ctx context.Context, j Job) bool {
	switch in.Kind(ctx) {
	case KindSystemd:
		_, err := os.Stat(filepath.Join(in.systemdDir(), j.Name+".timer"))
		return err == nil
	case KindCrontab:
		out, err := exec.CommandContext(ctx, "crontab", "-l").Output()
		return err == nil && strings.Contains(string(out), j.cronMarker())
	case KindWindows:
		return exec.CommandContext(ctx, "schtasks", "/Query", "/TN", j.Name).Run() == nil
	case KindLaunchd:
		_, err := os.Stat(in.plistPath(j))
		return err == nil
	}
	return false
}

func run(ctx context.Context, stdin *strings.Reader, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
