package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newTestRunner returns a Runner for the installed Go, in a work root of the
// test's own. A machine that cannot run checks at all fails the test, saying
// what it lacks: the runner's tests are no place to skip.
func newTestRunner(t *testing.T) *Runner {
	t.Helper()
	r, err := New(context.Background())
	if err != nil {
		var ee *EnvError
		if errors.As(err, &ee) {
			t.Fatalf("this machine cannot run checks: %v", err)
		}
		t.Fatal(err)
	}
	r.WorkRoot = t.TempDir()
	return r
}

func runFixture(t *testing.T, r *Runner, name string, edit func(string) string) (Result, []Event) {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		script = []byte(edit(string(script)))
	}
	var c Collect
	res := r.Run(context.Background(), Check{Name: name, Script: script}, &c)
	return res, c.Events
}

func types(events []Event) string {
	var ts []string
	for _, e := range events {
		if len(ts) > 0 && ts[len(ts)-1] == e.Type && e.Type == TypeOutput {
			continue
		}
		ts = append(ts, e.Type)
	}
	return strings.Join(ts, " ")
}

func TestRunPassAndFail(t *testing.T) {
	r := newTestRunner(t)
	tests := []struct {
		fixture  string
		pass     bool
		sequence string
		failure  string // substring of a failure message
		file     string
		line     int
	}{
		{"pass", true, "start step output step_end verdict", "", "", 0},
		{"fail", false, "start step output step_end diagnostic failure verdict", "Sum = 3, want 6", "sum_test.go", 7},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			res, events := runFixture(t, r, tt.fixture, nil)
			if res.Pass != tt.pass {
				t.Fatalf("pass = %v, want %v; events: %+v", res.Pass, tt.pass, events)
			}
			if got := types(events); got != tt.sequence {
				t.Errorf("event types: got %q, want %q", got, tt.sequence)
			}
			last := events[len(events)-1]
			if last.Type != TypeVerdict || *last.Pass != tt.pass || last.DurationMS == nil {
				t.Errorf("last event: got %+v, want a verdict", last)
			}
			if tt.failure == "" {
				return
			}
			var found bool
			for _, e := range events {
				if e.Type == TypeFailure && strings.Contains(e.Message, tt.failure) {
					found = true
					if e.File != tt.file || e.Line != tt.line {
						t.Errorf("failure at %s:%d, want %s:%d", e.File, e.Line, tt.file, tt.line)
					}
					if e.Phase != "Sum must add every number." {
						t.Errorf("failure phase: got %q", e.Phase)
					}
				}
			}
			if !found {
				t.Errorf("no failure containing %q in %+v", tt.failure, events)
			}
			if res.Message != "Sum must add every number." {
				t.Errorf("verdict message: got %q, want the phase", res.Message)
			}
		})
	}
}

// TestOutputPathsAreTheLearners checks that paths under the check's work
// directory reach the output events as the learner knows them (main.go:11),
// not under a temporary directory.
func TestOutputPathsAreTheLearners(t *testing.T) {
	r := newTestRunner(t)
	script := `# Paths print relative to the work directory.
go run .

-- go.mod --
module fixture

go 1.26
-- main.go --
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

func main() {
	_, file, line, _ := runtime.Caller(0)
	fmt.Printf("at %s:%d\n", file, line)
	wd, _ := os.Getwd()
	fmt.Fprintf(os.Stderr, "at %s:%d\n", filepath.Join(wd, "main.go"), line)
}
`
	var out []string
	sink := SinkFunc(func(e Event) {
		if e.Type == TypeOutput {
			out = append(out, e.Stream+": "+e.Text)
		}
	})
	if res := r.Run(context.Background(), Check{Name: "paths", Script: []byte(script)}, sink); !res.Pass {
		t.Fatalf("check failed: %+v\n%s", res, strings.Join(out, ""))
	}
	got := strings.Join(out, "")
	for _, want := range []string{"stdout: at main.go:11\n", "stderr: at main.go:11\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("the output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, r.WorkRoot) {
		t.Errorf("the output names the work root %s:\n%s", r.WorkRoot, got)
	}
}

