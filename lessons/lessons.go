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
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/go-blindspots/workbook/frontmatter"
	"github.com/go-blindspots/workbook/script"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
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
// with the output block that follows it, if any.
type Program struct {
	Line   int               // line of the opening fence in the lesson file
	Files  map[string][]byte // with a go.mod
	Output *Output
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

// md is the one goldmark instance lessons are parsed with; the site renders
// with the same options, so heading anchors agree.
var md = goldmark.New(goldmark.WithParserOptions(parser.WithAutoHeadingID()))

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
	doc := md.Parser().Parse(text.NewReader(src))
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
			var code []byte
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				code = append(code, seg.Value(src)...)
			}
			line := 1
			if n.Info != nil {
				line = lineOf(n.Info.Segment.Start)
			} else if n.Lines().Len() > 0 {
				line = lineOf(n.Lines().At(0).Start) - 1
			}
			switch lang {
			case "go":
				last = &Program{Line: line, Files: map[string][]byte{"main.go": code}}
				l.Programs = append(l.Programs, last)
			case "txtar":
				last = &Program{Line: line, Files: map[string][]byte{}}
				a, err := script.ParseArchive(code)
				if err != nil {
					return ast.WalkStop, fmt.Errorf("line %d: %w", line, err)
				}
				for _, f := range a.Files {
					last.Files[f.Name] = f.Data
				}
				if len(last.Files) == 0 {
					return ast.WalkStop, fmt.Errorf("line %d: a txtar block without files", line)
				}
				l.Programs = append(l.Programs, last)
			case "output":
				if last == nil || last.Output != nil {
					return ast.WalkStop, fmt.Errorf("line %d: an output block must follow a go or txtar block", line)
				}
				out, err := parseOutput(line, string(code))
				if err != nil {
					return ast.WalkStop, err
				}
				last.Output = out
			default:
				last = nil
			}
			if last != nil && last.Files["go.mod"] == nil {
				last.Files["go.mod"] = []byte("module example\n\ngo 1.26\n")
			}
		}
		return ast.WalkContinue, nil
	})
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

// Script returns the testscript check that compiles the program and, when it
// has an output block, runs its command: what the Run button and the tests run.
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
	if o := p.Output; o != nil {
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
		b.WriteString("\n")
	}
	return []byte(b.String())
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
