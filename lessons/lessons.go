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
	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/yuin/goldmark/ast"
	"gopkg.in/yaml.v3"
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
// several commands print, so that its code is shown once), and the
// questions of the predict blocks that follow it.
type Program struct {
	ID      int               // its number in the lesson: the site's Run button of the block
	Line    int               // line of the opening fence in the lesson file
	Lang    string            // the block's language: "go" or "txtar"
	Source  string            // the block's text, as the page shows it (see Edit)
	Files   map[string][]byte // with a go.mod
	Outputs []*Output
	// Predictions are the questions of the program's predict blocks, in
	// the order of the lesson. Each is compared with a measurement of the
	// same name (its ID) that the run of one output block's command takes.
	Predictions []predict.Question
	measures    []predictMeasure
	blocks      []predictBlock // parsed, resolved once all of the program's output blocks are known
}

// predictBlock is a ```predict block: the question of a prediction, and what
// the program's run measures to answer it.
type predictBlock struct {
	line     int
	ID       string   `yaml:"id"`
	Question string   `yaml:"question"`
	Measure  string   `yaml:"measure"`
	Command  string   `yaml:"command"`
	Answer   string   `yaml:"answer"`
	Choices  []string `yaml:"choices"`
	Unit     string   `yaml:"unit"`
}

// predictMeasure is the measure line of a predict block: which output
// block's command it reads, and what.
type predictMeasure struct {
	name   string
	kind   string
	args   []string
	output int // index in Outputs
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
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
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
			if lang == "predict" {
				if last == nil {
					return ast.WalkStop, fmt.Errorf("line %d: a predict block must follow a go or txtar block (or one of its output blocks)", line)
				}
				if err := last.addPredict(line, code); err != nil {
					return ast.WalkStop, err
				}
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
	if err != nil {
		return err
	}
	ids := make(map[string]bool)
	for _, p := range l.Programs {
		for _, b := range p.blocks {
			if ids[b.ID] {
				return fmt.Errorf("line %d: predict block: the id %q is used twice in the lesson", b.line, b.ID)
			}
			ids[b.ID] = true
			if err := p.resolvePredict(b); err != nil {
				return fmt.Errorf("line %d: predict block: %w", b.line, err)
			}
		}
	}
	return nil
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
		b.WriteString(o.command())
		for _, m := range p.measures {
			if m.output == i {
				b.WriteString(m.line())
			}
		}
		fmt.Fprintf(&b, "%s %d\n", outputCmd, i)
	}
	return []byte(b.String())
}

// command is the output block's go command as a script line.
func (o *Output) command() string {
	var b strings.Builder
	if o.Exit != 0 {
		b.WriteString("! ")
	}
	b.WriteString("go")
	for _, a := range o.Args {
		b.WriteString(" " + script.Quote(a))
	}
	b.WriteString("\n")
	return b.String()
}

// line is the measure line of the script.
func (m predictMeasure) line() string {
	words := append([]string{"measure", m.name, m.kind}, m.args...)
	for i, w := range words {
		words[i] = script.Quote(w)
	}
	return strings.Join(words, " ") + "\n"
}

// addPredict parses a predict block that starts at line; it is resolved
// (resolvePredict) once the program's output blocks are all known, so that
// it may come before them and keep the answer out of sight:
//
//	id: counter-races                   the question's id, unique in the lesson
//	question: Does this program race?   inline Markdown
//	measure: race                       what the run measures: KIND [ARGS], as a
//	                                    check script's measure line says it
//	command: go run -race .             optional: the output block whose command
//	                                    it measures; by default the first that
//	                                    can measure it
//	answer, choices, unit               as in an exercise's predict: entry
func (p *Program) addPredict(line int, code []byte) error {
	b := predictBlock{line: line}
	dec := yaml.NewDecoder(bytes.NewReader(code))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return fmt.Errorf("line %d: predict block: %w", line, err)
	}
	p.blocks = append(p.blocks, b)
	return nil
}

// resolvePredict finds the output block whose run measures the predict
// block, and adds its question and its measure line.
func (p *Program) resolvePredict(b predictBlock) error {
	words := script.Split(b.Measure)
	if len(words) == 0 {
		return fmt.Errorf("measure is missing: say what the run measures (race, escapes FUNC NAME, panics, exit, allocs, goroutines, value)")
	}
	q := predict.Question{ID: b.ID, Text: b.Question, Measure: b.ID, Answer: b.Answer, Choices: b.Choices, Unit: b.Unit}
	if err := q.Resolve(words[0]); err != nil {
		return err
	}
	m := predictMeasure{name: b.ID, kind: words[0], args: words[1:], output: -1}
	var tried []string
	for i, o := range p.Outputs {
		cmd := strings.TrimSpace(o.command())
		if b.Command != "" && strings.Join(strings.Fields(strings.TrimPrefix(b.Command, "$ ")), " ") != strings.TrimPrefix(cmd, "! ") {
			continue
		}
		m.output = i
		if _, err := runner.Measures([]byte(cmd + "\n" + m.line())); err != nil {
			tried = append(tried, err.Error())
			m.output = -1
			continue
		}
		break
	}
	switch {
	case m.output < 0 && b.Command != "" && len(tried) == 0:
		return fmt.Errorf("no output block of the program runs %q", b.Command)
	case m.output < 0 && len(tried) == 0:
		return fmt.Errorf("the program has no output block: its measurement is taken from the run of one")
	case m.output < 0:
		_, why, _ := strings.Cut(tried[0], b.ID+": ")
		return fmt.Errorf("no output block of the program can measure it (%s)", why)
	}
	p.Predictions = append(p.Predictions, q)
	p.measures = append(p.measures, m)
	return nil
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