func TestRunStreamsBeforeStepEnds(t *testing.T) {
	r := newTestRunner(t)
	// The program prints, then waits: its output must arrive while it runs.
	script := `# Output streams.
go run .

-- go.mod --
module fixture

go 1.26
-- main.go --
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println("first line")
	time.Sleep(2 * time.Second)
	fmt.Println("second line")
}
`
	var first, end time.Time
	sink := SinkFunc(func(e Event) {
		switch {
		case e.Type == TypeOutput && strings.Contains(e.Text, "first line") && first.IsZero():
			first = time.Now()
		case e.Type == TypeStepEnd:
			end = time.Now()
		}
	})
	res := r.Run(context.Background(), Check{Name: "stream", Script: []byte(script)}, sink)
	if !res.Pass {
		t.Fatalf("check failed: %+v", res)
	}
	if first.IsZero() || end.Sub(first) < time.Second {
		t.Fatalf("first output arrived %v before the step ended; want it while the program still ran", end.Sub(first))
	}
}

func TestRunEscapes(t *testing.T) {
	r := newTestRunner(t)
	res, events := runFixture(t, r, "escape", nil)
	if !res.Pass {
		t.Fatalf("escape fixture failed: %+v", events)
	}
	// Now the other way round: Parse's buf does not escape, NewHeader's h does.
	res, events = runFixture(t, r, "escape", func(s string) string {
		return strings.Replace(strings.Replace(s, "escapes NewHeader h", "! escapes NewHeader h", 1), "! escapes Parse buf", "escapes Parse buf", 1)
	})
	if res.Pass {
		t.Fatal("inverted escape assertions passed")
	}
	var msgs []string
	for _, e := range events {
		if e.Type == TypeFailure {
			msgs = append(msgs, e.Message)
			if e.File != "header.go" || e.Line != 8 {
				t.Errorf("failure location: got %s:%d, want header.go:8", e.File, e.Line)
			}
		}
	}
	if len(msgs) != 1 || msgs[0] != "`h` moves to the heap because its address is returned by `NewHeader` (line 9) to a caller it cannot see." {
		t.Errorf("failures: got %q", msgs)
	}
}

