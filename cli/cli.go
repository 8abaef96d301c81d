// Package cli implements the workbook command: it parses the command line,
// finds the workspace and runs the subcommands on it. main only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-blindspots/workbook/exercises"
)

// Exit statuses.
const (
	ExitPass  = 0 // the command did what was asked; a check passed
	ExitFail  = 1 // a check (or verification) failed
	ExitUsage = 2 // bad usage, or the environment cannot run checks
)

const usage = `workbook — learn the Go bugs that ship to production, and prove your fixes.

Usage: workbook [--workspace DIR] <command> [arguments]

Commands:
  init [DIR]                make a workspace of exercises to edit (default: ./go-blindspots)
  list [--json]             every exercise and its status
  next                      the next exercise to do, and its task
  check [NAME|--all] [--json]
                            check an exercise (default: the current one)
  hint [NAME]               the next hint, one more each time
  reset NAME                restore the shipped code (yours is backed up first)
  solution NAME             the reference solution, once your check has passed
  verify [NAME...]          prove every exercise: shipped code fails, solution passes, wrong fixes fail
  watch [NAME] [--poll]     re-check on every save, then move on to the next exercise
  serve [--addr HOST:PORT] [--no-open] [--allow-remote]
                            the lessons and exercises in your browser, with live checks
  progress [--json]         a summary a workshop lead can collect
  warm                      compile what checks need now (init starts this in the background)

The workspace is found in the current directory or its parents, or given with
--workspace DIR or $WORKBOOK_WORKSPACE. In a clone of the repository, commands
use (and create) ./my-workspace.

Exit status: 0 pass, 1 check failed, 2 usage or environment error.
`

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errCheckFailed makes Main exit with ExitFail after the failure was reported.
var errCheckFailed = errors.New("check failed")

// Main runs the workbook command with args (without the program name) and
// returns the exit status.
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
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, cat: cat, wsFlag: *wsFlag, color: useColor(stdout)}
	if len(args) == 0 {
		return a.cmdStatus()
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "init":
		return a.cmdInit(rest)
	case "list":
		return a.cmdList(rest)
	case "next":
		return a.cmdNext(rest)
	case "check":
		return a.cmdCheck(rest)
	case "hint":
		return a.cmdHint(rest)
	case "reset":
		return a.cmdReset(rest)
	case "solution":
		return a.cmdSolution(rest)
	case "verify":
		return a.cmdVerify(rest)
	case "progress":
		return a.cmdProgress(rest)
	case "watch":
		return a.cmdWatch(rest)
	case "warm":
		return a.cmdWarm(rest)
	case "serve":
		return a.cmdServe(rest)
	}
	known := []string{"init", "list", "next", "check", "hint", "reset", "solution", "verify", "progress", "watch", "warm", "serve", "help"}
	if s := exercises.Suggest(cmd, known); len(s) > 0 {
		return usagef("unknown command %q; did you mean %q?", cmd, s[0])
	}
	return usagef("unknown command %q", cmd)
}

// flags parses a subcommand's flags, allowing them after positional arguments
// too (`check NAME --json`), and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s: %v", fs.Name(), err)
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
