// Package window tests the built desktop binary from the outside: its window
// rendered under Xvfb and screenshotted, and its headless subcommands run with
// no display. The tests carry the windowtest build tag, so `go test ./...`
// skips them; `make test-window` builds the binary and runs them under
// xvfb-run. The package has no code of its own.
package window
