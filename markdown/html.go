package markdown

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// HTMLOptions says how Markdown is rendered for the site.
type HTMLOptions struct {
	// Runnable renders a lesson's program blocks with a Run button and a
	// place for their output, and numbers their lines.
	Runnable bool
}

// HTML renders src for the site. Fenced code is highlighted by chroma
// (HTML classes, see CSS); ```mermaid blocks are left for the page's
// mermaid to draw; ```output blocks show the command and what it prints;
// ```predict blocks are an empty place for the page's question.
func (m *Markdown) HTML(src []byte, o HTMLOptions) (string, error) {
	md := m.md
	if o.Runnable {
		md = m.runnable
	}
	var b bytes.Buffer
	if err := md.Convert(src, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// nodeRenderer renders fenced code blocks, and raw HTML of the allowed tags.
type nodeRenderer struct {
	opts HTMLOptions
	tags []string
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindRawHTML, r.rawHTML)
}

// tagRE matches one HTML tag: <details>, </summary>, <details open>.
var tagRE = regexp.MustCompile(`^</?([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>$`)

// allowed reports whether raw HTML is only tags of the allowed kinds, with
// plain text (no other markup) between them.
func (r *nodeRenderer) allowed(raw string) bool {
	if strings.TrimSpace(raw) == "" {
		return false
	}
	for raw != "" {
		start := strings.IndexByte(raw, '<')
		if start < 0 {
			return true // text
		}
		end := strings.IndexByte(raw[start:], '>')
		if end < 0 {
			return false
		}
		m := tagRE.FindStringSubmatch(raw[start : start+end+1])
		if m == nil || !slices.Contains(r.tags, strings.ToLower(m[1])) {
			return false
		}
		raw = raw[start+end+1:]
	}
	return true
}

func (r *nodeRenderer) htmlBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw.Write(seg.Value(src))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(src))
	}
	if r.allowed(raw.String()) {
		w.Write(raw.Bytes())
	} else {
		w.WriteString("<!-- raw HTML omitted -->\n")
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) rawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw bytes.Buffer
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw.Write(seg.Value(src))
	}
	if r.allowed(raw.String()) {
		w.Write(raw.Bytes())
	} else {
		w.WriteString("<!-- raw HTML omitted -->")
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := Language(node, src)
	code := string(Code(node, src))
	id, program := ProgramID(node)
	switch {
	case program && r.opts.Runnable:
		fmt.Fprintf(w, `<div class="program" data-program="%d"><button class="run" type="button" title="Compile and run this program with your Go">Run</button>`, id)
		if err := (HTML{LineNumbers: true}).Highlight(w, lang, code); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString(`<div class="run-output" hidden></div></div>`)
	case lang == "predict":
		// A lesson's question for the reader (package lessons parses it):
		// the page's script draws it from the lesson's data, in the order
		// of these places.
		w.WriteString(`<div class="predict"></div>`)
	case lang == "mermaid":
		// Drawn in the page by mermaid (embedded, like everything else).
		fmt.Fprintf(w, `<pre class="mermaid">%s</pre>`, html.EscapeString(code))
	case lang == "output":
		cmd, rest, _ := strings.Cut(code, "\n")
		fmt.Fprintf(w, `<pre class="output"><span class="output-cmd">%s</span>%s</pre>`, html.EscapeString(cmd+"\n"), html.EscapeString(rest))
	default:
		if err := (HTML{}).Highlight(w, lang, code); err != nil {
			return ast.WalkStop, err
		}
	}
	return ast.WalkSkipChildren, nil
}
