package markdown

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// A Highlighter writes source code in a language (a fence's language, or a
// file name's extension: "go", "txtar", "sh"), colored for where it goes.
type Highlighter interface {
	Highlight(w io.Writer, lang, code string) error
}

// lexer returns chroma's lexer for lang, or nil to write the code plain.
// Archives are mostly Go; their -- name -- lines stay plain.
func lexer(lang string) chroma.Lexer {
	switch lang {
	case "":
		return nil
	case "txtar":
		lang = "go"
	}
	l := lexers.Get(lang)
	if l == nil {
		return nil
	}
	return chroma.Coalesce(l)
}

// Chroma styles of the site's light and dark themes.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// HTML highlights code for the site, with CSS classes (prefix "hl-") whose
// colors are in CSS, so one page serves both themes.
type HTML struct {
	// LineNumbers numbers the lines, for prose that cites "line 14".
	LineNumbers bool
}

func (h HTML) formatter() *chromahtml.Formatter {
	opts := []chromahtml.Option{chromahtml.WithClasses(true), chromahtml.ClassPrefix("hl-")}
	if h.LineNumbers {
		opts = append(opts, chromahtml.WithLineNumbers(true))
	}
	return chromahtml.New(opts...)
}

// Highlight writes code as a highlighted <pre>; code chroma does not know
// is written escaped.
func (h HTML) Highlight(w io.Writer, lang, code string) error {
	if l := lexer(lang); l != nil {
		var b bytes.Buffer
		it, err := l.Tokenise(nil, code)
		if err == nil {
			err = h.formatter().Format(&b, styles.Get(lightStyle), it)
		}
		if err == nil {
			_, err = w.Write(b.Bytes())
			return err
		}
	}
	_, err := fmt.Fprintf(w, "<pre class=\"hl-chroma\"><code>%s</code></pre>", html.EscapeString(code))
	return err
}

// CSS returns the stylesheet of highlighted code: the light style, and the
// dark one under [data-theme="dark"].
func CSS() []byte {
	f := HTML{}.formatter()
	var b bytes.Buffer
	_ = f.WriteCSS(&b, styles.Get(lightStyle))
	var dark bytes.Buffer
	_ = f.WriteCSS(&dark, styles.Get(darkStyle))
	// Scope every dark rule under the theme attribute the page sets.
	for _, line := range strings.Split(dark.String(), "\n") {
		if strings.HasPrefix(line, "/*") && strings.Contains(line, "*/ .") {
			comment, rule, _ := strings.Cut(line, "*/ ")
			line = comment + `*/ [data-theme="dark"] ` + rule
		}
		b.WriteString(line + "\n")
	}
	return b.Bytes()
}
