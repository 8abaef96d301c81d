package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/offline"
	"github.com/go-blindspots/workbook/script"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
)

// Defaults for Runner's bounds.
const (
	DefaultStepTimeout  = 3 * time.Minute // a cold -race build of the standard library fits
	DefaultCheckTimeout = 6 * time.Minute
	DefaultOutputLimit  = 1 << 20
	DefaultMemoryLimit  = 1 << 30
)

// Runner runs checks. It is safe for concurrent use; each Run has its own work dir.
type Runner struct {
	Go           *GoEnv
	StepTimeout  time.Duration // bound of one go command
	CheckTimeout time.Duration // bound of a whole check
	OutputLimit  int           // bytes of output one step may print
	// WorkRoot is where work directories are made. Checks of the same exercise
	// reuse the same path, because the go command's build cache key includes the
	// package directory: a fresh path per check would recompile every time.
	WorkRoot string
	// ModProxy is the GOPROXY entry that serves the modules checks need
	// (package offline), put before the learner's own proxy.
	ModProxy string
	// MemoryLimit bounds the memory (bytes resident) of the learner's
	// programs — a test binary and whatever it starts, not the go command or
	// the compilers; 0 for no bound. See doc.go.
	MemoryLimit int64
	// MaxChecks is how many checks may run at once across every process that
	// shares WorkRoot (see queue.go); 0 means GOMAXPROCS.
	MaxChecks int
}

// New resolves the Go toolchain and returns a Runner with default bounds. The
// error is an *EnvError when the machine lacks what checks need.
func New(ctx context.Context) (*Runner, error) {
	g, err := ResolveGo(ctx)
	if err != nil {
		return nil, err
	}
	if err := g.Preflight(); err != nil {
		return nil, err
	}
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	root = filepath.Join(root, "go-blindspots-workbook")
	proxy, err := offline.Write(filepath.Join(root, "modules"))
	if err != nil {
		return nil, &EnvError{"cannot write the workbook's cache (" + err.Error() + "): free some disk space, or set XDG_CACHE_HOME to a directory you can write."}
	}
	r := &Runner{
		Go:           g,
		StepTimeout:  DefaultStepTimeout,
		CheckTimeout: DefaultCheckTimeout,
		OutputLimit:  DefaultOutputLimit,
		WorkRoot:     filepath.Join(root, "checks"),
		ModProxy:     proxy,
		MemoryLimit:  DefaultMemoryLimit,
		MaxChecks:    runtime.GOMAXPROCS(0),
	}
	r.contain() // sweep.go: adopt orphans, sweep what killed workbooks left
	return r, nil
}

// environ returns the environment of a check's go commands: the learner's Go
// environment, with the workbook's own modules served first.
func (r *Runner) environ() []string {
	env := r.Go.Environ()
	if r.ModProxy == "" {
		return env
	}
	learner := r.Go.Vars["GOPROXY"]
	if learner == "" {
		learner = "https://proxy.golang.org,direct"
	}
	for i, kv := range env {
		if strings.HasPrefix(kv, "GOPROXY=") {
			env = append(env[:i], env[i+1:]...)
			break
		}
	}
	return append(env, "GOPROXY="+r.ModProxy+","+learner)
}

// Check is one check to run.
type Check struct {
	// Name names the check in events and picks its work directory; checks of
	// the same Name and Variant must not run at the same time (see Latest).
	Name    string
	Variant string // e.g. "learner", "solution"; default "learner"
	Script  []byte // the testscript script (txtar)
	// Files are written into $WORK, except those the script's archive has.
	Files map[string][]byte
	// ProveTests makes every `go test` step that must pass prove that the
	// tests it names ran and passed (see gotest.go), not only that the test
	// binary exited 0. Exercise checks set it; lesson programs do not.
	ProveTests bool
	// Explore marks a run to look at rather than a proof: a lesson program
	// as the learner edited it in the site, or with tools added. A go
	// command that must succeed and exits with an error does not stop it
	// (a program that races or exits 1 is what the learner came to see),
	// unless the code does not compile or the machine failed; its findings
	// are sent as diagnostic events all the same, with no failures.
	Explore bool
	// Notes are sentences for the learner shown when the check starts, such
	// as an edit of a read-only file that the check does not use.
	Notes []string
	// Cmds are script commands of the check's own, besides the runner's
	// (go, escapes) and testscript's builtins.
	Cmds map[string]ScriptCmd
	// Background marks work nobody waits for (the warm-up): it takes none
	// of the MaxChecks turns (queue.go), and does not count as a running
	// check (see ChecksActive).
	Background bool
}

// ScriptCmd is a script command, with testscript's signature: neg is true
// for `! cmd`; a failure calls ts.Fatalf.
type ScriptCmd = func(ts *testscript.TestScript, neg bool, args []string)

