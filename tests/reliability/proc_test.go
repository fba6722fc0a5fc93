package reliability

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"hubextract/backend/cli"
)

// concurrency is how many streams every extraction fetches at once.
const concurrency = 4

// extractArgs extracts from url into db with the client's own limits lifted
// (the fakes enforce none unless a case says so).
func extractArgs(url, db string, more ...string) []string {
	args := []string{"extract", "--base-url", url, "--token", secretToken, "--db", db, "--rate", "100000", "--search-rate", "1000",
		"--concurrency", fmt.Sprint(concurrency)}
	return append(args, more...)
}

// command prepares the binary with args; it dies with the test binary.
func command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

// runBin runs the binary to its end (two minutes at most) and returns its
// exit code (-1 when a signal ended it) and output.
func runBin(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("run hubextract %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// runCLI runs a command in this process, as the binary's main does: for
// the cases that wrap the fake or reach into the store.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Main(t.Context(), args, &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Writer(&errb)})
	return code, out.String(), errb.String()
}

// lastLine is the last non-empty line of s: the CLI's one-line reason.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// firstLine is the first line of s: the CLI's summary of a run.
func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
