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

// TestPredictBlocks: a predict block belongs to the program before it, may
// come before the program's output blocks, and is measured on the run of the
// first output block's command that can measure it, or the one it names.
func TestPredictBlocks(t *testing.T) {
	const head = "---\ntitle: X\ntopic: races\n---\n"
	const prog = "```go\npackage main\n\nfunc main() {}\n```\n\n"
	const outs = "```output\n$ go build -gcflags=-m .\n```\n\n```output\n$ go run -race .\nok\n```\n\n"
	block := func(lines ...string) string { return "```predict\n" + strings.Join(lines, "\n") + "\n```\n\n" }
	race := block("id: races", "question: Does it race?", "measure: race")
	tests := []struct {
		name, doc string
		want      string // an error containing it, or "" for none
		script    string // with no error: in the program's script
	}{
		{"before the outputs", head + prog + race + outs, "", "go run -race .\nmeasure races race\nlesson-output 1\n"},
		{"after the outputs", head + prog + outs + race, "", "go run -race .\nmeasure races race\nlesson-output 1\n"},
		{"an escape from -m", head + prog + outs + block("id: buf", "question: Does `buf` escape?", "measure: escapes main buf"), "",
			"go build -gcflags=-m .\nmeasure buf escapes main buf\nlesson-output 0\n"},
		{"a command named", head + prog + outs + "```output\n$ go run -race -count=1 .\nok\n```\n\n" +
			block("id: races", "question: Does it race?", "measure: race", "command: $ go run -race -count=1 ."), "",
			"go run -race -count=1 .\nmeasure races race\nlesson-output 2\n"},
		{"a value", head + prog + outs + block("id: left", "question: How many goroutines are left?", "measure: goroutines"), "",
			"go run -race .\nmeasure left goroutines\n"},
		{"a printed line of another name", head + prog + outs + block("id: left", "question: How many goroutines are left?", "measure: goroutines 'goroutines left'"), "",
			"go run -race .\nmeasure left goroutines 'goroutines left'\n"},
		{"a label with a colon", head + prog + outs + block("id: moved", "question: Did it move?", `measure: "value 'orders[0] has not moved'"`, "answer: yes/no"), "",
			"go run -race .\nmeasure moved value 'orders[0] has not moved'\n"},
		{"a panic", head + prog + outs + block("id: dies", "question: Does it panic?", "measure: panics"), "", "go run -race .\nmeasure dies panics\n"},
		{"an exit status", head + prog + outs + block("id: status", "question: Which exit status?", "measure: exit"), "", "go run -race .\nmeasure status exit\n"},
		{"a panic read from a build", head + prog + "```output\n$ go build -gcflags=-m .\n```\n\n" + block("id: dies", "question: Does it panic?", "measure: panics"),
			"no output block of the program can measure it", ""},
		{"no program", head + race, "a predict block must follow a go or txtar block", ""},
		{"no output block", head + prog + race, "the program has no output block", ""},
		{"no output block that can measure it", head + prog + "```output\n$ go run .\n```\n\n" + race, "no output block of the program can measure it (a data race is reported by `go test -race` or `go run -race`)", ""},
		{"a command no output block runs", head + prog + outs + block("id: races", "question: Race?", "measure: race", "command: go test -race ."), `no output block of the program runs "go test -race ."`, ""},
		{"no measure", head + prog + outs + block("id: races", "question: Race?"), "measure is missing", ""},
		{"an unknown kind", head + prog + outs + block("id: races", "question: Race?", "measure: speed"), `unknown kind "speed"`, ""},
		{"a bad id", head + prog + outs + block("id: Races", "question: Race?", "measure: race"), "lower-case", ""},
		{"an id twice", head + prog + outs + race + prog + outs + race, `the id "races" is used twice`, ""},
		{"an unknown field", head + prog + outs + block("id: races", "question: Race?", "measure: race", "answr: yes"), "field answr not found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse("races.md", []byte(tt.doc))
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "races.md: line ") {
					t.Fatalf("got %v, want an error at a line of races.md containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := l.Programs[0]
			if len(p.Predictions) != 1 || p.Predictions[0].Measure != p.Predictions[0].ID || p.Predictions[0].Kind == "" {
				t.Fatalf("predictions: got %+v, want one, measured under its id", p.Predictions)
			}
			if s := string(p.Script()); !strings.Contains(s, tt.script) {
				t.Errorf("script:\n%s\nwant it to contain:\n%s", s, tt.script)
			}
			if _, err := runner.Measures(p.Script()); err != nil {
				t.Errorf("the script's measures: %v", err)
			}
		})
	}
}

// TestEveryLessonPredicts: every lesson asks the reader at least one
// question before a program runs (a predict block), as the curriculum
// promises (lessons/README.md, "Predictions").
func TestEveryLessonPredicts(t *testing.T) {
	list, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no lessons")
	}
	for _, l := range list {
		if !slices.ContainsFunc(l.Programs, func(p *Program) bool { return len(p.Predictions) > 0 }) {
			t.Errorf("%s has no predict block: add one after a program (see lessons/README.md)", l.File)
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
	measured := make(map[string]string)
	res := r.Run(context.Background(), p.Check(name), runner.SinkFunc(func(e runner.Event) {
		switch e.Type {
		case runner.TypeStep:
			fmt.Fprintf(&log, "$ %s\n", e.Cmd)
		case runner.TypeOutput:
			log.WriteString(e.Text)
		case runner.TypeFailure:
			fmt.Fprintf(&log, "FAILURE: %s\n%s\n", e.Message, e.Text)
		case runner.TypeMeasure:
			measured[e.Name] = e.Value
		}
	}))
	if !res.Pass {
		t.Fatalf("%s (Go %s):\n%s", res.Message, r.Go.Version, log.String())
	}
	// Every prediction of the program is answered by its run, with an
	// answer to the question.
	for _, q := range p.Predictions {
		v, ok := measured[q.Measure]
		if !ok {
			t.Errorf("prediction %s: the run never measured it:\n%s", q.ID, log.String())
			continue
		}
		if _, err := q.Normalize(v); err != nil {
			t.Errorf("prediction %s: the run measured %q, which is no answer to it: %v", q.ID, v, err)
		}
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
