package lessons

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		want, got string
		ok        bool
	}{
		{"a\nb\n", "a\nb\n", true},
		{"a\nb\n", "a\nc\n", false},
		{"a\n...\nd\n", "a\nb\nc\nd\n", true},
		{"a\n...\nd\n", "a\nd\n", true},
		{"a\n...\n", "a\n", true},
		{"a\n...\nd\n", "a\nb\nc\n", false},
		{"goroutine 1 [running]:\nmain.main()...\n", "goroutine 1 [running]:\nmain.main()\n", true},
		{"x...\n", "y\n", false},
		{"a\n", "a  \n\n\n", true},
		{"", "", true},
		{"", "a\n", false},
		{"a\n", "a\nb\n", false},
	}
	for _, tt := range tests {
		if got := Match(tt.want, tt.got); got != tt.ok {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

const sample = "---\ntitle: Sample\ntopic: init\norder: 5\nexercises: [init-config-order]\n---\n" +
	"# Sample lesson\n\n## Variables before init\n\nText.\n\n" +
	"```go\npackage main\n\nfunc main() { println(\"hi\") }\n```\n\n" +
	"```output\n$ go run .\nhi\n```\n\n" +
	"## A panic in init\n\n" +
	"```txtar\n-- main.go --\npackage main\n\nimport _ \"example/cfg\"\n\nfunc main() {}\n-- cfg/cfg.go --\npackage cfg\n\nfunc init() { panic(\"no config\") }\n```\n\n" +
	"```output\n$ go run .\npanic: no config\n...\nexit status 2\n```\n\n" +
	"```go\npackage main\n\nfunc main() { var x int }\n```\n\n" +
	"```output\n$ GOFLAGS=-mod=mod go vet .\n# example\n...\nexit status 1\n```\n\n" +
	"```sh\nnot run\n```\n"

func TestParse(t *testing.T) {
	l, err := Parse("init.md", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range l.Headings {
		ids = append(ids, h.ID)
	}
	if want := []string{"sample-lesson", "variables-before-init", "a-panic-in-init"}; !slices.Equal(ids, want) {
		t.Errorf("heading ids: got %q, want %q", ids, want)
	}
	if len(l.Programs) != 3 {
		t.Fatalf("got %d programs, want 3", len(l.Programs))
	}
	p := l.Programs[0]
	if p.Line != 13 || p.Output == nil || p.Output.Line != 19 || !slices.Equal(p.Output.Args, []string{"run", "."}) || p.Output.Want != "hi\n" {
		t.Errorf("first program: line %d, output %+v", p.Line, p.Output)
	}
	if string(p.Files["go.mod"]) != "module example\n\ngo 1.26\n" {
		t.Errorf("go.mod: %q", p.Files["go.mod"])
	}
	if q := l.Programs[1]; q.Files["cfg/cfg.go"] == nil || q.Output.Exit != 2 || !strings.HasSuffix(q.Output.Want, "exit status 2\n") {
		t.Errorf("txtar program: %+v, output %+v", q.Files, q.Output)
	}
	if q := l.Programs[2]; q.Output.Exit != 1 || strings.Contains(q.Output.Want, "exit status") {
		t.Errorf("vet program: output %+v; the exit line must be dropped from want for commands other than go run", q.Output)
	}
	if s := string(l.Programs[2].Script()); !strings.Contains(s, "\nenv GOFLAGS=-mod=mod\n! go vet .\n") {
		t.Errorf("script of a failing command:\n%s", s)
	}

	bad := []struct{ doc, want string }{
		{strings.Replace(sample, "topic: init", "topic: defer", 1), `topic "defer" must match the file name`},
		{"---\ntitle: X\ntopic: init\n---\n```output\n$ go run .\n```\n", "must follow a go or txtar block"},
		{"---\ntitle: X\ntopic: init\n---\n```go\npackage main\n```\n```output\ngo run .\n```\n", "starts with the command"},
		{"---\ntopic: init\n---\n", "title is missing"},
		{"---\ntitle: X\ntopic: init\n---\n```go\npackage main\n```\n```output\n$ GOEXPERIMENT=x\n```\n", "starts with the command"},
		{"---\ntitle: X\ntopic: init\n---\n```go\npackage main\n```\n```output\n$ goexperiment=x go run .\n```\n", "starts with the command"},
	}
	for _, b := range bad {
		if _, err := Parse("init.md", []byte(b.doc)); err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), "init.md") {
			t.Errorf("got %v, want an error naming init.md and saying %q", err, b.want)
		}
	}
}

// TestLessonsAndExercisesAgree checks the links between lessons and exercises.
func TestLessonsAndExercisesAgree(t *testing.T) {
	list, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if !slices.Contains(exercises.Topics, l.Topic) {
			t.Errorf("%s: unknown topic %q", l.File, l.Topic)
		}
		for _, name := range l.Exercises {
			ex, err := cat.Lookup(name)
			if err != nil {
				t.Errorf("%s: %v", l.File, err)
			} else if ex.Topic != l.Topic {
				t.Errorf("%s lists %s, whose topic is %s", l.File, name, ex.Topic)
			}
		}
		for _, ex := range cat.List {
			if ex.Topic != l.Topic {
				continue
			}
			if !slices.Contains(l.Exercises, ex.Name) {
				t.Errorf("%s does not list its exercise %s", l.File, ex.Name)
			}
			_, anchor, _ := strings.Cut(ex.Lesson, "#")
			if !slices.ContainsFunc(l.Headings, func(h Heading) bool { return h.ID == anchor }) {
				t.Errorf("exercise %s points at %s, and %s has no heading with that anchor", ex.Name, ex.Lesson, l.File)
			}
		}
	}
}