func TestEscapeWhy(t *testing.T) {
	tests := []struct{ text, want string }{
		{"./buf.go:10:2: p escapes to heap in NewPoint:\n./buf.go:10:2:   flow: ~r0 ← &p:\n./buf.go:10:2:     from &p (address-of) at ./buf.go:11:9\n./buf.go:10:2:     from return &p (return) at ./buf.go:11:2\n./buf.go:10:2: moved to heap: p",
			", because of `return &p` (return) at buf.go:11"},
		{"./buf.go:22:11: parameter p leaks to {heap} for Keep with derefs=0:\n./buf.go:22:11:   flow: {heap} ← p:\n./buf.go:22:11:     from keep = p (assign) at ./buf.go:23:7\n./buf.go:22:11: leaking param: p",
			", because of `keep = p` (assign) at buf.go:23"},
		{"./header.go:8:2: moved to heap: h", ""}, // -m without =2 says no more
	}
	for _, tt := range tests {
		if got := escapeWhy(tt.text); got != tt.want {
			t.Errorf("escapeWhy(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestRunHangIsStoppedAndLeavesNothing(t *testing.T) {
	r := newTestRunner(t)
	pidDir := t.TempDir()
	// Build the test binary first, under the same work dir, so that the short
	// step timeout below bounds the hang and not a cold compile.
	if res, events := runFixture(t, r, "hang", func(s string) string { return strings.Replace(s, "-timeout=10m", "-run=^$", 1) }); !res.Pass {
		t.Fatalf("warm-up build failed: %+v", events)
	}
	r.StepTimeout = 5 * time.Second
	start := time.Now()
	res, events := runFixture(t, r, "hang", func(s string) string { return strings.ReplaceAll(s, "@PIDDIR@", pidDir) })
	took := time.Since(start)
	if res.Pass || res.Reason != "" && res.Reason != ReasonTimeout {
		t.Fatalf("hang: got %+v", res)
	}
	if took > r.StepTimeout+10*time.Second {
		t.Errorf("the hung check took %v; its bound is %v", took, r.StepTimeout)
	}
	var told bool
	for _, e := range events {
		if e.Type == TypeFailure && strings.Contains(e.Message, "still running after") {
			told = true
		}
		if e.Type == TypeStepEnd && e.Reason != ReasonTimeout {
			t.Errorf("step_end reason: got %q, want timeout", e.Reason)
		}
	}
	if !told {
		t.Errorf("the learner was not told the step timed out: %+v", events)
	}
	assertGone(t, filepath.Join(pidDir, "pids"))
	assertWorkDirRemoved(t, r)
}

func TestRunFloodIsStopped(t *testing.T) {
	r := newTestRunner(t)
	r.OutputLimit = 64 << 10
	res, events := runFixture(t, r, "flood", nil)
	if res.Pass {
		t.Fatal("flooding check passed")
	}
	var printed int
	var note, told bool
	for _, e := range events {
		switch {
		case e.Type == TypeOutput && e.Stream != Note:
			printed += len(e.Text)
		case e.Type == TypeOutput && e.Stream == Note && strings.Contains(e.Text, "output stopped"):
			note = true
		case e.Type == TypeStepEnd && e.Reason != ReasonOutputLimit:
			t.Errorf("step_end reason: got %q, want %q", e.Reason, ReasonOutputLimit)
		case e.Type == TypeFailure && strings.Contains(e.Message, "printed more than 64 KiB"):
			told = true
		}
	}
	if printed > r.OutputLimit {
		t.Errorf("printed %d bytes, limit %d", printed, r.OutputLimit)
	}
	if !note || !told {
		t.Errorf("note shown: %v, failure told: %v", note, told)
	}
	assertWorkDirRemoved(t, r)
}

func TestRunCancel(t *testing.T) {
	r := newTestRunner(t)
	script, pidFile := hangScript(t)
	ctx, cancel := context.WithCancel(context.Background())
	var c Collect
	done := make(chan Result)
	go func() { done <- r.Run(ctx, Check{Name: "cancel", Script: script}, &c) }()
	waitForFile(t, pidFile) // the test binary is up
	cancel()
	res := <-done
	if res.Pass || res.Reason != ReasonCanceled {
		t.Fatalf("canceled check: got %+v", res)
	}
	assertGone(t, pidFile)
	assertWorkDirRemoved(t, r)
}

func assertWorkDirRemoved(t *testing.T, r *Runner) {
	t.Helper()
	entries, _ := os.ReadDir(r.WorkRoot)
	for _, e := range entries {
		if e.IsDir() {
			t.Errorf("work dir %s left behind", e.Name())
		}
	}
}

func TestRunBuiltinFailureShowsDetail(t *testing.T) {
	r := newTestRunner(t)
	res, events := runFixture(t, r, "cmp", nil)
	if res.Pass {
		t.Fatal("cmp fixture passed")
	}
	var fails []Event
	for _, e := range events {
		if e.Type == TypeFailure {
			fails = append(fails, e)
		}
	}
	if len(fails) != 1 {
		t.Fatalf("got %d failures, want 1: %+v", len(fails), fails)
	}
	f := fails[0]
	if !strings.Contains(f.Message, "stdout and want.txt differ") || !strings.Contains(f.Text, "-total: 41") || !strings.Contains(f.Text, "+total: 42") {
		t.Errorf("failure: got message %q, detail %q; want the cmp message and its diff", f.Message, f.Text)
	}
	if f.Phase != "The report must list the totals." {
		t.Errorf("phase: got %q", f.Phase)
	}
}

func TestLatestSupersedes(t *testing.T) {
	r := newTestRunner(t)
	hang, pidFile := hangScript(t)
	pass, err := os.ReadFile("testdata/pass.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var l Latest
	first := make(chan Result, 1)
	go l.Run(context.Background(), "ex", func(ctx context.Context) {
		first <- r.Run(ctx, Check{Name: "ex", Script: hang}, &Collect{})
	})
	waitForFile(t, pidFile)
	var second Result
	l.Run(context.Background(), "ex", func(ctx context.Context) {
		// The first run is over, and nothing of it is left, before this starts.
		select {
		case res := <-first:
			if res.Reason != ReasonCanceled {
				t.Errorf("superseded run: got %+v, want canceled", res)
			}
		default:
			t.Error("the second run started before the first was over")
		}
		assertGone(t, pidFile)
		second = r.Run(ctx, Check{Name: "ex", Script: pass}, &Collect{})
	})
	if !second.Pass {
		t.Errorf("second run: got %+v, want a pass", second)
	}
}

// hangScript returns the hang fixture, which writes the pids of its test
// binary and of a child process to the returned file.
func hangScript(t *testing.T) (script []byte, pidFile string) {
	t.Helper()
	pidDir := t.TempDir()
	data, err := os.ReadFile("testdata/hang.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), "@PIDDIR@", pidDir)), filepath.Join(pidDir, "pids")
}

// waitForFile waits until path exists (a cold build may take a while).
func waitForFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s never appeared", path)
}

func TestRunCheckTimeout(t *testing.T) {
	r := newTestRunner(t)
	script, pidFile := hangScript(t)
	// Warm the build so the bound below meets the hang, not the compiler.
	warm := []byte(strings.Replace(string(script), "-timeout=10m", "-run=^$", 1))
	if res := r.Run(context.Background(), Check{Name: "ct", Script: warm}, &Collect{}); !res.Pass {
		t.Fatalf("warm-up failed: %+v", res)
	}
	r.CheckTimeout = 4 * time.Second
	var c Collect
	res := r.Run(context.Background(), Check{Name: "ct", Script: script}, &c)
	if res.Pass || res.Reason != ReasonCheckTimeout {
		t.Fatalf("got %+v, want a check timeout", res)
	}
	var told bool
	for _, e := range c.Events {
		if e.Type == TypeFailure && strings.Contains(e.Message, "the whole check's time (4s) ran out") {
			told = true
		}
	}
	if !told {
		t.Errorf("the learner was not told the check ran out of time: %+v", c.Events)
	}
	assertGone(t, pidFile)
	assertWorkDirRemoved(t, r)
}

func TestRunBrokenScript(t *testing.T) {
	r := newTestRunner(t)
	var c Collect
	res := r.Run(context.Background(), Check{Name: "broken", Script: []byte("go test .\n-- --\n")}, &c)
	if res.Pass || !strings.Contains(res.Message, "The check script is broken") {
		t.Fatalf("got %+v", res)
	}
	if last := c.Events[len(c.Events)-1]; last.Type != TypeVerdict {
		t.Errorf("the stream did not end with a verdict: %+v", last)
	}
}

// A hidden test of the script fails: the learner is told what it says, but
// is not pointed at a file they do not have.
func TestRunHiddenFileIsNotALocation(t *testing.T) {
	r := newTestRunner(t)
	script := "# Sum must add every number.\ngo test -count=1 .\n-- check_test.go --\npackage fixture\n\nimport \"testing\"\n\nfunc TestCheck(t *testing.T) {\n\tif Sum(2, 2) != 4 {\n\t\tt.Fatal(\"Sum(2, 2) is not 4\")\n\t}\n}\n"
	files := map[string][]byte{
		"go.mod": []byte("module fixture\n\ngo 1.26\n"),
		"sum.go": []byte("package fixture\n\nfunc Sum(xs ...int) int { return xs[0] }\n"),
	}
	var c Collect
	if res := r.Run(context.Background(), Check{Name: "hidden", Script: []byte(script), Files: files}, &c); res.Pass {
		t.Fatal("the hidden test passed")
	}
	var found bool
	for _, e := range c.Events {
		if e.Type == TypeFailure && strings.Contains(e.Message, "Sum(2, 2) is not 4") {
			found = true
			if e.File != "" {
				t.Errorf("failure points at %s:%d, a file the learner does not have", e.File, e.Line)
			}
			for _, d := range c.Events {
				if d.Type == TypeDiagnostic && d.ID == e.Ref && (d.File != "" || d.Diagnostic.File != "") {
					t.Errorf("its diagnostic points at %s:%d, a file the learner does not have", d.File, d.Line)
				}
			}
			if strings.Contains(e.Message, "check_test.go") {
				t.Errorf("failure message names a file the learner does not have: %q", e.Message)
			}
		}
	}
	if !found {
		t.Errorf("no failure with the hidden test's message: %+v", c.Events)
	}
}

// A failing hidden test is told by its name and by what its doc comment says
// it checks.
func TestRunHiddenTestSaysWhatItChecks(t *testing.T) {
	r := newTestRunner(t)
	script := "# Sum must add every number.\ngo test -count=1 .\n-- check_test.go --\npackage fixture\n\nimport \"testing\"\n\n" +
		"// TestCheckSums adds numbers it has never shown the learner. More text.\nfunc TestCheckSums(t *testing.T) {\n\tif Sum(2, 5) != 7 {\n\t\tt.Fatal(\"Sum(2, 5) is not 7\")\n\t}\n}\n"
	files := map[string][]byte{
		"go.mod": []byte("module fixture\n\ngo 1.26\n"),
		"sum.go": []byte("package fixture\n\nfunc Sum(xs ...int) int { return xs[0] }\n"),
	}
	var c Collect
	r.Run(context.Background(), Check{Name: "hidden", Script: []byte(script), Files: files, ProveTests: true}, &c)
	want := "The check's own test TestCheckSums failed: Sum(2, 5) is not 7 (What it checks: adds numbers it has never shown the learner.)"
	for _, e := range c.Events {
		if e.Type == TypeFailure && e.Message == want {
			return
		}
	}
	t.Errorf("no failure %q in %+v", want, c.Events)
}

// A check proves that the tests ran: a learner's file that ends the test
// binary in init, or skips the tests through their flags, makes `go test`
// print ok, and the check must fail all the same, saying the tests did not run.
func TestRunProvesTheTestsRan(t *testing.T) {
	r := newTestRunner(t)
	script, err := os.ReadFile(filepath.Join("testdata", "pass.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	sabotage := map[string]string{
		"exit": "package fixture\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc init() {\n\tif testing.Testing() {\n\t\tos.Exit(0)\n\t}\n}\n",
		"skip": "package fixture\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc init() {\n\tif testing.Testing() {\n\t\tos.Args = append(os.Args, \"-test.skip=.\")\n\t}\n}\n",
		"none": "package fixture\n",
	}
	want := map[string]string{
		"exit": "The tests did not run: go test said ok, but TestSum never ran.",
		"skip": "The tests did not run: go test said ok, but TestSum never ran.",
	}
	for name, src := range sabotage {
		t.Run(name, func(t *testing.T) {
			var c Collect
			res := r.Run(context.Background(), Check{Name: "prove-" + name, Script: script, Files: map[string][]byte{"zz.go": []byte(src)}, ProveTests: true}, &c)
			if name == "none" {
				if !res.Pass {
					t.Fatalf("an honest package failed: %+v", c.Events)
				}
				return
			}
			if res.Pass {
				t.Fatalf("the check passed though its tests did not run: %+v", c.Events)
			}
			for _, e := range c.Events {
				if e.Type == TypeFailure && strings.HasPrefix(e.Message, want[name]) {
					return
				}
			}
			t.Errorf("no failure starting %q in %+v", want[name], c.Events)
		})
	}
}

func TestExpectedTests(t *testing.T) {
	root := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module shop\n\ngo 1.26\n")
	write("a_test.go", "package shop\nimport \"testing\"\nfunc TestA(t *testing.T) {}\nfunc TestB(t *testing.T) {}\nfunc Testlower(t *testing.T) {}\nfunc TestMain(m *testing.M) {}\nfunc helper(t *testing.T) {}\nfunc BenchmarkA(b *testing.B) {}\n")
	write("norace_test.go", "//go:build !race\n\npackage shop\nimport \"testing\"\nfunc TestNoRace(t *testing.T) {}\n")
	write("store/s_test.go", "package store_test\nimport tt \"testing\"\nfunc TestStore(t *tt.T) {}\n")
	write("store/testdata/x_test.go", "package x\nimport \"testing\"\nfunc TestData(t *testing.T) {}\n")
	tests := []struct {
		dir  string
		args []string
		want string
	}{
		{".", []string{"test", "."}, "shop.TestA shop.TestB shop.TestNoRace"},
		{".", []string{"test", "-race", "-count=3", "."}, "shop.TestA shop.TestB"},
		{".", []string{"test", "-run", "TestA|TestStore", "./..."}, "shop.TestA shop/store.TestStore"},
		{".", []string{"test", "-run=^TestB$/sub", "."}, "shop.TestB"},
		{".", []string{"test", "-run=^$", "."}, ""},
		{".", []string{"test", "-skip", "TestA", "-race", "shop/..."}, "shop.TestB shop/store.TestStore"},
		{"store", []string{"test", "."}, "shop/store.TestStore"},
		{".", []string{"test", "./store"}, "shop/store.TestStore"},
	}
	for _, tt := range tests {
		var got []string
		for _, k := range expectedTests(root, filepath.Join(root, tt.dir), "shop", tt.args) {
			got = append(got, k.pkg+"."+k.test)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("expectedTests(%s, %q): got %q, want %q", tt.dir, tt.args, strings.Join(got, " "), tt.want)
		}
	}
}

func TestGoTestArgs(t *testing.T) {
	tests := []struct {
		in, want string
		json     bool
	}{
		{"test -race .", "test -json -race .", true},
		{"test -json .", "test -json .", false},
		{"test -c -o x.test .", "test -c -o x.test .", false},
		{"test -exec=true ./...", "test -exec=true ./...", false},
		{"test . -args -c", "test -json . -args -c", true},
		{"build -gcflags=-m .", "build -gcflags=-m .", false},
		{"vet .", "vet .", false},
	}
	for _, tt := range tests {
		got, json := goTestArgs(strings.Fields(tt.in))
		if strings.Join(got, " ") != tt.want || json != tt.json {
			t.Errorf("goTestArgs(%q) = %q, %v; want %q, %v", tt.in, strings.Join(got, " "), json, tt.want, tt.json)
		}
	}
}
