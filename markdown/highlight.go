package markdown

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
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
// dark one under [data-theme="dark"]. Each style's rules are scoped to its
// theme, so that a class one style colors and the other leaves to the text
// color (github colors names and punctuation, github-dark does not) never
// shows the light color on the dark background. Colors are made readable
// on their background first (see readable).
func CSS() []byte {
	var b bytes.Buffer
	writeCSS(&b, readable(styles.Get(lightStyle)), `html:not([data-theme="dark"]) `)
	writeCSS(&b, readable(styles.Get(darkStyle)), `[data-theme="dark"] `)
	return b.Bytes()
}

// writeCSS writes the rules of style, each with its selector under scope.
func writeCSS(w *bytes.Buffer, style *chroma.Style, scope string) {
	var css bytes.Buffer
	_ = HTML{}.formatter().WriteCSS(&css, style)
	for _, line := range strings.Split(strings.TrimSpace(css.String()), "\n") {
		// Each line is "/* TokenType */ .selector { declarations }".
		if comment, rule, ok := strings.Cut(line, "*/ "); ok {
			line = comment + "*/ " + scope + rule
		}
		w.WriteString(line + "\n")
	}
}

// minContrast is the contrast ratio WCAG asks of normal text (level AA).
const minContrast = 4.5

// readable returns style with every token color that has too little
// contrast with its background darkened (on a light background) or
// lightened (on a dark one) until it has enough: chroma's github styles
// give line numbers and some names colors of 3.7:1 or less.
func readable(style *chroma.Style) *chroma.Style {
	bg := style.Get(chroma.Background).Background
	fix := func(e chroma.StyleEntry) chroma.StyleEntry {
		on := e.Background
		if !on.IsSet() {
			on = bg
		}
		if e.Colour.IsSet() && on.IsSet() {
			e.Colour = withContrast(e.Colour, on, minContrast)
		}
		return e
	}
	b := style.Builder().Transform(fix)
	// Line numbers a style leaves out are made up from the background,
	// with too little contrast, when the style is built: give them a color.
	for _, tt := range []chroma.TokenType{chroma.LineNumbers, chroma.LineNumbersTable} {
		b.AddEntry(tt, fix(style.Get(tt)))
	}
	s, err := b.Build()
	if err != nil {
		return style
	}
	return s
}

// withContrast moves c toward black or white, whichever is further from
// bg, in small steps until its contrast with bg is at least min.
func withContrast(c, bg chroma.Colour, min float64) chroma.Colour {
	target := uint8(0)
	if luminance(bg) < 0.18 {
		target = 255
	}
	for i := 0; i < 40 && contrast(c, bg) < min; i++ {
		step := func(v uint8) uint8 {
			return uint8(int(v) + (int(target)-int(v))/8 + sign(int(target)-int(v)))
		}
		c = chroma.NewColour(step(c.Red()), step(c.Green()), step(c.Blue()))
	}
	return c
}

func sign(n int) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// contrast is WCAG's contrast ratio of two colors, from 1 to 21.
func contrast(a, b chroma.Colour) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG's relative luminance of a color.
func luminance(c chroma.Colour) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.Red()) + 0.7152*lin(c.Green()) + 0.0722*lin(c.Blue())
}
