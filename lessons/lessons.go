// Package lessons holds the workbook's lessons, one Markdown file per topic,
// embedded in the binary, and loads them: front matter, headings (with the
// anchors exercises point at) and the runnable code blocks whose stated output
// the project's tests compare with what the installed Go prints.
//
// The format is described for authors in lessons/README.md.
package lessons

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-blindspots/workbook/frontmatter"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/yuin/goldmark/ast"
)

//go:embed *.md
var embedded embed.FS

// envAssign is a NAME=VALUE setting before the go command of an output block.
var envAssign = regexp.MustCompile(`^[A-Z][A-Z0-9_]*=\S*$`)

// Lesson is one topic's lesson.
type Lesson struct {
	File      string // e.g. "init.md"
	Title     string
	Topic     string
	Order     int
	Exercises []string
	Body      []byte // the Markdown after the front matter
	Headings  []Heading
	Programs  []*Program
}

// Heading is a section heading and its anchor.
type Heading struct {
	Level int
	Text  string
	ID    string // the anchor: "variables-before-init"
}

// Program is a runnable code block: a ```go file or a ```txtar archive,
// with the output blocks that follow it, if any (one program may show what
// several commands print, so that its code is shown once).
type Program struct {
	ID      int               // its number in the lesson: the site's Run button of the block
	Line    int               // line of the opening fence in the lesson file
	Lang    string            // the block's language: "go" or "txtar"
	Source  string            // the block's text, as the page shows it (see Edit)
	Files   map[string][]byte // with a go.mod
	Outputs []*Output
}

// Output is an ```output block: a go command and what it prints.
type Output struct {
	Line int      // line of the opening fence
	Env  []string // NAME=VALUE settings for the command: ["GOEXPERIMENT=goroutineleakprofile"]
	Args []string // the go command's arguments: ["run", "."]
	Want string   // expected stdout then stderr; see Match
	// Exit is the exit status the command must have: for `go run` the one
	// it reports in its "exit status N" line.
	Exit int
}

// Embedded loads the lessons compiled into the binary.
func Embedded() ([]*Lesson, error) {
	return Load(embedded)
}

// md reads lessons as the site renders them, so heading anchors and program
// numbers agree.
var md = markdown.New(markdown.Default)

// Load reads every lesson (*.md except README.md) in fsys, in curriculum order.
func Load(fsys fs.FS) ([]*Lesson, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	var list []*Lesson
	for _, name := range names {
		if name == "README.md" {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load lesson %s: %w", name, err)
		}
		l, err := Parse(name, data)
		if err != nil {
			return nil, err
		}
		list = append(list, l)
	}
	slices.SortFunc(list, func(a, b *Lesson) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.File, b.File)) })
	return list, nil
}

// Parse parses one lesson file.
func Parse(file string, data []byte) (*Lesson, error) {
	var meta struct {
		Title     string   `yaml:"title"`
		Topic     string   `yaml:"topic"`
		Order     int      `yaml:"order"`
		Exercises []string `yaml:"exercises"`
	}
	body, err := frontmatter.Parse(data, &meta)
	if err != nil {
		return nil, fmt.Errorf("load lesson %s: %w", file, err)
	}
	l := &Lesson{File: file, Title: meta.Title, Topic: meta.Topic, Order: meta.Order, Exercises: meta.Exercises, Body: body}
	switch {
	case l.Title == "":
		return nil, fmt.Errorf("load lesson %s: front matter: title is missing", file)
	case l.Topic+".md" != path.Base(file):
		return nil, fmt.Errorf("load lesson %s: front matter: topic %q must match the file name", file, l.Topic)
	}
	// Lines of the body are offset by the front matter's lines in the file.
	offset := bytes.Count(data, []byte("\n")) - bytes.Count(body, []byte("\n"))
	if err := l.walk(offset); err != nil {
		return nil, fmt.Errorf("load lesson %s: %w", file, err)
	}
	return l, nil
}