// workDirPath is the program's directory in the output of a check.
var workDirPath = regexp.MustCompile(`[^\s'"]*/script-check`)

// TestLessonPrograms compiles every program of every lesson and checks that
// the output blocks say what the installed Go really prints.
func TestLessonPrograms(t *testing.T) {
	list, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(context.Background())
	if err != nil {
		t.Fatalf("cannot run programs here: %v", err)
	}
	r.WorkRoot = t.TempDir()
	for _, l := range list {
		for _, p := range l.Programs {
			name := fmt.Sprintf("%s:%d", l.File, p.Line)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				checkProgram(t, r, strings.ReplaceAll(name, ":", "-"), p)
			})
		}
	}
}

func checkProgram(t *testing.T, r *runner.Runner, name string, p *Program) {
	var stdout, stderr strings.Builder
	var failures []string
	var exit int
	step := 0
	res := r.Run(context.Background(), runner.Check{Name: name, Script: p.Script(), Files: p.Files}, runner.SinkFunc(func(e runner.Event) {
		switch e.Type {
		case runner.TypeStep:
			step = e.Step
			stdout.Reset()
			stderr.Reset()
		case runner.TypeOutput:
			if e.Stream == runner.Stdout {
				stdout.WriteString(e.Text)
			} else {
				stderr.WriteString(e.Text)
			}
		case runner.TypeStepEnd:
			exit = *e.ExitCode
		case runner.TypeFailure:
			failures = append(failures, e.Message)
		}
	}))
	got := workDirPath.ReplaceAllString(stdout.String()+stderr.String(), ".")
	if !res.Pass {
		t.Fatalf("step %d failed: %s\noutput:\n%s", step, strings.Join(failures, "\n"), got)
	}
	o := p.Output
	if o == nil {
		return
	}
	if o.Args[0] != "run" && exit != o.Exit {
		t.Errorf("line %d: `go %s` exited with status %d, the lesson says %d", o.Line, strings.Join(o.Args, " "), exit, o.Exit)
	}
	if !Match(o.Want, got) {
		t.Errorf("line %d: `go %s` printed something else than the lesson says.\n--- the lesson says:\n%s--- Go %s prints:\n%s", o.Line, strings.Join(o.Args, " "), o.Want, r.Go.Version, got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("---\ntitle: x\ntopic: init\n---\n```output\n$ go run .\n```\n"))
	f.Add([]byte("---\ntitle: x\ntopic: init\n---\n```txtar\n-- a --\n```\n```output\n$ go\n```\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		l, err := Parse("init.md", doc)
		if err != nil {
			return
		}
		for _, p := range l.Programs {
			if p.Line < 1 || p.Files["go.mod"] == nil {
				t.Fatalf("program at line %d without go.mod", p.Line)
			}
			if p.Output != nil && (len(p.Output.Args) == 0 || p.Output.Line <= p.Line) {
				t.Fatalf("bad output %+v of program at line %d", p.Output, p.Line)
			}
		}
	})
}
