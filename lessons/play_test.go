package lessons

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/internal/golden"
	"github.com/go-blindspots/workbook/runner"
)

// playLesson has a program of each shape the playground meets: a go block
// that go run runs, a txtar block with a test and a subpackage, a go block
// shown only with go build -gcflags=-m, one run with a file list, and one
// that is no main package.
const playLesson = "---\ntitle: Play\ntopic: escape\n---\n" +
	"```go\npackage main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n```\n\n" +
	"```output\n$ go run .\nhi\n```\n\n" +
	"```output\n$ go run -race .\nhi\n```\n\n" +
	"```txtar\n-- main.go --\npackage main\n\nimport \"example/cfg\"\n\nfunc main() { println(cfg.Name) }\n-- cfg/cfg.go --\npackage cfg\n\nvar Name = \"x\"\n-- cfg/cfg_test.go --\npackage cfg\n\nimport \"testing\"\n\nfunc TestName(t *testing.T) {}\n```\n\n" +
	"```output\n$ GOFLAGS=-mod=mod go test -v ./...\n...\n```\n\n" +
	"```go\npackage main\n\nfunc main() {\n\tx := new(int)\n\t_ = x\n}\n```\n\n" +
	"```output\n$ go build -gcflags=-m .\n...\n```\n\n" +
	"```txtar\n-- a.go --\npackage main\n\nfunc main() {}\n-- b.go --\npackage main\n```\n\n" +
	"```output\n$ go run b.go a.go\n```\n\n" +
	"```txtar\n-- go.mod --\nmodule example.com/lib\n\ngo 1.26\n-- lib.go --\npackage lib\n\nfunc F() {}\n```\n"

func playPrograms(t *testing.T) []*Program {
	t.Helper()
	l, err := Parse("escape.md", []byte(playLesson))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Programs) != 5 {
		t.Fatalf("got %d programs, want 5", len(l.Programs))
	}
	return l.Programs
}

// TestPlayScripts compares the scripts of playground runs with
// testdata/play/*.txt: which commands run, with which flags, in which order,
// for each shape of program, edited or not, with each tool.
func TestPlayScripts(t *testing.T) {
	ps := playPrograms(t)
	edited := strings.Replace(ps[0].Source, `"hi"`, `"hello"`, 1)
	tests := []struct {
		name  string
		p     *Program
		src   string
		tools Tools
	}{
		{"lesson", ps[0], "", Tools{}},
		{"edited", ps[0], edited, Tools{}},
		{"race", ps[0], "", Tools{Race: true}},
		{"escapes", ps[0], "", Tools{Escapes: true}},
		{"allocs", ps[0], edited, Tools{Allocs: true}},
		{"all", ps[0], edited, Tools{Race: true, Escapes: true, Allocs: true}},
		{"txtar-race", ps[1], "", Tools{Race: true}},
		{"txtar-allocs", ps[1], "", Tools{Allocs: true}},
		{"build-only-edited", ps[2], strings.Replace(ps[2].Source, "new(int)", "new(int64)", 1), Tools{}},
		{"build-only-escapes", ps[2], "", Tools{Escapes: true}},
		{"file-list-allocs", ps[3], "", Tools{Allocs: true, Escapes: true}},
		{"library-allocs", ps[4], "", Tools{Allocs: true}},
		{"library-escapes", ps[4], "", Tools{Escapes: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.p.Play("lesson-escape-0", tt.src, tt.tools)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("explore: %v\nnotes: %q\nfiles: %q\n-- script --\n%s", c.Explore, c.Notes, slices.Sorted(maps.Keys(c.Files)), c.Script)
			// The files the tools change, as they run.
			src, _ := tt.p.Edit(tt.src)
			for _, name := range slices.Sorted(maps.Keys(src.Files)) {
				if string(c.Files[name]) != string(src.Files[name]) {
					got += fmt.Sprintf("-- %s (changed) --\n%s", name, c.Files[name])
				}
			}
			golden.Check(t, filepath.Join("testdata", "play", tt.name+".txt"), got)
		})
	}
	why, err := ps[0].Why("lesson-escape-0", edited)
	if err != nil {
		t.Fatal(err)
	}
	if !why.Explore || string(why.Files["main.go"]) != edited || !strings.Contains(string(why.Script), "\ngo build -gcflags=-m=2 ./...\n") {
		t.Errorf("Why: explore %v, main.go %q, script:\n%s", why.Explore, why.Files["main.go"], why.Script)
	}
}

