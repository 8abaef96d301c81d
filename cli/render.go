package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/runner"
)

// terminal renders a check's events for a person, as they arrive.
type terminal struct {
	w     io.Writer
	st    markdown.Style
	dir   string // the exercise's directory, to print clickable paths
	phase string
	bol   bool // at the beginning of an output line
	fails []runner.Event
	diags map[int]runner.Event // diagnostic events, by ID

	started, ended bool // the check's start and verdict were rendered
}

func newTerminal(w io.Writer, color bool, dir string) *terminal {
	return &terminal{w: w, st: markdown.Style{On: color}, dir: dir, bol: true}
}

// Emit renders one event.
func (t *terminal) Emit(e runner.Event) {
	st := t.st
	switch e.Type {
	case runner.TypeStart:
		t.started = true
		fmt.Fprintf(t.w, "%s %s\n", st.Bold("Checking"), st.Cyan(e.Exercise))
	case runner.TypeStep:
		if e.Phase != "" && e.Phase != t.phase {
			t.phase = e.Phase
			fmt.Fprintf(t.w, "\n%s\n", st.Bold(e.Phase))
		}
		fmt.Fprintf(t.w, "%s %s\n", st.Dim("$"), e.Cmd)
	case runner.TypeOutput:
		t.output(e)
	case runner.TypeStepEnd:
		t.endLine()
		took := time.Duration(*e.DurationMS) * time.Millisecond
		switch {
		case e.Reason != "":
			fmt.Fprintf(t.w, "%s %s\n", st.Red("  stopped:"), st.Dim(e.Reason+" after "+took.String()))
		case *e.ExitCode == 0:
			fmt.Fprintf(t.w, "%s\n", st.Dim(fmt.Sprintf("  exit 0 (%s)", took)))
		default:
			fmt.Fprintf(t.w, "%s\n", st.Dim(fmt.Sprintf("  exit %d (%s)", *e.ExitCode, took)))
		}
	case runner.TypeDiagnostic:
		if t.diags == nil {
			t.diags = make(map[int]runner.Event)
		}
		t.diags[e.ID] = e
	case runner.TypeQueued:
		if e.Place == 1 {
			fmt.Fprintf(t.w, "%s\n", st.Dim("Waiting for a free slot: another check is running on this computer; yours is next."))
		} else {
			fmt.Fprintf(t.w, "%s\n", st.Dim(fmt.Sprintf("Waiting for a free slot: %d checks are ahead of yours.", e.Place-1)))
		}
	case runner.TypeFailure:
		t.fails = append(t.fails, e)
	case runner.TypeVerdict:
		t.ended = true
		t.endLine()
		took := time.Duration(*e.DurationMS) * time.Millisecond
		if e.Reason == runner.ReasonEnvironment {
			fmt.Fprintf(t.w, "\n%s %s\n  %s %s\n", st.Yellow("! NOT CHECKED"), e.Exercise, st.Bold("Not your code:"), e.Message)
			return
		}
		if e.Reason == runner.ReasonCanceled {
			fmt.Fprintf(t.w, "\n%s %s %s\n", st.Yellow("■ STOPPED"), e.Exercise, st.Dim("nothing of the check is left running"))
			return
		}
		if *e.Pass {
			fmt.Fprintf(t.w, "\n%s %s %s\n", st.Green("✓ PASS"), e.Exercise, st.Dim(took.Round(10*time.Millisecond).String()))
			return
		}
		fmt.Fprintf(t.w, "\n%s %s %s\n", st.Red("✗ FAIL"), e.Exercise, st.Dim(took.Round(10*time.Millisecond).String()))
		if e.Message != "" {
			fmt.Fprintf(t.w, "  %s %s\n", st.Bold("Not met yet:"), e.Message)
		}
		for _, f := range t.fails {
			fmt.Fprintf(t.w, "  %s\n", t.failure(f))
			if f.Text != "" {
				fmt.Fprintln(t.w, indent(f.Text, "      "))
			}
			t.excerpts(f)
		}
	}
}

// failure formats a failure with the learner's file:line first, so that
// terminals and editors can jump to it.
func (t *terminal) failure(f runner.Event) string {
	if f.File == "" {
		return "• " + f.Message
	}
	return fmt.Sprintf("• %s: %s", t.location(f.File, f.Line, f.Col), f.Message)
}

// location formats file:line:col in the learner's exercise, relative to the
// current directory, as a clickable link (OSC 8) in a color terminal.
func (t *terminal) location(file string, line, col int) string {
	path := filepath.Join(t.dir, file)
	loc := relPath(path)
	if line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, line)
		if col > 0 {
			loc = fmt.Sprintf("%s:%d", loc, col)
		}
	}
	if !t.st.On {
		return loc
	}
	abs, _ := filepath.Abs(path)
	return "\x1b]8;;file://" + abs + "\x1b\\" + t.st.Yellow(loc) + "\x1b]8;;\x1b\\"
}

// output prints program output with a gutter, so it stands apart from the
// workbook's own lines.
func (t *terminal) output(e runner.Event) {
	// stdout and stderr stand apart by their gutter, not by an alarming
	// color: stderr is mostly the compiler's notes (-gcflags=-m).
	gutter := t.st.Dim("│ ")
	switch e.Stream {
	case runner.Note:
		gutter = t.st.Yellow("! ")
	case runner.Stderr:
		gutter = t.st.Dim("┆ ")
	}
	for text := e.Text; text != ""; {
		line, rest, nl := strings.Cut(text, "\n")
		if t.bol {
			io.WriteString(t.w, "  "+gutter)
		}
		io.WriteString(t.w, line)
		if nl {
			io.WriteString(t.w, "\n")
		}
		t.bol = nl
		text = rest
	}
}

func (t *terminal) endLine() {
	if !t.bol {
		io.WriteString(t.w, "\n")
		t.bol = true
	}
}

// jsonLines writes each event as one JSON object per line: the contract of
// `workbook check --json`, the same objects the site's websocket sends.
type jsonLines struct{ enc *json.Encoder }

func newJSONLines(w io.Writer) *jsonLines {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonLines{enc}
}

// Emit writes e.
func (j *jsonLines) Emit(e runner.Event) { _ = j.enc.Encode(e) }

// relPath returns p relative to the current directory when that is shorter.
func relPath(p string) string {
	if wd, err := filepath.Abs("."); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && len(rel) < len(p) {
			return rel
		}
	}
	return p
}
