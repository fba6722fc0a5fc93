package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func runMain(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(ctx, args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// withCommand registers c for the duration of the test.
func withCommand(t *testing.T, c command) {
	t.Helper()
	register(c)
	t.Cleanup(func() { delete(commands, c.name) })
}

func TestMain_ExitCodesAndOutput(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdoutHas  string
		stderrHas  string
		stdoutNone bool
	}{
		{name: "NoArgs", args: nil, code: 2, stderrHas: "usage: hubextract", stdoutNone: true},
		{name: "UnknownCommand", args: []string{"bogus"}, code: 2, stderrHas: `unknown command "bogus"`, stdoutNone: true},
		{name: "UnknownCommandListsCommands", args: []string{"bogus"}, code: 2, stderrHas: " version "},
		{name: "UnknownFlag", args: []string{"-devserver", "x"}, code: 2, stderrHas: "unknown flag -devserver"},
		{name: "Help", args: []string{"help"}, code: 0, stdoutHas: "Commands:\n"},
		{name: "HelpFlag", args: []string{"--help"}, code: 0, stdoutHas: "Commands:\n"},
		{name: "HelpShortFlag", args: []string{"-h"}, code: 0, stdoutHas: "Commands:\n"},
		{name: "HelpCommand", args: []string{"help", "version"}, code: 0, stdoutHas: "usage: hubextract version\n\nPrint the version."},
		{name: "HelpUnknownCommand", args: []string{"help", "bogus"}, code: 2, stderrHas: `unknown command "bogus"`},
		{name: "HelpTooManyArgs", args: []string{"help", "a", "b"}, code: 2, stderrHas: "usage: hubextract help [COMMAND]"},
		{name: "Version", args: []string{"version"}, code: 0, stdoutHas: "hubextract " + Version + " (" + runtime.Version()},
		{name: "VersionFlag", args: []string{"--version"}, code: 0, stdoutHas: "hubextract " + Version},
		{name: "VersionBadFlag", args: []string{"version", "--bogus"}, code: 2, stderrHas: "flag provided but not defined: -bogus"},
		{name: "VersionExtraArg", args: []string{"version", "now"}, code: 2, stderrHas: "usage: hubextract version"},
		{name: "CommandHelpFlag", args: []string{"version", "-h"}, code: 0, stderrHas: "usage: hubextract version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdoutHas) {
				t.Errorf("stdout = %q, want it to contain %q", stdout, tt.stdoutHas)
			}
			if !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.stderrHas)
			}
			if tt.stdoutNone && stdout != "" {
				t.Errorf("stdout = %q, want nothing on stdout for a usage error", stdout)
			}
		})
	}
}

func TestMain_HelpListsCommandsSorted(t *testing.T) {
	withCommand(t, command{name: "aaa", summary: "first", usage: "hubextract aaa", run: func(context.Context, *Env, []string) int { return 0 }})
	_, stdout, _ := runMain(t.Context(), "help")
	a, h, v := strings.Index(stdout, "  aaa "), strings.Index(stdout, "  help "), strings.Index(stdout, "  version ")
	if a < 0 || h < 0 || v < 0 || !(a < h && h < v) {
		t.Errorf("help output does not list aaa, help, version in order:\n%s", stdout)
	}
}

func TestMain_PassesArgsAndMapsInterrupt(t *testing.T) {
	var got []string
	withCommand(t, command{name: "probe", summary: "test", usage: "hubextract probe [--fail]", run: func(ctx context.Context, env *Env, args []string) int {
		fs := env.newFlagSet("probe", "hubextract probe [--fail]")
		fail := fs.Bool("fail", false, "fail")
		if err := fs.Parse(args); err != nil {
			return exitUsage
		}
		got = fs.Args()
		if *fail {
			env.Stderr.Write([]byte("probe: failed\n"))
			return exitFailure
		}
		return exitOK
	}})

	t.Run("OK", func(t *testing.T) {
		if code, _, _ := runMain(t.Context(), "probe", "x", "y"); code != 0 || strings.Join(got, ",") != "x,y" {
			t.Errorf("code %d args %q, want 0 and [x y]", code, got)
		}
	})
	t.Run("ErrFailure", func(t *testing.T) {
		if code, _, stderr := runMain(t.Context(), "probe", "--fail"); code != 1 || stderr != "probe: failed\n" {
			t.Errorf("code %d stderr %q, want 1 and the reason", code, stderr)
		}
	})
	t.Run("ErrBadFlag", func(t *testing.T) {
		code, _, stderr := runMain(t.Context(), "probe", "--nope")
		if code != 2 || !strings.Contains(stderr, "usage: hubextract probe [--fail]") || !strings.Contains(stderr, "-fail") {
			t.Errorf("code %d stderr %q, want 2 and the usage with flags", code, stderr)
		}
	})
	t.Run("ErrInterrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if code, _, _ := runMain(ctx, "probe", "--fail"); code != 130 {
			t.Errorf("code %d after cancel, want 130", code)
		}
	})
	t.Run("CancelledButSucceeded", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if code, _, _ := runMain(ctx, "probe"); code != 0 {
			t.Errorf("code %d for a command that finished cleanly, want 0", code)
		}
	})
}

func TestIsCommand(t *testing.T) {
	for name, want := range map[string]bool{
		"help": true, "version": true, "-h": true, "--help": true, "--version": true,
		"bogus": false, "": false, "-devserver": false, "--db": false,
	} {
		if got := IsCommand(name); got != want {
			t.Errorf("IsCommand(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestOpenDB_ErrUnusablePath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(file, "sub", "x.db") // a path under a regular file
	if _, err := openDB(t.Context(), bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("openDB(%q) error = %v, want one naming the path", bad, err)
	}
}
