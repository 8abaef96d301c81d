package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/runner"
)

// style wraps text in ANSI colors when enabled.
type style struct{ on bool }

func (s style) wrap(code, text string) string {
	if !s.on || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string   { return s.wrap("1", t) }
func (s style) dim(t string) string    { return s.wrap("2", t) }
func (s style) red(t string) string    { return s.wrap("1;31", t) }
func (s style) green(t string) string  { return s.wrap("1;32", t) }
func (s style) yellow(t string) string { return s.wrap("33", t) }
func (s style) cyan(t string) string   { return s.wrap("36", t) }

// terminal renders a check's events for a person, as they arrive.
type terminal struct {
	w     io.Writer
	st    style
	dir   string // the exercise's directory, to print clickable paths
	phase string
	bol   bool // at the beginning of an output line
	fails []runner.Event
}

func newTerminal(w io.Writer, color bool, dir string) *terminal {
	return &terminal{w: w, st: style{color}, dir: dir, bol: true}
}

// Emit renders one event.
func (t *terminal) Emit(e runner.Event) {
	st := t.st
	switch e.Type {
	case runner.TypeStart:
		fmt.Fprintf(t.w, "%s %s\n", st.bold("Checking"), st.cyan(e.Exercise))
	case runner.TypeStep:
		if e.Phase != "" && e.Phase != t.phase {
			t.phase = e.Phase
			fmt.Fprintf(t.w, "\n%s\n", st.bold(e.Phase))
		}
		fmt.Fprintf(t.w, "%s %s\n", st.dim("$"), e.Cmd)
	case runner.TypeOutput:
		t.output(e)
	case runner.TypeStepEnd:
		t.endLine()
		took := time.Duration(*e.DurationMS) * time.Millisecond
		switch {
		case e.Reason != "":
			fmt.Fprintf(t.w, "%s %s\n", st.red("  stopped:"), st.dim(e.Reason+" after "+took.String()))
		case *e.ExitCode == 0:
			fmt.Fprintf(t.w, "%s\n", st.dim(fmt.Sprintf("  exit 0 (%s)", took)))
		default:
			fmt.Fprintf(t.w, "%s\n", st.dim(fmt.Sprintf("  exit %d (%s)", *e.ExitCode, took)))
		}
	case runner.TypeFailure:
		t.fails = append(t.fails, e)
	case runner.TypeVerdict:
		t.endLine()
		took := time.Duration(*e.DurationMS) * time.Millisecond
		if *e.Pass {
			fmt.Fprintf(t.w, "\n%s %s %s\n", st.green("✓ PASS"), e.Exercise, st.dim(took.Round(10*time.Millisecond).String()))
			return
		}
		fmt.Fprintf(t.w, "\n%s %s %s\n", st.red("✗ FAIL"), e.Exercise, st.dim(took.Round(10*time.Millisecond).String()))
		if e.Message != "" {
			fmt.Fprintf(t.w, "  %s\n", st.bold(e.Message))
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
	if !t.st.on {
		return loc
	}
	abs, _ := filepath.Abs(path)
	return "\x1b]8;;file://" + abs + "\x1b\\" + t.st.yellow(loc) + "\x1b]8;;\x1b\\"
}

// output prints program output with a gutter, so it stands apart from the
// workbook's own lines.
func (t *terminal) output(e runner.Event) {
	gutter := t.st.dim("│ ")
	if e.Stream == runner.Note {
		gutter = t.st.yellow("! ")
	}
	for text := e.Text; text != ""; {
		line, rest, nl := strings.Cut(text, "\n")
		if t.bol {
			io.WriteString(t.w, "  "+gutter)
		}
		if e.Stream == runner.Stderr {
			line = t.st.wrap("0", line)
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
