package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

	// Paths in the output (stack traces, race reports) are relative to the
	// check's work directory, as the learner knows the files: main.go:14,
	// not a temporary directory's path. (A path split across two writes of
	// the program stays whole.)
	trim := workPrefixes(ts.Getenv("WORK"))
	output := func(stream, text string) {
		s.emit(Event{Type: TypeOutput, Step: step, Stream: stream, Text: trim.Replace(text)})
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
	ts.Setenv(ExitVar, fmt.Sprint(res.exitCode))

	s.diags = s.parser().Parse(res.stdout, res.stderr)
	ids := s.emitDiagnostics(step, s.diags)

	ok := res.exitCode == 0
	switch {
	case res.reason != "":
		s.reason = res.reason
		s.fail(ts, cmdline+" stopped: "+res.reason,
			append([]Event{{Message: stopMessage(cmdline, res.reason, s.r)}}, s.findings(ids)...)...)
	case ok && neg:
		s.fail(ts, "unexpected success of "+cmdline, Event{Message: fmt.Sprintf("`%s` succeeded, but it must fail here.", cmdline)})
	case !ok && !neg:
		if msg, env := diagnostics.Environment(res.stdout, res.stderr); env {
			s.reason, s.envMessage = ReasonEnvironment, msg
			s.fail(ts, cmdline+": the environment failed", Event{Message: msg})
		}
		found := s.findings(ids)
		if tests != nil && !slices.ContainsFunc(s.diags, func(d diagnostics.Diagnostic) bool {
			return d.Kind == diagnostics.Panic || d.Kind == diagnostics.Timeout || d.Kind == diagnostics.Leak
		}) {
			if msg := tests.cutShort(); msg != "" {
				found = append(found, Event{Message: msg})
			}
		}
		if len(found) == 0 {
			found = []Event{{Message: fmt.Sprintf("`%s` failed with exit status %d.", cmdline, res.exitCode)}}
		}
		s.fail(ts, cmdline+" failed", found...)
	case ok && tests != nil:
		if msg := tests.unproven(expectedTests(ts.Getenv("WORK"), cmd.Dir, s.modulePath, args)); msg != "" {
			s.fail(ts, cmdline+": the tests did not run", Event{Message: msg})
		}
	}
}

// workPrefixes returns a replacer that removes the work directory work, as
// given and with its symbolic links resolved (macOS's /var is /private/var),
// from the front of the paths in a text.
func workPrefixes(work string) *strings.Replacer {
	if work == "" {
		return strings.NewReplacer()
	}
	sep := string(filepath.Separator)
	pairs := []string{work + sep, ""}
	if real, err := filepath.EvalSymlinks(work); err == nil && real != work {
		pairs = append(pairs, real+sep, "")
	}
	return strings.NewReplacer(pairs...)
}

// emitDiagnostics sends a step's findings as diagnostic events, each with
// an ID that failures refer to, and returns the IDs (0 for a finding not
// sent: an escape analysis line saying that something does not escape).
// A finding in a file the learner does not have is told without a place.
func (s *scriptRun) emitDiagnostics(step int, diags []diagnostics.Diagnostic) []int {
	ids := make([]int, len(diags))
	for i := range diags {
		d := &diags[i]
		if d.Kind == diagnostics.Escape && !d.Escapes {
			continue
		}
		if d.File != "" && !s.visible(d.File) {
			if d.Kind == diagnostics.TestFail && d.Test != "" {
				d.Message = s.hiddenTestMessage(*d)
			}
			d.Location = diagnostics.Location{Func: d.Func}
		}
		s.hideArchivePlaces(d)
		s.nextID++
		ids[i] = s.nextID
		e := Event{Type: TypeDiagnostic, Step: step, ID: s.nextID, File: d.File, Line: d.Line, Col: d.Col, Diagnostic: d}
		switch d.Kind {
		case diagnostics.Race:
			if tl, ok := s.parser().RaceTimeline(*d); ok {
				e.Timeline = tl
			}
		case diagnostics.Escape:
			e.Why = diagnostics.ExplainEscape(*d)
		}
		s.emit(e)
	}
	return ids
}

