package lessons

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
)

// The site's playground: a lesson's program edited in the page and run
// again, with tools the lesson's own commands do not use. Such a run is one
// to look at (runner.Check.Explore), not a proof: it runs the lesson's
// commands with the tools' flags and compares nothing, since the lesson's
// output is about the lesson's code and flags.

// Tools are what a playground run adds to the lesson's commands.
type Tools struct {
	Race    bool // -race on every go build, go run and go test
	Escapes bool // -gcflags=-m on every go build, go run and go test without -gcflags of its own
	Allocs  bool // every go run prints the heap allocations of the program's lines (allocs.go)
}

// ParseTools reads the tools of a run message (runner.ClientMessage.Tools).
func ParseTools(names []string) (Tools, error) {
	var t Tools
	for _, n := range names {
		switch n {
		case runner.ToolRace:
			t.Race = true
		case runner.ToolEscapes:
			t.Escapes = true
		case runner.ToolAllocs:
			t.Allocs = true
		default:
			return t, fmt.Errorf("there is no tool %q: the tools are %s, %s and %s", exercises.Shorten(n), runner.ToolRace, runner.ToolEscapes, runner.ToolAllocs)
		}
	}
	return t, nil
}

// None reports whether no tool is on.
func (t Tools) None() bool { return t == Tools{} }

// String names the tools that are on, for a phase: "-race, -gcflags=-m".
func (t Tools) String() string {
	var on []string
	if t.Race {
		on = append(on, "-race")
	}
	if t.Escapes {
		on = append(on, "-gcflags=-m")
	}
	if t.Allocs {
		on = append(on, "allocation counts")
	}
	return strings.Join(on, ", ")
}

// Edit returns the program with the code src, the block's text as the
// learner edited it in the page: a Go file for a go block, a txtar archive
// for a txtar block, with the rules of a lesson's blocks (plain relative
// file names; a go.mod is added if there is none). The output blocks stay
// the lesson's. src equal to the lesson's Source, or "", gives p itself.
func (p *Program) Edit(src string) (*Program, error) {
	if src == "" || src == p.Source {
		return p, nil
	}
	files, err := programFiles(p.Lang, []byte(src))
	if err != nil {
		return nil, fmt.Errorf("the edited program: %w", err)
	}
	q := *p
	q.Source, q.Files = src, files
	return &q, nil
}

// Play returns the check of a playground run of the program, named name,
// with its code as the learner edited it (src, see Edit; "" for the
// lesson's): the lesson's own run (Check) when the code is the lesson's and
// no tool is on, else an exploring run (see the top of this file) of the
// lesson's commands with the tools' flags. That builds the program first (a
// compile error ends the run); and when no command of the lesson runs the
// program and it is a main package (or allocation counts are asked for and
// no command is a go run), it runs `go run .` too: an edited program is there
// to be run.
func (p *Program) Play(name, src string, tools Tools) (runner.Check, error) {
	q, err := p.Edit(src)
	if err != nil {
		return runner.Check{}, err
	}
	edited := q != p
	if !edited && tools.None() {
		return p.Check(name), nil
	}
	files := q.Files
	allocs := false
	if tools.Allocs {
		files, allocs = withAllocCounts(q.Files)
	}
	var b strings.Builder
	what, why := "The lesson's program", "the tools change what it prints"
	if edited {
		what, why = "Your version of the program", "you edited the program"
	}
	if tools.None() {
		fmt.Fprintf(&b, "# %s compiles.\ngo build ./...\n", what)
	} else {
		fmt.Fprintf(&b, "# %s compiles. Tools on: %s.\ngo build ./...\n", what, tools)
	}
	if hasTests(files) {
		b.WriteString("go test -count=1 -exec=true ./...\n")
	}
	var runs, goRun, escapes bool
	for _, o := range q.Outputs {
		args := o.Args
		switch args[0] {
		case "run", "test":
			runs = true
			goRun = goRun || args[0] == "run"
			fallthrough
		case "build":
			args = withTools(args, tools)
			escapes = escapes || slices.ContainsFunc(args, isGcflags)
		}
		fmt.Fprintf(&b, "# What `go %s` prints (not compared with the lesson: %s).\n", strings.Join(o.Args, " "), why)
		for _, kv := range o.Env {
			b.WriteString("env " + kv + "\n")
		}
		b.WriteString(goLine(args))
	}
	if isMain(files) && (!runs || allocs && !goRun) {
		b.WriteString("# What the program prints when it runs.\n")
		b.WriteString(goLine(withTools([]string{"run", "."}, tools)))
		escapes = escapes || tools.Escapes
	}
	if tools.Escapes && !escapes {
		b.WriteString("# What escapes to the heap.\ngo build -gcflags=-m ./...\n")
	}
	c := runner.Check{Name: name, Script: []byte(b.String()), Files: files, Explore: true}
	if tools.Allocs && !allocs {
		c.Notes = append(c.Notes, "No allocation counts: they are counted around func main of package main, and this program has none.")
	}
	return c, nil
}

// Why returns the check that says why each value of the program (as edited:
// src, see Edit) escapes: it builds the program with -gcflags=-m=2, and the
// runner sends each escaping value as a diagnostic event whose Why is one
// sentence (diagnostics.ExplainEscape). Nothing runs.
func (p *Program) Why(name, src string) (runner.Check, error) {
	q, err := p.Edit(src)
	if err != nil {
		return runner.Check{}, err
	}
	return runner.Check{
		Name:    name,
		Script:  []byte("# Why each value escapes: the compiler's escape analysis, explained (go build -gcflags=-m=2).\ngo build -gcflags=-m=2 ./...\n"),
		Files:   q.Files,
		Explore: true,
	}, nil
}

// withTools returns the arguments of a go build, run or test command with
// the tools' flags put after the subcommand.
func withTools(args []string, t Tools) []string {
	var flags []string
	if t.Race && !slices.Contains(args, "-race") {
		flags = append(flags, "-race")
	}
	if t.Escapes && !slices.ContainsFunc(args, isGcflags) {
		flags = append(flags, "-gcflags=-m")
	}
	return append(append([]string{args[0]}, flags...), args[1:]...)
}

// isGcflags reports whether a go command's argument sets -gcflags.
func isGcflags(a string) bool {
	return a == "-gcflags" || a == "--gcflags" || strings.HasPrefix(a, "-gcflags=") || strings.HasPrefix(a, "--gcflags=")
}

// goLine writes a go command as a script line, quoted.
func goLine(args []string) string {
	var b strings.Builder
	b.WriteString("go")
	for _, a := range args {
		b.WriteString(" " + script.Quote(a))
	}
	b.WriteString("\n")
	return b.String()
}

func hasTests(files map[string][]byte) bool {
	for name := range files {
		if strings.HasSuffix(name, "_test.go") {
			return true
		}
	}
	return false
}
