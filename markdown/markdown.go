// Package markdown renders the workbook's Markdown — lessons and exercise
// texts — for the site (HTML, code highlighted by chroma with CSS classes)
// and for the terminal, through one goldmark configuration.
//
// Lessons parse with it too (package lessons), so that heading anchors and
// the numbering of a lesson's programs are made in one place: the n-th
// ```go or ```txtar block in document order, nested blocks included, is
// program n, and its Run button runs lessons.Lesson.Programs[n].
package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Config says how Markdown is read and rendered.
type Config struct {
	// GFM turns on GitHub's tables, strikethrough, autolinks and task lists.
	GFM bool
	// HeadingIDs gives every heading an id made from its text: the anchors
	// that exercises point at with `lesson: topic#anchor`.
	HeadingIDs bool
	// HTMLTags are the raw HTML tags let through to the page, such as the
	// <details> and <summary> of an "Under the hood" aside; any other raw
	// HTML is left out, as goldmark does by default.
	HTMLTags []string
}

// Default is the configuration of every text the workbook shows.
var Default = Config{GFM: true, HeadingIDs: true, HTMLTags: []string{"details", "summary"}}

// options converts the configuration to goldmark's options, with code blocks
// rendered as o says.
func (c Config) options(o HTMLOptions) []goldmark.Option {
	var opts []goldmark.Option
	if c.GFM {
		opts = append(opts, goldmark.WithExtensions(extension.GFM))
	}
	popts := []parser.Option{parser.WithASTTransformers(util.Prioritized(programIDs{}, 100))}
	if c.HeadingIDs {
		popts = append(popts, parser.WithAutoHeadingID())
	}
	opts = append(opts, goldmark.WithParserOptions(popts...))
	nr := &nodeRenderer{opts: o, tags: c.HTMLTags}
	return append(opts, goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(nr, 100))))
}

// Markdown reads and renders Markdown with one configuration. It is safe for
// concurrent use.
type Markdown struct {
	md       goldmark.Markdown // texts
	runnable goldmark.Markdown // lessons: program blocks with a Run button
}

// New returns a Markdown for cfg.
func New(cfg Config) *Markdown {
	return &Markdown{
		md:       goldmark.New(cfg.options(HTMLOptions{})...),
		runnable: goldmark.New(cfg.options(HTMLOptions{Runnable: true})...),
	}
}

// Parse parses src. Program blocks carry their number (see ProgramID).
func (m *Markdown) Parse(src []byte) ast.Node {
	return m.md.Parser().Parse(text.NewReader(src))
}

// IsProgram reports whether a fenced block's language makes it a program
// of a lesson: a Go file or a txtar archive of files.
func IsProgram(lang string) bool { return lang == "go" || lang == "txtar" }

// programAttr is the attribute that carries a program block's number.
var programAttr = []byte("data-program")

// programIDs numbers the program blocks of a document in document order.
type programIDs struct{}

func (programIDs) Transform(doc *ast.Document, r text.Reader, _ parser.Context) {
	src := r.Source()
	n := 0
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if b, ok := node.(*ast.FencedCodeBlock); ok && entering && IsProgram(string(b.Language(src))) {
			b.SetAttribute(programAttr, n)
			n++
		}
		return ast.WalkContinue, nil
	})
}

// ProgramID returns the number of a program block (0 for the first of its
// document), and false for any other node.
func ProgramID(n ast.Node) (int, bool) {
	v, ok := n.Attribute(programAttr)
	if !ok {
		return 0, false
	}
	id, ok := v.(int)
	return id, ok
}

// Code returns the text of a code block.
func Code(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.Bytes()
}

// Language returns a fenced block's language ("" for an indented block).
func Language(n ast.Node, src []byte) string {
	if f, ok := n.(*ast.FencedCodeBlock); ok {
		return string(f.Language(src))
	}
	return ""
}
