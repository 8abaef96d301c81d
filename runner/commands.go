package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/script"
	"github.com/rogpeppe/go-internal/testscript"
)

// The check script's own commands. They are documented for authors in
// exercises/README.md.

// cmdPhase records the requirement that the following steps prove; the
// runner writes one for each comment line of the script.
func (s *scriptRun) cmdPhase(ts *testscript.TestScript, neg bool, args []string) {
	s.phase = strings.Join(args, " ")
}

// cmdGo runs the go command: `go ARGS...`, or `! go ARGS...` when it must fail.
func (s *scriptRun) cmdGo(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: go command [args...]")
	}
	if err := s.ctx.Err(); err != nil {
		ts.Fatalf("check stopped before `go %s`: %v", args[0], context.Cause(s.ctx))
	}
	s.step++
	step := s.step
	cmdline := "go " + strings.Join(args, " ")
	s.emit(Event{Type: TypeStep, Step: step, Cmd: cmdline, Phase: s.phase})

	output := func(stream, text string) {
		s.emit(Event{Type: TypeOutput, Step: step, Stream: stream, Text: text})
	}
	runArgs, asJSON := args, false
	if s.check.ProveTests {
		runArgs, asJSON = goTestArgs(args)
	}
	var tests *testJSON
	if asJSON {
		tests = newTestJSON(output)
		output = func(stream, text string) {
			switch stream {
			case Stdout:
				tests.write([]byte(text))
			case Stderr:
				tests.out(Stderr, text)
			default:
				s.emit(Event{Type: TypeOutput, Step: step, Stream: stream, Text: text})
			}
		}
	}
	cmd := exec.Command(s.r.Go.Go, runArgs...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = s.environ(ts)
	start := time.Now()
	res := s.runStep(cmd, output) // process.go
	if tests != nil {
		tests.flush()
		res.stdout, res.stderr = tests.stdout.String(), tests.stderr.String()
	}
	if res.reason == ReasonCanceled && errors.Is(context.Cause(s.ctx), errCheckTimeout) {
		res.reason = ReasonCheckTimeout
	}
	s.emit(Event{Type: TypeStepEnd, Step: step, ExitCode: intp(res.exitCode),
		DurationMS: int64p(time.Since(start).Milliseconds()), Reason: res.reason})

	// The script's stdout/stderr assertions see this command's output.
	fmt.Fprint(ts.Stdout(), res.stdout)
	fmt.Fprint(ts.Stderr(), res.stderr)

	diags := s.parser().Parse(res.stdout, res.stderr)
	for i := range diags {
		d := &diags[i]
		if s.visible(d.File) && (d.Kind != diagnostics.Escape || d.Escapes) {
			s.emit(Event{Type: TypeDiagnostic, Step: step, File: d.File, Line: d.Line, Col: d.Col, Diagnostic: d})
		}
	}

	if res.reason != "" {
		s.stopped = res.reason
		s.failed = true
		s.emit(Event{Type: TypeFailure, Phase: s.phase, Message: stopMessage(cmdline, res.reason, s.r)})
		s.emitFindings(diags)
		ts.Fatalf("%s stopped: %s", cmdline, res.reason)
	}
	ok := res.exitCode == 0
	if ok && !neg && tests != nil {
		if msg := tests.unproven(expectedTests(ts.Getenv("WORK"), cmd.Dir, s.module(ts), args)); msg != "" {
			s.failed = true
			s.emit(Event{Type: TypeFailure, Phase: s.phase, Message: msg})
			ts.Fatalf("%s: tests did not run", cmdline)
		}
	}
	switch {
	case ok && neg:
		s.failed = true
		s.emit(Event{Type: TypeFailure, Phase: s.phase, Message: fmt.Sprintf("`%s` succeeded, but it must fail here.", cmdline)})
		ts.Fatalf("unexpected success of %s", cmdline)
	case !ok && !neg:
		s.failed = true
		if s.emitFindings(diags) == 0 {
			s.emit(Event{Type: TypeFailure, Phase: s.phase, Message: fmt.Sprintf("`%s` failed with exit status %d.", cmdline, res.exitCode)})
		}
		ts.Fatalf("%s failed", cmdline)
	}
}

