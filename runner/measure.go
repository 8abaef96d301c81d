package runner

import (
	"fmt"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/script"
	"github.com/rogpeppe/go-internal/testscript"
)

// Measurements: a check script's `measure NAME KIND [ARGS]` lines. Each reads
// one value from the output of the go command above it — the toolchain's
// own words about the learner's code as it was checked — and the runner
// sends it as a measure event when that command ends, whether it passed or
// failed: "does this race?" is answered by the step that fails on the race.
// A measurement is never typed by an author; a prediction (package predict)
// is compared with it. The kinds, documented for authors in
// exercises/README.md:
//
//	allocs [LABEL]      a number: the line `LABEL: N` (LABEL is NAME unless given) that a
//	                    test logs (t.Logf("NAME: %v", testing.AllocsPerRun(…))), or the
//	                    program prints
//	allocs BenchmarkX   a number: the allocs/op column of BenchmarkX in the command's
//	                    -benchmem output
//	goroutines [LABEL]  a whole number: the line `LABEL: N` (runtime.NumGoroutine() in a
//	                    test or a program)
//	value [LABEL]       one word: the line `LABEL: VALUE`
//	escapes FUNC X      yes or no: the command's -gcflags=-m output reports X escaping in
//	                    FUNC, matched as the escapes command matches it
//	race                yes or no: the command reported a data race
//	panics              yes or no: the program panicked (or died of a fatal error)
//	exit                a whole number: the program's exit status (for `go run`, the
//	                    one its "exit status N" line reports)
//
// When the check script carries hidden Go files (a check_test.go in its
// archive), a `NAME: VALUE` line counts only when one of them logged it
// (t.Log's "check_test.go:42: " prefix), so that the learner's code cannot
// print a measurement. A value that the output does not hold — the test did
// not run, the build failed, the step was stopped before a race could show —
// is not measured, and no event is sent for it. A race is measured "no" only
// from a program that ran to its end: not from one that panicked, crashed
// ("fatal error: concurrent map writes") or timed out without a report.

// The measure kinds.
const (
	MeasureAllocs     = "allocs"
	MeasureGoroutines = "goroutines"
	MeasureValue      = "value"
	MeasureEscapes    = "escapes"
	MeasureRace       = "race"
	MeasurePanics     = "panics"
	MeasureExit       = "exit"
)

// Measure is one `measure` line of a check script.
type Measure struct {
	Name   string   // the measurement's name, unique in the script
	Kind   string   // MeasureAllocs, …
	Args   []string // escapes: FUNC and NAME; allocs: the benchmark, or a label; goroutines, value: a label
	Line   int      // of the measure line in the script
	GoLine int      // of the go command it reads
	GoArgs []string // that command's arguments, after "go"
}