// ExitVar is the script variable that holds the exit status of the last go
// command, for commands that compare it.
const ExitVar = "GOEXIT"

// Result is the outcome of a check.
type Result struct {
	Pass     bool
	Duration time.Duration
	Reason   string // why it stopped early (ReasonTimeout, ReasonMemory, …), or ""
	Message  string // the headline of the failure
}

// Run runs the check, sends its events to sink, and returns when the check
// is over and everything it started is gone. It always ends the stream with a
// verdict event.
func (r *Runner) Run(ctx context.Context, c Check, sink Sink) Result {
	start := time.Now()
	if !c.Background {
		defer r.markActive()()
	}
	s := &scriptRun{r: r, check: c, ctx: ctx, sink: &serial{sink: sink}}
	s.emit(Event{Type: TypeStart, Exercise: c.Name})
	for _, n := range c.Notes {
		s.emit(Event{Type: TypeOutput, Stream: Note, Text: n + "\n"})
	}

	res := s.runInTurn(ctx) // queue.go: waits for a turn, then bounds the check's time
	res.Duration = time.Since(start)
	verdict := Event{Type: TypeVerdict, Exercise: c.Name, Pass: boolp(res.Pass),
		DurationMS: int64p(res.Duration.Milliseconds()), Reason: res.Reason, Message: res.Message}
	s.emit(verdict)
	return res
}

var errCheckTimeout = errors.New("check timed out")

// scriptRun is the state of one Run.
type scriptRun struct {
	r     *Runner
	check Check
	ctx   context.Context
	sink  Sink

	root       string   // the check's work directory: $WORK is below it
	files      []string // slash paths of the Go files in $WORK
	modulePath string   // of $WORK/go.mod
	step       int
	phase      string
	diags      []diagnostics.Diagnostic // the last go command's findings
	nextID     int                      // of the next diagnostic event
	reported   bool                     // a command has emitted the failures that say why the script stopped
	reason     string                   // why the check stopped early, as Result.Reason
	log        strings.Builder          // testscript's log: how a builtin command failed
	docs       map[string]string        // the check's own tests' doc sentences, by test

	envMessage string // with reason ReasonEnvironment: what to fix, in one sentence
}

func (s *scriptRun) emit(e Event) { s.sink.Emit(e) }

// run prepares the work dir, runs the script and cleans up.
func (s *scriptRun) run() Result {
	variant := s.check.Variant
	if variant == "" {
		variant = "learner"
	}
	root, unlock, err := s.r.workDir(s.check.Name + "." + variant)
	if err != nil {
		return s.abort(ReasonEnvironment, "The workbook cannot prepare the check's directory ("+err.Error()+"): is the disk full, or its cache directory not writable?")
	}
	defer unlock()
	defer os.RemoveAll(root)
	s.root = root

	scriptFile := filepath.Join(root, "check.txtar")
	measures, err := Measures(s.check.Script)
	if err != nil {
		return s.abort("", "The check script is broken: "+err.Error())
	}
	phased, err := phaseScript(s.check.Script, measures)
	if err != nil {
		return s.abort("", "The check script is broken: "+err.Error())
	}
	if err := os.WriteFile(scriptFile, phased, 0o666); err != nil {
		return s.abort(ReasonEnvironment, "The workbook cannot write the check script ("+err.Error()+"): is the disk full?")
	}
	cmds := map[string]ScriptCmd{
		"escapes": s.cmdEscapes,
		"go":      s.cmdGo,
		"measure": s.cmdMeasure,
		"phase":   s.cmdPhase,
	}
	byGo := make(map[int][]Measure)
	for _, m := range measures {
		byGo[m.GoLine] = append(byGo[m.GoLine], m)
	}
	for line, ms := range byGo {
		cmds[measuredGo(line)] = func(ts *testscript.TestScript, neg bool, args []string) { s.goStep(ts, neg, args, ms) }
	}
	for name, f := range s.check.Cmds {
		if _, ok := cmds[name]; ok {
			return s.abort("", "The check script is broken: its command "+name+" is one of the runner's.")
		}
		cmds[name] = f
	}
	t := &scriptT{run: s}
	func() {
		defer t.recover()
		testscript.RunT(t, testscript.Params{
			Files:              []string{scriptFile},
			WorkdirRoot:        root,
			RequireUniqueNames: true,
			Setup:              s.setup,
			Cmds:               cmds,
		})
	}()
	if !t.failed && !t.skipped {
		return Result{Pass: true}
	}
	headline := s.phase
	switch {
	case errors.Is(context.Cause(s.ctx), errCheckTimeout):
		s.reason, headline = ReasonCheckTimeout, fmt.Sprintf("The check took longer than %v and was stopped.", s.r.CheckTimeout)
	case s.ctx.Err() != nil:
		s.reason, headline = ReasonCanceled, "The check was canceled."
	case s.reason == ReasonMemory:
		headline = memoryMessage(s.r.MemoryLimit)
	}
	if !s.reported {
		// A builtin command (stdout, cmp, exists...) failed, or testscript
		// itself: its words are in the log.
		msg, detail := t.msg, ""
		if msg == "" {
			msg, detail = lastFailure(s.log.String())
		}
		if t.skipped {
			msg = "the check skipped itself: " + msg
		}
		s.emit(Event{Type: TypeFailure, Phase: s.phase, Message: msg, Text: detail})
	}
	if s.reason == ReasonEnvironment {
		headline = s.envMessage
	}
	if headline == "" {
		headline = "The check failed."
	}
	return Result{Reason: s.reason, Message: headline}
}