// hideArchivePlaces removes from a finding the places in the check's own
// files, which the learner does not have: related locations there are
// dropped, and "at check_test.go:23" in its message becomes words.
func (s *scriptRun) hideArchivePlaces(d *diagnostics.Diagnostic) {
	if len(s.check.Files) == 0 {
		return // no files were given: every file is the learner's to see
	}
	d.Related = slices.DeleteFunc(d.Related, func(l diagnostics.Location) bool { return l.File != "" && !s.visible(l.File) })
	for _, name := range s.files {
		if s.visible(name) {
			continue
		}
		re := regexp.MustCompile(`(?: at | in )?` + regexp.QuoteMeta(name) + `:\d+(?::\d+)?`)
		d.Message = re.ReplaceAllString(d.Message, " in the check's own test code")
	}
}

// findings returns the failures of a failed step: one per problem found in
// its output (not escape notes), each referring to its diagnostic event.
func (s *scriptRun) findings(ids []int) []Event {
	var out []Event
	seen := make(map[string]bool)
	for i, d := range s.diags {
		// Ten leaked goroutines, or ten reports of one race, are one thing to fix.
		key := fmt.Sprint(d.Kind, d.File, d.Line, d.Message, d.Related)
		if d.Kind == diagnostics.Escape || ids[i] == 0 || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Event{Message: d.Message, Ref: ids[i], File: d.File, Line: d.Line, Col: d.Col})
	}
	return out
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
		ts.Fatalf("usage: escapes FUNC NAME (FUNC is Name or Type.Method; NAME a variable or an expression as -m prints it, or * for any)")
	}
	fn, name := args[0], args[1]
	var hit *diagnostics.Diagnostic
	var funcSeen bool
	for i := range s.diags {
		d := &s.diags[i]
		if d.Kind != diagnostics.Escape || !s.isLearnerFile(d.File) {
			continue
		}
		src, err := os.ReadFile(ts.MkAbs(filepath.FromSlash(d.File)))
		if err != nil || diagnostics.EnclosingFunc(src, d.Line) != fn {
			continue
		}
		funcSeen = true
		if d.Escapes && (d.Subject == name || name == "*") {
			hit = d
			break
		}
	}
	if !funcSeen && !s.funcDeclared(ts, fn) {
		s.fail(ts, "function "+fn+" not found", Event{Message: fmt.Sprintf("The check looks for the function %s, and there is no such function any more: keep its name.", fn)})
	}
	switch {
	case neg && hit != nil:
		why := diagnostics.ExplainEscape(*hit)
		if why == "" {
			why = fmt.Sprintf("`%s` in %s still escapes to the heap (the compiler says %q)%s.", hit.Subject, fn, compilerSays(hit.Text), escapeWhy(hit.Text))
		}
		s.fail(ts, hit.Subject+" escapes in "+fn, Event{File: hit.File, Line: hit.Line, Col: hit.Col, Message: why})
	case !neg && hit == nil:
		s.fail(ts, name+" does not escape in "+fn, Event{Message: fmt.Sprintf("The compiler no longer reports `%s` escaping to the heap in %s.", name, fn)})
	}
}

// funcDeclared reports whether any Go file in $WORK declares fn.
func (s *scriptRun) funcDeclared(ts *testscript.TestScript, fn string) bool {
	for _, f := range s.files {
		src, err := os.ReadFile(ts.MkAbs(filepath.FromSlash(f)))
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

// modulePath returns the module path a go.mod file declares, or "".
func modulePath(goMod string) string {
	data, _ := os.ReadFile(goMod)
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
// name, its message and what it checks (the first sentence of its doc comment).
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
