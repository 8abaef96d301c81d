// Package cli implements the workbook command: it parses the command line,
// finds the workspace and runs the subcommands on it. main only calls Main.
//
// One table (commands) drives the dispatch, `workbook help`, `workbook help
// CMD` and the "did you mean" answer to a mistyped command.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
)

// Exit statuses.
const (
	ExitPass  = 0 // the command did what was asked; a check passed
	ExitFail  = 1 // a check (or verification) failed
	ExitUsage = 2 // bad usage, or the environment cannot run checks
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errCheckFailed makes Main exit with ExitFail after the failure was reported.
var errCheckFailed = errors.New("check failed")

// Main runs the workbook command with args (without the program name) and
// returns the exit status. Ctrl-C, SIGTERM and SIGHUP (the terminal closed)
// stop it the same way: every check it started is stopped first.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	err := run(ctx, args, stdin, stdout, stderr)
	switch {
	case err == nil:
		return ExitPass
	case errors.Is(err, errCheckFailed):
		return ExitFail
	}
	fmt.Fprintf(stderr, "workbook: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "Run `workbook help` for usage.")
	}
	// Everything else is a usage or environment problem: an unknown
	// exercise, a missing toolchain, a workspace that cannot be written.
	return ExitUsage
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("workbook", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	wsFlag := fs.String("workspace", "", "the workspace directory")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	args = fs.Args()
	cat, err := exercises.Embedded()
	if err != nil {
		return err
	}
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, cat: cat, wsFlag: *wsFlag,
		color: useColor(stdout), md: markdown.New(markdown.Default), noWarm: os.Getenv("WORKBOOK_NO_WARM") != ""}
	defer a.closeRoom()
	if len(args) == 0 {
		return a.cmdStatus()
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help":
		name = "help"
	}
	cmd := lookupCommand(name)
	if cmd == nil {
		if s := exercises.Suggest(name, commandNames()); len(s) > 0 {
			return usagef("unknown command %q; did you mean %q?", exercises.Shorten(name), s[0])
		}
		return usagef("unknown command %q", exercises.Shorten(name))
	}
	var f flags
	cfs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	cfs.SetOutput(io.Discard)
	if cmd.flags != nil {
		cmd.flags(cfs, &f)
	}
	pos, err := parseFlags(cfs, rest)
	if err != nil {
		return usagef("%v; usage: %s", err, cmd.synopsis())
	}
	if len(pos) < cmd.nargs[0] || cmd.nargs[1] >= 0 && len(pos) > cmd.nargs[1] {
		return usagef("usage: %s", cmd.synopsis())
	}
	a.flags = f
	return cmd.run(a, pos)
}

// command is one subcommand of workbook.
type command struct {
	name    string
	args    string // its arguments and flags, as the usage line shows them
	summary string // one line, for `workbook help`
	help    string // more, for `workbook help NAME` (optional)
	nargs   [2]int // positional arguments: at least, at most (-1: any number)
	flags   func(fs *flag.FlagSet, f *flags)
	run     func(a *app, args []string) error
}

func (c *command) synopsis() string {
	if c.args == "" {
		return "workbook " + c.name
	}
	return "workbook " + c.name + " " + c.args
}

// flags holds the subcommands' flags; each command declares the ones it takes.
type flags struct {
	json, all, poll, noOpen, allowRemote, quiet, noWarm, verbose bool
	addr, name                                                   string
	parallel, stuckMinutes, stuckChecks                          int
	exports                                                      []string
}

// lookupCommand returns the named command, or nil.
func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// usage is `workbook help`: every command, from the table.
func usage() string {
	var b strings.Builder
	b.WriteString("workbook — learn the Go bugs that ship to production, and prove your fixes.\n\n")
	b.WriteString("Usage: workbook [--workspace DIR] <command> [arguments]\n\nCommands:\n")
	for _, c := range commands() {
		line := "  " + c.name
		if c.args != "" {
			line += " " + c.args
		}
		if len(line) > 27 {
			fmt.Fprintf(&b, "%s\n%28s%s\n", line, "", c.summary)
		} else {
			fmt.Fprintf(&b, "%-28s%s\n", line, c.summary)
		}
	}
	b.WriteString(`
The workspace is found in the current directory or its parents, or given with
--workspace DIR or $WORKBOOK_WORKSPACE. In a clone of the repository, commands
use (and create) ./my-workspace. ` + "`workbook help COMMAND`" + ` says more about one.

Exit status: 0 pass, 1 check failed, 2 usage or environment error.
`)
	return b.String()
}

func cmdHelp(a *app, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(a.stdout, usage())
		return nil
	}
	c := lookupCommand(args[0])
	if c == nil {
		if s := exercises.Suggest(args[0], commandNames()); len(s) > 0 {
			return usagef("there is no command %q; did you mean %q?", exercises.Shorten(args[0]), s[0])
		}
		return usagef("there is no command %q", exercises.Shorten(args[0]))
	}
	fmt.Fprintf(a.stdout, "Usage: %s\n\n%s\n", c.synopsis(), c.summary)
	if c.help != "" {
		fmt.Fprintf(a.stdout, "\n%s\n", strings.TrimSpace(c.help))
	}
	if c.flags != nil {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.flags(fs, new(flags))
		fmt.Fprintln(a.stdout, "\nFlags:")
		fs.SetOutput(a.stdout)
		fs.PrintDefaults()
	}
	return nil
}

// parseFlags parses a subcommand's flags, allowing them after positional
// arguments too (`check NAME --json`), and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// useColor reports whether w is a terminal that wants color.
func useColor(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