// TestEdit replaces a program's code with the page's, and refuses file
// names that would leave the directory the program is written to.
func TestEdit(t *testing.T) {
	ps := playPrograms(t)
	if q, err := ps[0].Edit(""); err != nil || q != ps[0] {
		t.Errorf(`Edit("") = %p, %v; want the program itself`, q, err)
	}
	if q, err := ps[0].Edit(ps[0].Source); err != nil || q != ps[0] {
		t.Errorf("Edit(its own source) = %p, %v; want the program itself", q, err)
	}
	q, err := ps[0].Edit("package main\n\nfunc main() {}\n")
	if err != nil {
		t.Fatal(err)
	}
	if string(q.Files["main.go"]) != "package main\n\nfunc main() {}\n" || q.Files["go.mod"] == nil || len(q.Outputs) != 2 || ps[0].Files["main.go"] == nil || string(ps[0].Files["main.go"]) == string(q.Files["main.go"]) {
		t.Errorf("edited go block: files %q, outputs %d; the lesson's main.go %q", q.Files, len(q.Outputs), ps[0].Files["main.go"])
	}
	q, err = ps[1].Edit("-- main.go --\npackage main\n\nfunc main() {}\n-- go.mod --\nmodule m\n\ngo 1.26\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Files) != 2 || string(q.Files["go.mod"]) != "module m\n\ngo 1.26\n" {
		t.Errorf("edited txtar block: files %q", q.Files)
	}
	for _, name := range []string{"../x.go", "/etc/x.go", `a\b.go`, ".git/config", "a/../b.go", "./a.go", "a//b.go", "c:x.go", "a/ b.go", "a/.tmp/b.go"} {
		if _, err := ps[1].Edit("-- " + name + " --\npackage main\n"); err == nil || !strings.Contains(err.Error(), "plain relative path") {
			t.Errorf("a file named %q: got %v, want an error saying it must be a plain relative path", name, err)
		}
	}
	for _, src := range []string{"no files at all\n", "-- a.go --\npackage a\n-- a.go --\npackage a\n"} {
		if _, err := ps[1].Edit(src); err == nil {
			t.Errorf("Edit(%q) = nil error, want one", src)
		}
	}
}

func FuzzEdit(f *testing.F) {
	f.Add("-- main.go --\npackage main\n\nfunc main() {}\n")
	f.Add("-- a/b.go --\npackage b\n-- go.mod --\nmodule m\n")
	f.Add("-- ../x --\n")
	f.Add("-- --\n")
	f.Add("-- a/./b --\n-- C:/x --\n")
	l, err := Parse("escape.md", []byte(playLesson))
	if err != nil {
		f.Fatal(err)
	}
	p := l.Programs[1]
	f.Fuzz(func(t *testing.T, src string) {
		q, err := p.Edit(src)
		if err != nil {
			return
		}
		if q.Files["go.mod"] == nil {
			t.Fatalf("Edit(%q): no go.mod", src)
		}
		root := filepath.Join(t.TempDir(), "work")
		for name := range q.Files {
			abs := filepath.Join(root, filepath.FromSlash(name))
			if rel, err := filepath.Rel(root, abs); err != nil || !filepath.IsLocal(rel) || rel != filepath.FromSlash(name) {
				t.Fatalf("Edit(%q): the file %q would be written at %s, outside %s", src, name, abs, root)
			}
		}
		if _, err := p.Play("x", src, Tools{Race: true, Escapes: true, Allocs: true}); err != nil {
			t.Fatalf("Play of an edit that parses: %v", err)
		}
	})
}

