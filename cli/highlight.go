package cli

import (
	"io"

	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// highlight writes source code, colored for a 256-color terminal when color is
// on, plain otherwise.
func highlight(w io.Writer, filename, code string, color bool) error {
	if !color {
		_, err := io.WriteString(w, code)
		return err
	}
	lexer := lexers.Match(filename)
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		return err
	}
	return formatters.Get("terminal256").Format(w, styles.Get("monokai"), it)
}
