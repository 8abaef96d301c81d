package lessons

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
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

// TestProgramIDs numbers programs in document order, nested blocks
// included, and lets one program carry several output blocks.
func TestProgramIDs(t *testing.T) {
	doc := "---\ntitle: X\ntopic: init\n---\n" +
		"- a list item with a program:\n\n  ```go\n  package main\n\n  func main() {}\n  ```\n\n" +
		"```go\npackage main\n\nfunc main() { println(1) }\n```\n\n" +
		"```output\n$ go run .\n1\n```\n\n" +
		"```output\n$ go vet .\n```\n\n" +
		"> ```txtar\n> -- main.go --\n> package main\n>\n> func main() {}\n> ```\n"
	l, err := Parse("init.md", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, p := range l.Programs {
		if p.ID != i {
			t.Errorf("program %d has ID %d", i, p.ID)
		}
		got = append(got, fmt.Sprintf("%d:%d", p.Line, len(p.Outputs)))
	}
	if want := []string{"7:0", "13:2", "28:0"}; !slices.Equal(got, want) {
		t.Errorf("programs (line:outputs): got %q, want %q", got, want)
	}
	html, err := md.HTML(l.Body, markdown.HTMLOptions{Runnable: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := regexp.MustCompile(`data-program="(\d+)"`).FindAllStringSubmatch(html, -1)
	var order []string
	for _, m := range ids {
		order = append(order, m[1])
	}
	if want := []string{"0", "1", "2"}; !slices.Equal(order, want) {
		t.Errorf("Run buttons in the page: got %q, want %q", order, want)
	}
}

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
	if p.Line != 13 || len(p.Outputs) != 1 || p.Outputs[0].Line != 19 || !slices.Equal(p.Outputs[0].Args, []string{"run", "."}) || p.Outputs[0].Want != "hi\n" {
		t.Errorf("first program: line %d, outputs %+v", p.Line, p.Outputs)
	}
	if string(p.Files["go.mod"]) != "module example\n\ngo 1.26\n" {
		t.Errorf("go.mod: %q", p.Files["go.mod"])
	}
	if q := l.Programs[1]; q.Files["cfg/cfg.go"] == nil || q.Outputs[0].Exit != 2 || !strings.HasSuffix(q.Outputs[0].Want, "exit status 2\n") {
		t.Errorf("txtar program: %+v, output %+v", q.Files, q.Outputs[0])
	}
	if q := l.Programs[2]; q.Outputs[0].Exit != 1 || strings.Contains(q.Outputs[0].Want, "exit status") {
		t.Errorf("vet program: output %+v; the exit line must be dropped from want for commands other than go run", q.Outputs[0])
	}
	if s := string(l.Programs[2].Script()); !strings.Contains(s, "\nenv GOFLAGS=-mod=mod\n! go vet .\n") {
		t.Errorf("script of a failing command:\n%s", s)
	}

	bad := []struct{ doc, want string }{
		{strings.Replace(sample, "topic: init", "topic: defer", 1), `topic "defer" must match the file name`},
		{"---\ntitle: X\ntopic: init\n---\n```output\n$ go run .\n```\n", "must follow a go or txtar block"},
		{"---\ntitle: X\ntopic: init\n---\n```go\npackage main\n```\n\n```sh\nx\n```\n```output\n$ go run .\n```\n", "must follow a go or txtar block"},
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
	// A slow, busy machine must not turn a lesson's output into a timeout:
	// the bound is the test's own deadline.
	if deadline, ok := t.Deadline(); ok {
		r.CheckTimeout = time.Until(deadline) - 30*time.Second
		r.StepTimeout = r.CheckTimeout
	}
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
	var log strings.Builder
	res := r.Run(context.Background(), p.Check(name), runner.SinkFunc(func(e runner.Event) {
		switch e.Type {
		case runner.TypeStep:
			fmt.Fprintf(&log, "$ %s\n", e.Cmd)
		case runner.TypeOutput:
			log.WriteString(e.Text)
		case runner.TypeFailure:
			fmt.Fprintf(&log, "FAILURE: %s\n%s\n", e.Message, e.Text)
		}
	}))
	if !res.Pass {
		t.Fatalf("%s (Go %s):\n%s", res.Message, r.Go.Version, log.String())
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
			for _, o := range p.Outputs {
				if len(o.Args) == 0 || o.Line <= p.Line {
					t.Fatalf("bad output %+v of program at line %d", o, p.Line)
				}
			}
		}
	})
}
