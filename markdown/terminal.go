package markdown

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Terminal highlights code for a terminal with the 16 ANSI colors, which
// the terminal's own theme defines: readable on light and dark backgrounds
// alike (a 256-color style such as monokai writes plain code in white).
// Plain text keeps the terminal's default color. With Color off it writes
// the code as it is.
type Terminal struct {
	Color bool
}

// ansi maps token categories to SGR parameters of the 16-color palette.
var ansi = map[chroma.TokenType]string{
	chroma.Keyword:         "35", // magenta
	chroma.NameFunction:    "34", // blue
	chroma.NameBuiltin:     "36", // cyan
	chroma.KeywordType:     "36", // cyan
	chroma.LiteralString:   "32", // green
	chroma.LiteralNumber:   "31", // red
	chroma.Comment:         "2",  // dim: the default color, fainter
	chroma.GenericDeleted:  "31", // red
	chroma.GenericInserted: "32", // green
	chroma.GenericHeading:  "1",  // bold
	chroma.GenericStrong:   "1",  // bold
}

func sgrFor(t chroma.TokenType) string {
	for _, k := range []chroma.TokenType{t, t.SubCategory(), t.Category()} {
		if s, ok := ansi[k]; ok {
			return s
		}
	}
	return ""
}

// Highlight writes code colored by token.
func (h Terminal) Highlight(w io.Writer, lang, code string) error {
	l := lexer(lang)
	if !h.Color || l == nil {
		_, err := io.WriteString(w, code)
		return err
	}
	it, err := l.Tokenise(nil, code)
	if err != nil {
		_, err := io.WriteString(w, code)
		return err
	}
	var b strings.Builder
	for tok := it(); tok != chroma.EOF; tok = it() {
		sgr := sgrFor(tok.Type)
		// Color each line on its own, so that a line read alone (an
		// excerpt, a pager) never inherits an open color.
		for i, line := range strings.Split(tok.Value, "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			if sgr == "" || line == "" {
				b.WriteString(line)
				continue
			}
			b.WriteString("\x1b[" + sgr + "m" + line + "\x1b[0m")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// Style wraps text in ANSI attributes when on. Colors are of the 16-color
// palette, so they follow the terminal's theme.
type Style struct{ On bool }

func (s Style) wrap(code, text string) string {
	if !s.On || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Bold, Dim, Red, Green, Yellow and Cyan style text.
func (s Style) Bold(t string) string   { return s.wrap("1", t) }
func (s Style) Dim(t string) string    { return s.wrap("2", t) }
func (s Style) Red(t string) string    { return s.wrap("1;31", t) }
func (s Style) Green(t string) string  { return s.wrap("1;32", t) }
func (s Style) Yellow(t string) string { return s.wrap("33", t) }
func (s Style) Cyan(t string) string   { return s.wrap("36", t) }

// TextOptions says how Markdown is written to a terminal.
type TextOptions struct {
	Indent string // before every line
	Color  bool
	Width  int // wrap paragraphs at this many columns; 0: do not wrap
}

// Text writes Markdown for a terminal: code spans in color (or in backticks
// without color), emphasis in bold, links as "text (url)", lists with their
// markers, block quotes with a bar, code blocks indented and highlighted;
// paragraphs wrapped at the width (or the author's line breaks kept).
func (m *Markdown) Text(w io.Writer, src []byte, o TextOptions) {
	st := Style{o.Color}
	hl := Terminal{o.Color}
	doc := m.Parse(src)
	var b bytes.Buffer
	var inline func(n ast.Node)
	inline = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
				if c.HardLineBreak() || c.SoftLineBreak() {
					if o.Width > 0 && c.SoftLineBreak() {
						b.WriteString(" ")
					} else {
						b.WriteString("\n")
					}
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
				if o.Color {
					b.WriteString(st.Cyan(code.String()))
				} else {
					b.WriteString("`" + code.String() + "`")
				}
			case *ast.Emphasis:
				var inner bytes.Buffer
				b, inner = inner, b
				inline(c)
				b, inner = inner, b
				b.WriteString(st.Bold(inner.String()))
			case *ast.Link:
				var inner bytes.Buffer
				b, inner = inner, b
				inline(c)
				b, inner = inner, b
				b.WriteString(inner.String())
				if dest := string(c.Destination); dest != inner.String() && !strings.HasPrefix(dest, "#") {
					b.WriteString(" (" + dest + ")")
				}
			case *ast.AutoLink:
				b.Write(c.URL(src))
			case *ast.RawHTML:
				// <details> and friends: the text between them is what counts.
			case *east.Strikethrough:
				inline(c)
			default:
				inline(c)
			}
		}
	}
	para := func(text, first, rest string) {
		if o.Width > 0 {
			text = Wrap(text, o.Width-Width(first))
		}
		writeLines(w, text, first, rest)
	}
	var block func(n ast.Node, prefix string, first string)
	block = func(n ast.Node, prefix, first string) {
		lead := first
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				b.Reset()
				inline(c)
				para(b.String(), o.Indent+lead, o.Indent+prefix)
			case *ast.Heading:
				b.Reset()
				inline(c)
				para(st.Bold(b.String()), o.Indent+lead, o.Indent+prefix)
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
				code := Code(c, src)
				var out bytes.Buffer
				if err := hl.Highlight(&out, Language(c, src), string(code)); err != nil {
					out.Reset()
					out.Write(code)
				}
				writeLines(w, strings.TrimRight(out.String(), "\n"), o.Indent+lead+"    ", o.Indent+prefix+"    ")
			case *ast.Blockquote:
				block(c, prefix+"│ ", lead+"│ ")
			case *ast.HTMLBlock:
				// Raw HTML (an aside's <details> tags) is not for the terminal.
				continue
			default:
				b.Reset()
				inline(c)
				if b.Len() > 0 {
					para(b.String(), o.Indent+lead, o.Indent+prefix)
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

// Width is the number of columns s takes in a terminal: runes, without the
// ANSI escape sequences (colors, OSC 8 links) in it.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i = skipEscape(s, i)
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// skipEscape returns the index after the escape sequence at s[i]: CSI
// ("\x1b[...m") or OSC ("\x1b]...\x1b\\" or "...\x07").
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return len(s)
	}
	switch s[i+1] {
	case '[':
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		return min(j+1, len(s))
	case ']':
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	}
	return i + 2
}

// Wrap breaks s into lines of at most width columns at spaces (a word
// longer than the width gets a line of its own), keeping its own line
// breaks. Escape sequences take no columns.
func Wrap(s string, width int) string {
	if width < 10 {
		width = 10
	}
	var out strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		col := 0
		for j, word := range strings.Fields(line) {
			ww := Width(word)
			if j > 0 {
				if col+1+ww > width {
					out.WriteByte('\n')
					col = 0
				} else {
					out.WriteByte(' ')
					col++
				}
			}
			out.WriteString(word)
			col += ww
		}
	}
	return out.String()
}