// emitFindings emits a failure for each problem found in a failed step's
// output and returns how many.
func (s *scriptRun) emitFindings(diags []diagnostics.Diagnostic) int {
	n := 0
	seen := make(map[string]bool)
	for _, d := range diags {
		// Ten leaked goroutines, or ten reports of one race, are one thing to fix.
		key := fmt.Sprint(d.Kind, d.File, d.Line, d.Related)
		if d.Kind == diagnostics.Escape || seen[key] {
			continue
		}
		seen[key] = true
		e := Event{Type: TypeFailure, Phase: s.phase, Message: d.Message, Diagnostic: &d}
		switch {
		case s.visible(d.File):
			e.File, e.Line, e.Col = d.File, d.Line, d.Col
		case d.File != "":
			// A file of the check's own, which the learner does not have:
			// say what failed in words, and point nowhere.
			if d.Kind == diagnostics.TestFail && d.Test != "" {
				e.Message = s.hiddenTestMessage(d)
				d.Message = e.Message
			}
			d.Location = diagnostics.Location{Func: d.Func}
		}
		s.emit(e)
		n++
	}
	return n
}

func stopMessage(cmdline, reason string, r *Runner) string {
	switch reason {
	case ReasonTimeout:
		return fmt.Sprintf("`%s` was still running after %v, so it was stopped: the program is probably blocked forever (a deadlock, or a goroutine waiting for something that never happens).", cmdline, r.StepTimeout)
	case ReasonCheckTimeout:
		return fmt.Sprintf("`%s` was still running when the whole check's time (%v) ran out, so it was stopped.", cmdline, r.CheckTimeout)
	case ReasonOutputLimit:
		return fmt.Sprintf("`%s` printed more than %s, so it was stopped: something is printing in a loop.", cmdline, byteSize(r.OutputLimit))
	case ReasonMemory:
		return memoryMessage(r.MemoryLimit)
	default:
		return fmt.Sprintf("`%s` was stopped because the check was canceled.", cmdline)
	}
}

// cmdEscapes asserts on the last go command's -gcflags=-m output: `escapes
// FUNC NAME` holds when NAME escapes to the heap inside FUNC.
func (s *scriptRun) cmdEscapes(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: escapes FUNC NAME (FUNC is Name or Type.Method; NAME a variable or an expression as -m prints it)")
	}
	fn, name := args[0], args[1]
	stderr := ts.ReadFile("stderr")
	var hit *diagnostics.Diagnostic
	var funcSeen bool
	for _, d := range s.parser().Parse("", stderr) {
		if d.Kind != diagnostics.Escape || !s.isLearnerFile(d.File) {
			continue
		}
		src, err := os.ReadFile(ts.MkAbs(d.File))
		if err != nil || diagnostics.EnclosingFunc(src, d.Line) != fn {
			continue
		}
		funcSeen = true
		if d.Escapes && d.Subject == name {
			hit = &d
			break
		}
	}
	if !funcSeen && !s.funcDeclared(ts, fn) {
		s.failed = true
		s.emit(Event{Type: TypeFailure, Phase: s.phase, Message: fmt.Sprintf("The check looks for the function %s, and there is no such function any more: keep its name.", fn)})
		ts.Fatalf("function %s not found", fn)
	}
	switch {
	case neg && hit != nil:
		s.failed = true
		s.emit(Event{Type: TypeFailure, Phase: s.phase, File: hit.File, Line: hit.Line, Col: hit.Col,
			Message: fmt.Sprintf("`%s` in %s still escapes to the heap (the compiler says %q)%s.", name, fn, compilerSays(hit.Text), escapeWhy(hit.Text))})
		ts.Fatalf("%s escapes in %s", name, fn)
	case !neg && hit == nil:
		s.failed = true
		s.emit(Event{Type: TypeFailure, Phase: s.phase,
			Message: fmt.Sprintf("The compiler no longer reports `%s` escaping to the heap in %s.", name, fn)})
		ts.Fatalf("%s does not escape in %s", name, fn)
	}
}

