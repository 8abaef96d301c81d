package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// taskMarkdown parses task texts; GFM, like the site.
var taskMarkdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// renderMarkdown writes Markdown for a terminal: the author's line breaks
// kept, code spans in color (or in backticks without color), emphasis in bold,
// links as "text (url)", lists with their markers, code blocks indented and
// highlighted. Every line starts with indent.
func renderMarkdown(w io.Writer, src []byte, indent string, color bool) {
	st := style{color}
	doc := taskMarkdown.Parser().Parse(text.NewReader(src))
	var b bytes.Buffer
	var inline func(n ast.Node)
	inline = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
				switch {
				case c.HardLineBreak():
					b.WriteString("\n")
				case c.SoftLineBreak():
					b.WriteString("\n")
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				var code bytes.Buffer
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if t, ok := t.(*ast.Text); ok {
						code.Write(t.Segment.Value(src))
					}
				}
				if color {
					b.WriteString(st.cyan(code.String()))
				} else {
					b.WriteString("`" + code.String() + "`")
				}
			case *ast.Emphasis:
				var inner bytes.Buffer
				b, inner = inner, b
				inline(c)
				b, inner = inner, b
				b.WriteString(st.bold(inner.String()))
			case *ast.Link:
				var inner bytes.Buffer
				b, inner = inner, b
				inline(c)
				b, inner = inner, b
				b.WriteString(inner.String())
				if dest := string(c.Destination); dest != inner.String() {
					b.WriteString(" (" + dest + ")")
				}
			case *ast.AutoLink:
				b.Write(c.URL(src))
			case *east.Strikethrough:
				inline(c)
			default:
				inline(c)
			}
		}
	}
	var block func(n ast.Node, prefix string, first string)
	block = func(n ast.Node, prefix, first string) {
		lead := first
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				b.Reset()
				inline(c)
				writeLines(w, b.String(), indent+lead, indent+prefix)
			case *ast.Heading:
				b.Reset()
				inline(c)
				writeLines(w, st.bold(b.String()), indent+lead, indent+prefix)
			case *ast.List:
				num := c.Start
				for item := c.FirstChild(); item != nil; item = item.NextSibling() {
					marker := "- "
					if c.IsOrdered() {
						marker = fmt.Sprintf("%d. ", num)
						num++
					}
					block(item, prefix+strings.Repeat(" ", len(marker)), lead+marker)
					lead = prefix
				}
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				var code bytes.Buffer
				for i := 0; i < c.Lines().Len(); i++ {
					seg := c.Lines().At(i)
					code.Write(seg.Value(src))
				}
				var hl bytes.Buffer
				f, ok := c.(*ast.FencedCodeBlock)
				if !ok || f.Language(src) == nil || highlight(&hl, "x."+string(f.Language(src)), code.String(), color) != nil {
					hl.Reset()
					hl.Write(code.Bytes()) // a command line or an unknown language: as it is
				}
				writeLines(w, strings.TrimRight(hl.String(), "\n"), indent+lead+"    ", indent+prefix+"    ")
			case *ast.Blockquote:
				block(c, prefix+"│ ", lead+"│ ")
			default:
				b.Reset()
				inline(c)
				if b.Len() > 0 {
					writeLines(w, b.String(), indent+lead, indent+prefix)
				}
			}
			lead = prefix
			// A blank line between blocks, but not between the items of a tight list.
			if c.NextSibling() != nil {
				if li, ok := n.(*ast.ListItem); !ok || !isTight(li) {
					fmt.Fprintln(w)
				}
			}
		}
	}
	block(doc, "", "")
}

// isTight reports whether a list item belongs to a tight list (no blank lines).
func isTight(li *ast.ListItem) bool {
	l, ok := li.Parent().(*ast.List)
	return ok && l.IsTight
}

// writeLines writes s line by line, the first line after first and the others after rest.
func writeLines(w io.Writer, s, first, rest string) {
	for i, line := range strings.Split(s, "\n") {
		p := rest
		if i == 0 {
			p = first
		}
		fmt.Fprintln(w, strings.TrimRight(p+line, " "))
	}
}