// walk collects the headings and the programs of the body.
func (l *Lesson) walk(lineOffset int) error {
	src := l.Body
	doc := md.Parse(src)
	lineOf := func(pos int) int { return lineOffset + bytes.Count(src[:pos], []byte("\n")) + 1 }
	var last *Program
	return ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			l.Headings = append(l.Headings, Heading{Level: n.Level, Text: string(n.Lines().Value(src)), ID: string(idb)})
		case *ast.FencedCodeBlock:
			lang := string(n.Language(src))
			code := markdown.Code(n, src)
			line := 1
			if n.Info != nil {
				line = lineOf(n.Info.Segment.Start)
			} else if n.Lines().Len() > 0 {
				line = lineOf(n.Lines().At(0).Start) - 1
			}
			if id, ok := markdown.ProgramID(n); ok {
				if id != len(l.Programs) {
					return ast.WalkStop, fmt.Errorf("line %d: program %d is numbered %d", line, len(l.Programs), id)
				}
				files, err := programFiles(lang, code)
				if err != nil {
					return ast.WalkStop, fmt.Errorf("line %d: %w", line, err)
				}
				last = &Program{ID: id, Line: line, Lang: lang, Source: string(code), Files: files}
				l.Programs = append(l.Programs, last)
				return ast.WalkSkipChildren, nil
			}
			if lang != "output" {
				last = nil
				return ast.WalkSkipChildren, nil
			}
			if last == nil {
				return ast.WalkStop, fmt.Errorf("line %d: an output block must follow a go or txtar block (or another output block of it)", line)
			}
			out, err := parseOutput(line, string(code))
			if err != nil {
				return ast.WalkStop, err
			}
			last.Outputs = append(last.Outputs, out)
		}
		return ast.WalkContinue, nil
	})
}

// programFiles returns the files of a program block: the Go file of a go
// block (main.go), the files of a txtar block, and a go.mod if the block
// has none. A file's name must be a plain relative path (config/config.go):
// the files are written where the program runs.
func programFiles(lang string, code []byte) (map[string][]byte, error) {
	files := map[string][]byte{}
	if lang == "go" {
		files["main.go"] = code
	} else {
		a, err := script.ParseArchive(code)
		if err != nil {
			return nil, err
		}
		for _, f := range a.Files {
			if !localName(f.Name) {
				return nil, fmt.Errorf("the file name %q is not a plain relative path like config/config.go", f.Name)
			}
			if _, dup := files[f.Name]; dup {
				return nil, fmt.Errorf("the file %s comes twice", f.Name)
			}
			files[f.Name] = f.Data
		}
		if len(files) == 0 {
			return nil, errors.New("a txtar block without files")
		}
	}
	if files["go.mod"] == nil {
		files["go.mod"] = []byte("module example\n\ngo 1.26\n")
	}
	return files, nil
}

// localName reports whether name is a clean relative slash path that stays
// inside the directory it is written to, on every system: no "..", no
// absolute path or volume name, no backslash, no empty or dot element.
func localName(name string) bool {
	if name == "" || strings.ContainsAny(name, `\:`) || path.Clean(name) != name || !filepath.IsLocal(name) {
		return false
	}
	for _, elem := range strings.Split(name, "/") {
		if strings.HasPrefix(elem, ".") || strings.TrimSpace(elem) != elem {
			return false
		}
	}
	return true
}

// parseOutput parses an output block: "$ [NAME=VALUE...] go ARGS" and the
// expected output.
func parseOutput(line int, block string) (*Output, error) {
	first, rest, _ := strings.Cut(block, "\n")
	args := strings.Fields(first)
	var env []string
	if len(args) > 0 && args[0] == "$" {
		args = args[1:]
		for len(args) > 0 && envAssign.MatchString(args[0]) {
			env, args = append(env, args[0]), args[1:]
		}
	} else {
		args = nil
	}
	if len(args) < 2 || args[0] != "go" {
		return nil, fmt.Errorf("line %d: an output block starts with the command, like `$ go run .` or `$ GOEXPERIMENT=name go run .`", line)
	}
	o := &Output{Line: line, Env: env, Args: args[1:], Want: rest}
	lines := strings.Split(strings.TrimRight(rest, "\n"), "\n")
	if n := len(lines); n > 0 {
		if _, err := fmt.Sscanf(lines[n-1], "exit status %d", &o.Exit); err == nil && o.Args[0] != "run" {
			// Only go run prints the line; for other commands it states the status.
			o.Want = strings.Join(lines[:n-1], "\n") + "\n"
		}
	}
	return o, nil
}

