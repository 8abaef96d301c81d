package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/internal/golden"
	"github.com/go-blindspots/workbook/runner"
)

// captured reads a capture of diagnostics/testdata (NAME.stdout and
// NAME.stderr), the outputs of real checks.
func captured(t *testing.T, name string) (stdout, stderr string) {
	t.Helper()
	base := filepath.Join("..", "diagnostics", "testdata", name)
	out, err := os.ReadFile(base + ".stdout")
	if err != nil {
		t.Fatal(err)
	}
	errOut, err := os.ReadFile(base + ".stderr")
	if err != nil {
		t.Fatal(err)
	}
	return string(out), string(errOut)
}

// instrumentEvents are two failing checks as the runner emits them, built
// from captured reports: races-request-counter's first race, with its
// timeline, and escape-request-id's escaping `sc`, with its sentence.
func instrumentEvents(t *testing.T) (race, escape []runner.Event) {
	t.Helper()
	p := diagnostics.Parser{Files: []string{"router.go", "router_test.go", "stress_check_test.go"}}
	var d *diagnostics.Diagnostic
	for _, x := range p.Parse(captured(t, "races/races-request-counter")) {
		if x.Kind == diagnostics.Race {
			d = &x
			break
		}
	}
	if d == nil {
		t.Fatal("the races-request-counter capture has no race")
	}
	tl, ok := p.RaceTimeline(*d)
	if !ok {
		t.Fatalf("no timeline for %s", d.Message)
	}
	phase := "Counting must be safe while requests are served."
	race = []runner.Event{
		{Type: runner.TypeStart, Exercise: "races-request-counter"},
		{Type: runner.TypeStep, Step: 1, Cmd: "go test -race .", Phase: phase},
		{Type: runner.TypeStepEnd, Step: 1, ExitCode: ip(1), DurationMS: i64p(900)},
		{Type: runner.TypeDiagnostic, Step: 1, ID: 1, File: d.File, Line: d.Line, Diagnostic: d, Timeline: tl},
		{Type: runner.TypeFailure, Phase: phase, Message: d.Message, File: d.File, Line: d.Line, Ref: 1},
		{Type: runner.TypeVerdict, Exercise: "races-request-counter", Pass: bp(false), DurationMS: i64p(950), Message: phase},
	}

	p = diagnostics.Parser{Files: []string{"check_test.go", "tracing.go", "tracing_test.go"}}
	var e *diagnostics.Diagnostic
	for _, x := range p.Parse(captured(t, "escapes/escape-request-id.start.build")) {
		if x.Kind == diagnostics.Escape && x.Escapes && x.File == "tracing.go" && x.Subject == "sc" {
			e = &x
			break
		}
	}
	if e == nil {
		t.Fatal("the escape-request-id capture has no escaping sc in tracing.go")
	}
	why := diagnostics.ExplainEscape(*e)
	phase = "Parsing a trace header must not allocate."
	escape = []runner.Event{
		{Type: runner.TypeStart, Exercise: "escape-request-id"},
		{Type: runner.TypeStep, Step: 1, Cmd: "go build -gcflags=-m=2 .", Phase: phase},
		{Type: runner.TypeStepEnd, Step: 1, ExitCode: ip(0), DurationMS: i64p(400)},
		{Type: runner.TypeDiagnostic, Step: 1, ID: 1, File: e.File, Line: e.Line, Diagnostic: e, Why: why},
		{Type: runner.TypeFailure, Phase: phase, Message: e.Message, File: e.File, Line: e.Line, Ref: 1},
		{Type: runner.TypeVerdict, Exercise: "escape-request-id", Pass: bp(false), DurationMS: i64p(420), Message: phase},
	}
	return race, escape
}

// TestTerminalInstruments renders, as `workbook check` does, a race finding
// with its timeline and an escape with its sentence, from captured reports,
// and compares them with testdata/render/instruments.golden. It proves that
// the terminal shows the race as two columns (one per goroutine, the
// accesses under their goroutine, each at the learner's line) and the
// escape's sentence under the excerpt of its line.
func TestTerminalInstruments(t *testing.T) {
	t.Setenv("COLUMNS", "72")
	dir := filepath.Join("testdata", "render")
	race, escape := instrumentEvents(t)
	render := func(events []runner.Event) string {
		var b strings.Builder
		term := newTerminal(&b, false, dir)
		for _, e := range events {
			term.Emit(e)
		}
		return b.String()
	}
	raceOut, escapeOut := render(race), render(escape)

	// Two columns: a separator on the lanes' lines and a rule across both.
	if n := strings.Count(raceOut, " │ "); n < 6 {
		t.Errorf("the race is drawn with %d column separators, want two columns over several lines:\n%s", n, raceOut)
	}
	if !strings.Contains(raceOut, "┼") {
		t.Errorf("the race has no rule under its lanes:\n%s", raceOut)
	}
	var left, right bool // the earlier access in the left column, the later in the right
	for _, line := range strings.Split(raceOut, "\n") {
		l, r, ok := strings.Cut(line, "│")
		if !ok {
			continue
		}
		left = left || strings.Contains(l, "write in")
		right = right || strings.Contains(r, "read in")
	}
	if !left || !right {
		t.Errorf("want the write in the left column and the read in the right (left %v, right %v):\n%s", left, right, raceOut)
	}
	for _, line := range strings.Split(raceOut, "\n") {
		if w := len([]rune(line)); w > 72 && strings.ContainsAny(line, "│┼") {
			t.Errorf("a line of the timeline is %d columns wide in a 72-column terminal: %q", w, line)
		}
	}

	// The sentence follows the excerpt of its line.
	const sentence = "`sc` moves to the heap because its address is returned by `ParseTraceparent`"
	at := strings.Index(escapeOut, sentence)
	if at < 0 {
		t.Fatalf("no escape sentence %q in:\n%s", sentence, escapeOut)
	}
	if !strings.Contains(escapeOut[:at], "tracing.go:35") {
		t.Errorf("the sentence is not under tracing.go:35:\n%s", escapeOut)
	}

	golden.Check(t, filepath.Join(dir, "instruments.golden"), raceOut+"\n"+escapeOut)
}
