package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the release this binary was built from, set at build time with
// -ldflags "-X hubextract/backend/cli.Version=v1.2.3". "dev" marks a build
// made without it.
var Version = "dev"

func init() {
	register(command{
		name:    "version",
		summary: "print the version",
		usage:   "hubextract version",
		run:     runVersion,
	})
}

func runVersion(_ context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("version", "hubextract version")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	fmt.Fprintf(env.Stdout, "hubextract %s (%s%s %s/%s)\n", Version, revision(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// revision is the commit the Go toolchain stamped into the binary, as
// "commit 0123abcd, " (with "+dirty" for uncommitted changes), or "" when it
// stamped none (go test, go run).
func revision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return ""
	}
	return fmt.Sprintf("commit %.12s%s, ", rev, dirty)
}