// funcDeclared reports whether any Go file in $WORK declares fn.
func (s *scriptRun) funcDeclared(ts *testscript.TestScript, fn string) bool {
	for _, f := range s.files {
		src, err := os.ReadFile(ts.MkAbs(f))
		if err != nil {
			continue
		}
		lines := strings.Count(string(src), "\n") + 1
		for line := 1; line <= lines; line++ {
			if diagnostics.EnclosingFunc(src, line) == fn {
				return true
			}
		}
	}
	return false
}

// module returns the module path of the check's go.mod, in $WORK.
func (s *scriptRun) module(ts *testscript.TestScript) string {
	data, _ := os.ReadFile(filepath.Join(ts.Getenv("WORK"), "go.mod"))
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// isLearnerFile reports whether name is a Go file of the checked package.
func (s *scriptRun) isLearnerFile(name string) bool {
	return slices.Contains(s.files, name)
}

// hiddenTestMessage tells a failure of one of the check's own tests: its
// name, what it asserts (the first sentence of its doc comment) and its message.
func (s *scriptRun) hiddenTestMessage(d diagnostics.Diagnostic) string {
	if s.docs == nil {
		s.docs = make(map[string]string)
		if a, err := script.ParseArchive(s.check.Script); err == nil {
			files := make(map[string][]byte)
			for _, f := range a.Files {
				files[f.Name] = f.Data
			}
			s.docs = testDocs(files)
		}
	}
	top, _, _ := strings.Cut(d.Test, "/")
	msg := fmt.Sprintf("The check's own test %s failed: %s", d.Test, d.Detail)
	if doc := s.docs[top]; doc != "" {
		msg += " (What it checks: " + doc + ")"
	}
	return msg
}

// visible reports whether the learner has the file name: one of the files the
// check was given, not a hidden file of the script's archive (when the check
// was given files at all).
func (s *scriptRun) visible(name string) bool {
	_, given := s.check.Files[name]
	return s.isLearnerFile(name) && (given || len(s.check.Files) == 0)
}

// environ returns the script's environment for a subprocess: testscript's
// own variables, the Go environment, and whatever the script set with `env`.
func (s *scriptRun) environ(ts *testscript.TestScript) []string {
	keys := []string{"WORK", "PATH", "HOME", "TMPDIR", "GOTRACEBACK"}
	for _, kv := range s.r.environ() {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	keys = append(keys, script.EnvKeys(s.check.Script)...)
	env := make([]string, 0, len(keys))
	for _, k := range keys {
		env = append(env, k+"="+ts.Getenv(k))
	}
	return env
}

// compilerSays returns the compiler's own words from a -m line, without the position.
func compilerSays(line string) string {
	line, _, _ = strings.Cut(line, "\n")
	if i := strings.Index(line, ": "); i >= 0 && strings.Contains(line[:i], ".go:") {
		return line[i+2:]
	}
	return line
}

// escapeWhy explains an escape from the flow that -gcflags=-m=2 prints before
// "moved to heap: x": the last step of the flow is what forced it, e.g.
// ", because of `return &h` (return) at header.go:9". It is empty for -m output.
func escapeWhy(text string) string {
	var last string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, ":     from "); i >= 0 {
			last = line[i+len(":     from "):]
		}
	}
	if last == "" {
		return ""
	}
	// "return &h (return) at ./header.go:9:2"
	what, at, _ := strings.Cut(last, " at ")
	if j := strings.LastIndex(what, " ("); j >= 0 {
		what = "`" + what[:j] + "`" + what[j:]
	}
	at = strings.TrimPrefix(at, "./")
	if k := strings.LastIndex(at, ":"); k > strings.LastIndex(at, ".go:") {
		at = at[:k] // the line is enough
	}
	if at == "" {
		return ", because of " + what
	}
	return ", because of " + what + " at " + at
}