// abort ends a check that could not run its script, with one failure.
func (s *scriptRun) abort(reason, msg string) Result {
	s.emit(Event{Type: TypeFailure, Message: msg})
	return Result{Reason: reason, Message: msg}
}

// fail stops the script because a command of the runner's failed: it emits
// the failures that say why, each in the current phase, and ends the script
// with why (for testscript's log). Every failure the runner's own commands
// find goes through here.
func (s *scriptRun) fail(ts *testscript.TestScript, why string, failures ...Event) {
	for _, f := range failures {
		f.Type, f.Phase = TypeFailure, s.phase
		s.emit(f)
	}
	s.reported = true
	ts.Fatalf("%s", why)
}

// setup writes the check's files into $WORK (the archive's own files, already
// there, win) and sets the Go environment.
func (s *scriptRun) setup(env *testscript.Env) error {
	for name, data := range s.check.Files {
		p := filepath.Join(env.WorkDir, filepath.FromSlash(name))
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o666); err != nil {
			return err
		}
	}
	err := filepath.WalkDir(env.WorkDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// .tmp holds testscript's own files; testdata and vendor are no packages.
			if p != env.WorkDir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(env.WorkDir, p)
		s.files = append(s.files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return err
	}
	s.modulePath = modulePath(filepath.Join(env.WorkDir, "go.mod"))
	env.Vars = append(env.Vars, s.r.environ()...)
	return nil
}

// phaseScript turns each comment line of the script into a `phase` command on
// the same line, so the runner knows which requirement each step proves, and
// renames the go commands that measures read (measureScript), while the
// script's line numbers stay the same.
func phaseScript(src []byte, ms []Measure) ([]byte, error) {
	a, err := script.ParseArchive(src)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(measureScript(string(a.Comment), ms), "\n")
	for i, line := range lines {
		if text, ok := strings.CutPrefix(line, "#"); ok {
			lines[i] = "phase '" + strings.ReplaceAll(strings.TrimSpace(text), "'", "''") + "'"
		}
	}
	a.Comment = []byte(strings.Join(lines, "\n"))
	return txtar.Format(a), nil
}

var failLine = regexp.MustCompile(`^FAIL: .*?:\d+: (.*)$`)

// lastFailure extracts the message of testscript's last "FAIL: file:line: msg"
// line, and what the failing command logged before it (a cmp diff, say).
func lastFailure(log string) (msg, detail string) {
	lines := strings.Split(log, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		m := failLine.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		start := i
		for start > 0 && !strings.HasPrefix(lines[start-1], "> ") {
			start--
		}
		return m[1], strings.TrimSpace(strings.Join(lines[start:i], "\n"))
	}
	return "the check script failed", ""
}

// scriptT is the testscript.T of one check: failures stop the script and are
// remembered instead of failing a Go test.
type scriptT struct {
	run     *scriptRun
	failed  bool
	skipped bool
	msg     string // what Fatal or Skip said
}

type failNow struct{}

func (t *scriptT) Skip(args ...any) {
	t.skipped = true
	t.msg = fmt.Sprint(args...)
	panic(failNow{})
}

func (t *scriptT) Fatal(args ...any) {
	t.msg = fmt.Sprint(args...)
	t.FailNow()
}

func (t *scriptT) FailNow() {
	t.failed = true
	panic(failNow{})
}

func (t *scriptT) Parallel()                          {}
func (t *scriptT) Log(args ...any)                    { fmt.Fprintln(&t.run.log, args...) }
func (t *scriptT) Verbose() bool                      { return false }
func (t *scriptT) Run(_ string, f func(testscript.T)) { defer t.recover(); f(t) }

func (t *scriptT) recover() {
	if e := recover(); e != nil {
		if _, ok := e.(failNow); !ok {
			panic(e)
		}
	}
}

// parser returns the diagnostics parser for the files of this check.
func (s *scriptRun) parser() diagnostics.Parser {
	return diagnostics.Parser{Files: s.files, Module: s.modulePath}
}
