// Package cli owns hubextract's headless command line: the registry of
// subcommands, their dispatch, usage text and exit codes. Each subcommand
// lives in its own file and registers itself from init(). The package runs
// without a display and must not import Wails.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK          = 0
	exitFailure     = 1 // with a one-line reason on stderr
	exitUsage       = 2
	exitInterrupted = 130
)

// command is one subcommand. run gets the arguments after the subcommand's
// name and returns the exit code; it parses them with env.newFlagSet first and
// returns 2 when parsing fails.
type command struct {
	name, summary, usage string
	run                  func(ctx context.Context, env *Env, args []string) int
}

var commands = map[string]command{}

// register adds a subcommand; it is called from init() in the subcommand's
// file, so a duplicate name is a programming error.
func register(c command) {
	if c.name == "" || c.run == nil {
		panic("cli: register needs a name and a run function")
	}
	if _, dup := commands[c.name]; dup {
		panic("cli: command " + c.name + " registered twice")
	}
	commands[c.name] = c
}

// Env is what a subcommand may talk to: its standard streams.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	account string // --account, once parsed (dbFlag)
}

// newFlagSet returns a flag set that reports errors on Stderr instead of
// exiting, and whose usage text starts with usage (a line such as
// "hubextract export --db PATH --object TYPE").
func (e *Env) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "usage: %s\n", usage)
		if hasFlags(fs) {
			fmt.Fprintln(e.Stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// flagAliases are the flags that stand for a command when they come first.
var flagAliases = map[string]string{
	"-h": "help", "-help": "help", "--help": "help",
	"-version": "version", "--version": "version",
}

// IsCommand reports whether name is a registered subcommand or one of the
// flags that stand for one (-h, --help, -version, --version).
func IsCommand(name string) bool {
	if alias, ok := flagAliases[name]; ok {
		name = alias
	}
	_, ok := commands[name]
	return ok
}

// Main runs the subcommand named by args[0] with the rest of args and returns
// the process exit code. A cancelled ctx turns a failure into 130.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 {
		printUsage(env.Stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	if alias, ok := flagAliases[name]; ok {
		name = alias
	}
	c, ok := commands[name]
	if !ok {
		if strings.HasPrefix(name, "-") {
			fmt.Fprintf(env.Stderr, "hubextract: unknown flag %s\n\n", name)
		} else {
			fmt.Fprintf(env.Stderr, "hubextract: unknown command %q\n\n", name)
		}
		printUsage(env.Stderr)
		return exitUsage
	}
	code := c.run(ctx, env, rest)
	if code != exitOK && !(code == exitUsage && asksForHelp(rest)) {
		// A mark in the log beside the client's warnings; the reason itself
		// is the last line on stderr. A run that went well writes nothing.
		slog.Warn("hubextract "+name+": failed", "exit", code, "interrupted", ctx.Err() != nil)
	}
	switch {
	case code == exitUsage && asksForHelp(rest):
		// The flag set printed the usage the user asked for: not an error.
		return exitOK
	case code == exitFailure && ctx.Err() != nil:
		return exitInterrupted
	}
	return code
}

// asksForHelp reports whether args hold -h or --help before a "--".
func asksForHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		}
		if flagAliases[a] == "help" {
			return true
		}
	}
	return false
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `usage: hubextract [COMMAND [FLAGS]]

With no command, hubextract opens the desktop app.

Commands:
`)
	names := make([]string, 0, len(commands))
	width := 0
	for n := range commands {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprint(w, "\nRun 'hubextract help COMMAND' for a command's usage.\n")
}

func init() {
	register(command{
		name:    "help",
		summary: "show the commands, or one command's usage",
		usage:   "hubextract help [COMMAND]",
		run:     runHelp,
	})
}

func runHelp(_ context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("help", "hubextract help [COMMAND]")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	switch fs.NArg() {
	case 0:
		printUsage(env.Stdout)
		return exitOK
	case 1:
	default:
		fs.Usage()
		return exitUsage
	}
	c, ok := commands[fs.Arg(0)]
	if !ok {
		fmt.Fprintf(env.Stderr, "hubextract help: unknown command %q\n\n", fs.Arg(0))
		printUsage(env.Stderr)
		return exitUsage
	}
	fmt.Fprintf(env.Stdout, "usage: %s\n\n%s.\n", c.usage, capitalise(c.summary))
	fmt.Fprintf(env.Stdout, "\nRun 'hubextract %s -h' for its flags.\n", c.name)
	return exitOK
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
