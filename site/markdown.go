package site

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Chroma styles of the light and the dark theme.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// formatter writes chroma tokens as HTML with CSS classes, so that one page
// serves both themes (chromaCSS holds the classes' colors).
var formatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.ClassPrefix("hl-"))

// newMarkdown returns the goldmark instance lessons and tasks render with. Its
// parser options are those of the lessons package, so heading anchors agree
// with the ones exercises point at; fenced code goes through chroma, and the
// ```go and ```txtar blocks of a lesson (its programs) get a Run button.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(&codeRenderer{}, 100))),
	)
}

// codeRenderer renders fenced code blocks. Programs are numbered in document
// order, like lessons.Lesson.Programs.
type codeRenderer struct{}

// programKey carries the program counter of one rendering in the parser context.
var programKey = parser.NewContextKey()

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := string(n.Language(src))
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(src))
	}
	switch lang {
	case "go", "txtar":
		// The n-th program of the lesson: count the blocks before this one.
		idx := 0
		for p := n.PreviousSibling(); p != nil; p = p.PreviousSibling() {
			if fc, ok := p.(*ast.FencedCodeBlock); ok {
				if l := string(fc.Language(src)); l == "go" || l == "txtar" {
					idx++
				}
			}
		}
		fmt.Fprintf(w, `<div class="program" data-program="%d"><button class="run" type="button" title="Compile and run this program with your Go">Run</button>`, idx)
		highlightTo(w, lang, code.String())
		w.WriteString(`<div class="run-output" hidden></div></div>`)
	case "mermaid":
		// Drawn in the page by mermaid (embedded, like everything else).
		fmt.Fprintf(w, `<pre class="mermaid">%s</pre>`, html.EscapeString(code.String()))
	case "output":
		cmd, rest, _ := strings.Cut(code.String(), "\n")
		fmt.Fprintf(w, `<pre class="output"><span class="output-cmd">%s</span>%s</pre>`, html.EscapeString(cmd+"\n"), html.EscapeString(rest))
	default:
		highlightTo(w, lang, code.String())
	}
	return ast.WalkSkipChildren, nil
}

// highlightTo writes code highlighted as lang (plain when chroma does not know it).
func highlightTo(w io.Writer, lang, code string) {
	var lexer chroma.Lexer
	switch lang {
	case "txtar":
		// Archives in lessons are mostly Go; their -- name -- lines stay plain.
		lexer = lexers.Get("go")
	case "":
	default:
		lexer = lexers.Get(lang)
	}
	if lexer == nil {
		fmt.Fprintf(w, "<pre class=\"hl-chroma\"><code>%s</code></pre>", html.EscapeString(code))
		return
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err == nil {
		err = formatter.Format(w, styles.Get(lightStyle), it)
	}
	if err != nil {
		fmt.Fprintf(w, "<pre class=\"hl-chroma\"><code>%s</code></pre>", html.EscapeString(code))
	}
}

// chromaCSS is the stylesheet of the highlighted code: the light style, and
// the dark one under the dark theme.
var chromaCSS = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	_ = formatter.WriteCSS(&b, styles.Get(lightStyle))
	var dark bytes.Buffer
	_ = formatter.WriteCSS(&dark, styles.Get(darkStyle))
	// Scope every dark rule under the theme attribute the page sets.
	for _, line := range strings.Split(dark.String(), "\n") {
		if strings.HasPrefix(line, "/*") && strings.Contains(line, "*/ .") {
			comment, rule, _ := strings.Cut(line, "*/ ")
			line = comment + `*/ [data-theme="dark"] ` + rule
		}
		b.WriteString(line + "\n")
	}
	return b.Bytes()
})

// markdownHTML renders Markdown to HTML.
func markdownHTML(md goldmark.Markdown, src []byte) (string, error) {
	var b bytes.Buffer
	if err := md.Convert(src, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}