var measureName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,63}$`)

// Measures returns the `measure` lines of a check script (a txtar archive),
// checked: each names a kind it knows, follows a go command, and reads
// something that command can print (a race only from a -race run, an
// escape only from -gcflags=-m output, a logged value only from a command
// that runs code, a benchmark's allocations only from -benchmem).
func Measures(src []byte) ([]Measure, error) {
	a, err := script.ParseArchive(src)
	if err != nil {
		return nil, err
	}
	var out []Measure
	var goLine int
	var goArgs []string
	for _, l := range script.Lines(a.Comment) {
		if len(l.Args) == 0 {
			continue
		}
		if l.Args[0] == "go" {
			goLine, goArgs = l.Num, l.Args[1:]
			continue
		}
		if l.Args[0] != "measure" {
			continue
		}
		m := Measure{Line: l.Num, GoLine: goLine, GoArgs: goArgs}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d: measure: %s", l.Num, fmt.Sprintf(format, args...))
		}
		if len(l.Args) < 3 {
			return nil, fail("usage: measure NAME KIND [ARGS]")
		}
		m.Name, m.Kind, m.Args = l.Args[1], l.Args[2], l.Args[3:]
		switch {
		case l.Neg || l.Maybe || len(l.Conditions) > 0:
			return nil, fail("a measurement takes no !, ? or [condition]: it never fails, and it is read whenever its go command runs")
		case !measureName.MatchString(m.Name):
			return nil, fail("name %q: a letter, then letters, digits, _ . or -", m.Name)
		case slices.ContainsFunc(out, func(o Measure) bool { return o.Name == m.Name }):
			return nil, fail("%s is measured twice", m.Name)
		case goLine == 0:
			return nil, fail("%s follows no go command: it reads the output of the go command above it", m.Name)
		}
		if err := m.check(); err != nil {
			return nil, fail("%s: %v", m.Name, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// check says whether the go command can produce the measurement.
func (m *Measure) check() error {
	sub := ""
	if len(m.GoArgs) > 0 {
		sub = m.GoArgs[0]
	}
	runs := sub == "test" || sub == "run"
	switch m.Kind {
	case MeasureAllocs, MeasureGoroutines, MeasureValue:
		if len(m.Args) > 1 {
			return fmt.Errorf("usage: measure NAME %s [LABEL]", m.Kind)
		}
		if m.bench() != "" {
			if sub != "test" || !hasFlag(m.GoArgs, "bench") || !hasFlag(m.GoArgs, "benchmem") {
				return fmt.Errorf("the allocations of %s are read from `go test -bench=… -benchmem`", m.Args[0])
			}
			return nil
		}
		if len(m.Args) == 1 && strings.TrimSpace(m.Args[0]) == "" {
			return fmt.Errorf("an empty label")
		}
		if !runs {
			return fmt.Errorf("a logged value is read from `go test` or `go run`, which run code; the command above is `go %s`", sub)
		}
	case MeasurePanics, MeasureExit:
		if len(m.Args) > 0 {
			return fmt.Errorf("usage: measure NAME %s", m.Kind)
		}
		if !runs {
			return fmt.Errorf("only `go test` and `go run` run a program that can %s", map[string]string{MeasurePanics: "panic", MeasureExit: "exit"}[m.Kind])
		}
	case MeasureEscapes:
		if len(m.Args) != 2 {
			return fmt.Errorf("usage: measure NAME escapes FUNC NAME")
		}
		if !slices.ContainsFunc(m.GoArgs, func(a string) bool { return strings.HasPrefix(a, "-gcflags=") && strings.Contains(a, "-m") }) {
			return fmt.Errorf("escapes are read from the compiler's -gcflags=-m output, and the command above has no -gcflags=-m")
		}
	case MeasureRace:
		if len(m.Args) > 0 {
			return fmt.Errorf("usage: measure NAME race")
		}
		if !runs || !hasFlag(m.GoArgs, "race") {
			return fmt.Errorf("a data race is reported by `go test -race` or `go run -race`")
		}
	default:
		return fmt.Errorf("unknown kind %q: allocs, goroutines, value, escapes, race, panics or exit", m.Kind)
	}
	return nil
}

// bench returns the benchmark whose allocs/op an allocs measure reads, or "".
func (m *Measure) bench() string {
	if m.Kind == MeasureAllocs && len(m.Args) == 1 && strings.HasPrefix(m.Args[0], "Benchmark") {
		return m.Args[0]
	}
	return ""
}

// label returns the label of the line a logged measurement reads.
func (m *Measure) label() string {
	if len(m.Args) == 1 {
		return m.Args[0]
	}
	return m.Name
}

// hasFlag reports whether go command arguments set the flag name
// (-name, --name, -name=…), before -args.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "-args" || a == "--args" {
			return false
		}
		n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && n == name {
			return true
		}
	}
	return false
}

// measuredGo is the script command name a go command whose output is
// measured gets in the script the runner runs: "go@12" for the go command
// on line 12, so that it knows the measure lines below it before it ends.
func measuredGo(line int) string { return fmt.Sprintf("go@%d", line) }

var goWord = regexp.MustCompile(`^(\s*(?:!\s+)?(?:\[[^\]]*\]\s+)*)go(\s|$)`)

// measureScript renames the go commands that measures read (see
// measuredGo), keeping every line where it was.
func measureScript(comment string, ms []Measure) string {
	lines := strings.Split(comment, "\n")
	for _, m := range ms {
		i := m.GoLine - 1
		if i >= 0 && i < len(lines) {
			lines[i] = goWord.ReplaceAllString(lines[i], "${1}"+measuredGo(m.GoLine)+"${2}")
		}
	}
	return strings.Join(lines, "\n")
}

// cmdMeasure is the `measure` line itself: its go command has read it
// already (see Measures), so it does nothing.
func (s *scriptRun) cmdMeasure(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: measure NAME KIND [ARGS]")
	}
}

// emitMeasures sends the measurements that the step's output holds.
func (s *scriptRun) emitMeasures(ts *testscript.TestScript, step int, ms []Measure, res stepResult) {
	for _, m := range ms {
		value, source, ok := s.measure(ts, m, res)
		if !ok {
			continue
		}
		s.emit(Event{Type: TypeMeasure, Step: step, Name: m.Name, Kind: m.Kind, Value: value, Text: source})
	}
}

// measure reads one measurement from a step's output: its value, and the
// line of output it comes from.
func (s *scriptRun) measure(ts *testscript.TestScript, m Measure, res stepResult) (value, source string, ok bool) {
	compiled := !slices.ContainsFunc(s.diags, func(d diagnostics.Diagnostic) bool { return d.Kind == diagnostics.Compile })
	switch m.Kind {
	case MeasureRace:
		for _, d := range s.diags {
			if d.Kind == diagnostics.Race {
				return "yes", d.Message, true
			}
		}
		crashed := slices.ContainsFunc(s.diags, func(d diagnostics.Diagnostic) bool {
			return d.Kind == diagnostics.Panic || d.Kind == diagnostics.Timeout
		})
		if !compiled || res.reason != "" || crashed {
			return "", "", false // the program did not run to its end: no race seen proves nothing
		}
		return "no", "", true
	case MeasureEscapes:
		if !compiled {
			return "", "", false
		}
		hit, seen, quiet := s.findEscape(ts, m.Args[0], m.Args[1])
		if hit != nil {
			return "yes", compilerSays(hit.Text), true
		}
		if !seen && !s.funcDeclared(ts, m.Args[0]) {
			return "", "", false
		}
		if quiet != nil {
			return "no", compilerSays(quiet.Text), true
		}
		return "no", "", true
	case MeasurePanics:
		for _, d := range s.diags {
			if d.Kind == diagnostics.Panic {
				return "yes", d.Message, true
			}
		}
		if !compiled || res.reason != "" || slices.ContainsFunc(s.diags, func(d diagnostics.Diagnostic) bool { return d.Kind == diagnostics.Timeout }) {
			return "", "", false
		}
		return "no", "", true
	case MeasureExit:
		if !compiled || res.reason != "" {
			return "", "", false
		}
		return exitStatus(m.GoArgs, res)
	case MeasureAllocs:
		if b := m.bench(); b != "" {
			return benchAllocs(res.stdout, b)
		}
	}
	value, source, ok = loggedValue(res.stdout+"\n"+res.stderr, m.label(), s.hiddenGoFiles())
	if !ok {
		return "", "", false
	}
	if m.Kind == MeasureAllocs || m.Kind == MeasureGoroutines {
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || m.Kind == MeasureGoroutines && f != math.Trunc(f) {
			s.emit(Event{Type: TypeOutput, Stream: Note, Text: fmt.Sprintf("measure %s: %q is not a count\n", m.Name, value)})
			return "", "", false
		}
		value = strconv.FormatFloat(f, 'f', -1, 64)
	}
	return value, source, true
}

// loggedValue finds the last line "NAME: VALUE" in out, as a test logs it
// ("    check_test.go:42: NAME: VALUE") or a program prints it. When from is
// not empty, only a line logged by one of those files counts.
func loggedValue(out, name string, from []string) (value, line string, ok bool) {
	re := regexp.MustCompile(`^\s*(?:(\S+\.go):\d+: )?` + regexp.QuoteMeta(name) + `: (\S+)\s*$`)
	for _, l := range strings.Split(out, "\n") {
		mm := re.FindStringSubmatch(l)
		if mm == nil || len(from) > 0 && !slices.Contains(from, mm[1]) {
			continue
		}
		value, line, ok = mm[2], strings.TrimSpace(l), true
	}
	return value, line, ok
}

var exitLine = regexp.MustCompile(`(?m)^exit status (\d+)\s*$`)

// exitStatus is the exit status of the program a step ran: for `go run`, the
// one its last "exit status N" line reports (go run itself exits 1), and 0
// when it succeeded; for other commands, the command's own.
func exitStatus(goArgs []string, res stepResult) (value, line string, ok bool) {
	if res.exitCode < 0 {
		return "", "", false // killed
	}
	if len(goArgs) == 0 || goArgs[0] != "run" || res.exitCode == 0 {
		return strconv.Itoa(res.exitCode), "", true
	}
	all := exitLine.FindAllStringSubmatch(res.stderr, -1)
	if len(all) == 0 {
		return "", "", false // go run failed without running the program
	}
	last := all[len(all)-1]
	return last[1], strings.TrimSpace(last[0]), true
}

// benchAllocs reads the allocs/op of benchmark name from -benchmem output:
// "BenchmarkPick-8   	 1000000	  41.2 ns/op	  0 B/op	  0 allocs/op".
func benchAllocs(out, name string) (value, line string, ok bool) {
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `(?:-\d+)?\s+\d+\s.*?\s([0-9.]+) allocs/op`)
	for _, l := range strings.Split(out, "\n") {
		if mm := re.FindStringSubmatch(l); mm != nil {
			f, err := strconv.ParseFloat(mm[1], 64)
			if err == nil {
				value, line, ok = strconv.FormatFloat(f, 'f', -1, 64), strings.TrimSpace(l), true
			}
		}
	}
	return value, line, ok
}

// hiddenGoFiles returns the base names of the Go files of the script's own
// archive: the check's hidden tests.
func (s *scriptRun) hiddenGoFiles() []string {
	a, err := script.ParseArchive(s.check.Script)
	if err != nil {
		return nil
	}
	var names []string
	for _, f := range a.Files {
		if strings.HasSuffix(f.Name, ".go") {
			names = append(names, path.Base(f.Name))
		}
	}
	return names
}