func TestParseTools(t *testing.T) {
	got, err := ParseTools([]string{"race", "allocs"})
	if err != nil || got != (Tools{Race: true, Allocs: true}) {
		t.Errorf("ParseTools(race, allocs) = %+v, %v", got, err)
	}
	if _, err := ParseTools([]string{"race", "goroutines"}); err == nil || !strings.Contains(err.Error(), `"goroutines"`) {
		t.Errorf("an unknown tool: got %v, want an error naming it", err)
	}
}

// playRun runs a check and returns its events.
func playRun(t *testing.T, c runner.Check) []runner.Event {
	t.Helper()
	r, err := runner.New(context.Background())
	if err != nil {
		t.Fatalf("cannot run programs here: %v", err)
	}
	r.WorkRoot = t.TempDir()
	var got runner.Collect
	r.Run(context.Background(), c, &got)
	return got.Events
}

func outputOf(events []runner.Event) string {
	var b strings.Builder
	for _, e := range events {
		switch e.Type {
		case runner.TypeStep:
			fmt.Fprintf(&b, "$ %s\n", e.Cmd)
		case runner.TypeOutput:
			b.WriteString(e.Text)
		case runner.TypeFailure:
			fmt.Fprintf(&b, "FAILURE: %s\n", e.Message)
		}
	}
	return b.String()
}

// allocsProgram allocates on line 10 (a *point stored in an interface),
// line 12 (the interfaces of Println's arguments, boxed by the caller) and
// line 14 (a slice too large for the stack, and its header in an
// interface), and races on n between lines 17 and 18.
const allocsProgram = `package main

import "fmt"

type point struct{ x, y int }

var sink any

func main() {
	sink = &point{1, 2}
	for i := 0; i < 3; i++ {
		fmt.Println(i * 1000)
	}
	sink = make([]byte, 100000)
	done := make(chan bool)
	n := 0
	go func() { n++; done <- true }()
	n++
	<-done
	fmt.Println(n)
}
`

// TestPlayRun runs an edited program with every tool, for real: the
// allocations are counted on the right lines, -m's findings keep their
// lines although main is renamed, the race is a finding with its timeline
// and does not stop the run, and the verdict passes (nothing is compared).
func TestPlayRun(t *testing.T) {
	ps := playPrograms(t)
	c, err := ps[0].Play("lesson-play-0", allocsProgram, Tools{Race: true, Escapes: true, Allocs: true})
	if err != nil {
		t.Fatal(err)
	}
	events := playRun(t, c)
	out := outputOf(events)
	v := events[len(events)-1]
	if v.Type != runner.TypeVerdict || v.Pass == nil || !*v.Pass {
		t.Fatalf("the run did not pass (an exploring run compares nothing): %+v\n%s", v, out)
	}
	for _, want := range []string{
		"\nallocations: main made ",
		"\n  line 10 of main.go: 1 allocation (16 bytes)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output has no %q:\n%s", want, out)
		}
	}
	// The slice, and its header boxed in sink.
	if m := regexp.MustCompile(`\n  line 14 of main.go: 2 allocations \((\d+) bytes\)`).FindStringSubmatch(out); m == nil || len(m[1]) < 6 {
		t.Errorf("line 14 does not count the 100000-byte slice and its header:\n%s", out)
	}
	if m := regexp.MustCompile(`\n  line 12 of main.go: (\d+) allocations`).FindStringSubmatch(out); m == nil || m[1] == "0" {
		t.Errorf("no allocations counted on line 12 (fmt.Println's arguments):\n%s", out)
	}
	if strings.Contains(out, allocsDir) {
		t.Errorf("the output names %s, which is ours:\n%s", allocsDir, out)
	}
	var escapes, races []runner.Event
	for _, e := range events {
		if e.Type != runner.TypeDiagnostic {
			continue
		}
		switch e.Diagnostic.Kind {
		case "escape":
			escapes = append(escapes, e)
		case "race":
			races = append(races, e)
		}
	}
	if !slices.ContainsFunc(escapes, func(e runner.Event) bool {
		return e.File == "main.go" && e.Line == 10 && e.Diagnostic.Subject == "&point{...}"
	}) {
		t.Errorf("no escape of &point{...} at main.go:10 among %d escape findings:\n%s", len(escapes), out)
	}
	if len(races) == 0 || races[0].Timeline == nil {
		t.Fatalf("the race is not a finding with a timeline:\n%s", out)
	}
	var lines []int
	for _, s := range races[0].Timeline.Steps {
		if s.Kind == "access" {
			lines = append(lines, s.Line)
		}
	}
	if slices.Sort(lines); !slices.Equal(lines, []int{17, 18}) {
		t.Errorf("the race's accesses are on lines %v, want 17 and 18", lines)
	}
	for _, e := range events {
		if e.Type == runner.TypeFailure {
			t.Errorf("an exploring run reported a failure: %s", e.Message)
		}
	}
}