// Script returns the testscript script that compiles the program and runs
// the command of each output block, comparing what it prints with what the
// lesson says: what the site's Run button and the project's tests run.
func (p *Program) Script() []byte {
	var b strings.Builder
	b.WriteString("# The program compiles.\ngo build ./...\n")
	for name := range p.Files {
		if strings.HasSuffix(name, "_test.go") {
			// -exec=true builds the test binaries without running them: a
			// lesson may show a test binary that fails in init.
			b.WriteString("go test -count=1 -exec=true ./...\n")
			break
		}
	}
	for i, o := range p.Outputs {
		b.WriteString("# It prints what the lesson says.\n")
		for _, kv := range o.Env {
			b.WriteString("env " + kv + "\n")
		}
		if o.Exit != 0 {
			b.WriteString("! ")
		}
		b.WriteString("go")
		for _, a := range o.Args {
			b.WriteString(" " + script.Quote(a))
		}
		fmt.Fprintf(&b, "\n%s %d\n", outputCmd, i)
	}
	return []byte(b.String())
}

// outputCmd is the script command that compares the last go command's
// output with output block N of the program.
const outputCmd = "lesson-output"

// Check returns the runner's check of the program, named name.
func (p *Program) Check(name string) runner.Check {
	return runner.Check{
		Name:   name,
		Script: p.Script(),
		Files:  p.Files,
		Cmds:   map[string]runner.ScriptCmd{outputCmd: p.cmdOutput},
	}
}

// cmdOutput is `lesson-output N`: the last go command printed what output
// block N says, stdout then stderr, with the program's directory written
// as "." and, for commands other than go run, the exit status it states.
func (p *Program) cmdOutput(ts *testscript.TestScript, neg bool, args []string) {
	var i int
	if len(args) != 1 || neg {
		ts.Fatalf("usage: %s N", outputCmd)
	}
	if _, err := fmt.Sscan(args[0], &i); err != nil || i < 0 || i >= len(p.Outputs) {
		ts.Fatalf("%s: no output block %q", outputCmd, args[0])
	}
	o := p.Outputs[i]
	got := ts.ReadFile("stdout") + ts.ReadFile("stderr")
	got = strings.ReplaceAll(got, ts.Getenv("WORK"), ".")
	cmd := "go " + strings.Join(o.Args, " ")
	if exit := ts.Getenv(runner.ExitVar); o.Args[0] != "run" && exit != fmt.Sprint(o.Exit) {
		ts.Fatalf("`%s` exited with status %s, and the lesson (line %d) says %d", cmd, exit, o.Line, o.Exit)
	}
	if !Match(o.Want, got) {
		ts.Logf("--- the lesson says:\n%s--- this Go prints:\n%s", o.Want, got)
		ts.Fatalf("`%s` printed something else than the lesson (line %d) says", cmd, o.Line)
	}
}

// Match reports whether got matches the expected output want, line by line:
// a want line "..." matches any number of lines, and a want line ending in
// "..." matches any line that starts with the text before the dots. Trailing
// spaces and trailing empty lines are ignored.
func Match(want, got string) bool {
	return matchLines(splitLines(want), splitLines(got))
}

func splitLines(s string) []string {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n "), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

func matchLines(want, got []string) bool {
	for len(want) > 0 {
		w := want[0]
		if w == "..." {
			for i := 0; i <= len(got); i++ {
				if matchLines(want[1:], got[i:]) {
					return true
				}
			}
			return false
		}
		if len(got) == 0 {
			return false
		}
		if prefix, ok := strings.CutSuffix(w, "..."); ok {
			if !strings.HasPrefix(got[0], prefix) {
				return false
			}
		} else if w != got[0] {
			return false
		}
		want, got = want[1:], got[1:]
	}
	return len(got) == 0
}