// TestPlayCompileError: a program that does not compile ends the run with
// the compiler's finding, even when exploring.
func TestPlayCompileError(t *testing.T) {
	ps := playPrograms(t)
	c, err := ps[0].Play("lesson-play-1", "package main\n\nfunc main() {\n\tx := 1\n}\n", Tools{})
	if err != nil {
		t.Fatal(err)
	}
	events := playRun(t, c)
	v := events[len(events)-1]
	if v.Pass == nil || *v.Pass {
		t.Fatalf("a program that does not compile passed:\n%s", outputOf(events))
	}
	if !slices.ContainsFunc(events, func(e runner.Event) bool {
		return e.Type == runner.TypeFailure && e.File == "main.go" && e.Line == 4
	}) {
		t.Errorf("no failure at main.go:4 (declared and not used):\n%s", outputOf(events))
	}
	if n := strings.Count(outputOf(events), "$ go "); n != 1 {
		t.Errorf("%d go commands ran, want the build alone", n)
	}
}

// TestWhy says why each value of an edited program escapes, each on its line.
func TestWhy(t *testing.T) {
	ps := playPrograms(t)
	c, err := ps[0].Why("lesson-why-0", allocsProgram)
	if err != nil {
		t.Fatal(err)
	}
	events := playRun(t, c)
	whys := map[int]string{}
	for _, e := range events {
		if e.Type == runner.TypeDiagnostic && e.Why != "" {
			whys[e.Line] += e.Why + "\n"
		}
	}
	if want := "`&point{...}` escapes to the heap because it is stored in `sink` (line 10), which outlives the call.\n"; whys[10] != want {
		t.Errorf("line 10: got %q, want %q\n%s", whys[10], want, outputOf(events))
	}
	if !strings.Contains(whys[12], "`i * 1000` escapes to the heap because it is stored in the interface passed to `fmt.Fprintln` (line 12)") {
		t.Errorf("line 12 says %q, want why Println's argument escapes", whys[12])
	}
}

// FuzzAllocCounts: counting allocations changes a program that parses into
// one that parses, with every line where it was.
func FuzzAllocCounts(f *testing.F) {
	f.Add("package main\n\nfunc main() {\n\tprintln(1)\n}\n")
	f.Add("package main // import \"x\"\n\nimport \"fmt\"\n\nfunc main() { fmt.Println() }\n")
	f.Add("package main\nfunc main(){}")
	f.Add("package main\n\nfunc (T) main() {}\nfunc main() {\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		files := map[string][]byte{"main.go": []byte(src), "go.mod": []byte("module example\n")}
		out, ok := withAllocCounts(files)
		if !ok {
			return
		}
		got := string(out["main.go"])
		if strings.Count(got, "\n") != strings.Count(src, "\n") {
			t.Fatalf("the lines moved:\n%s\nbecame\n%s", src, got)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "main.go", got, parser.SkipObjectResolution); err != nil {
			t.Fatalf("%s\nbecame, with allocation counts, a file that does not parse: %v\n%s", src, err, got)
		}
		if !strings.Contains(got, "defer workbookallocs.Count()();") || out[allocsDir+"/allocs.go"] == nil {
			t.Fatalf("no count in\n%s", got)
		}
	})
}
