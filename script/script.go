// Package script reads the workbook's check scripts: testscript scripts
// (github.com/rogpeppe/go-internal/testscript) in a txtar archive, whose
// comment is the script and whose files are written into $WORK.
//
// It knows the script language only as far as the workbook needs it: the
// archive, its lines (a `# comment`, or a command with its `!`/`?` prefix,
// its `[condition]`s and its arguments, quoted as testscript quotes them:
// 'single quotes', with a doubled quote for a quote inside them), and the variables a
// script sets with `env`. The language itself is testscript's; see its doc.
package script

import (
	"errors"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// ParseArchive parses a txtar archive, such as a check script. go-internal's
// txtar (v1.16.0) panics on a marker line "-- --" (its prefix and suffix
// overlap); here that is an error.
func ParseArchive(data []byte) (a *txtar.Archive, err error) {
	defer func() {
		if recover() != nil {
			a, err = nil, errors.New("malformed txtar archive: a file marker line like \"-- --\" has no file name")
		}
	}()
	return txtar.Parse(data), nil
}

// Line is one line of a script.
type Line struct {
	Num        int      // 1-based, within the script
	Comment    string   // the text of a `# comment` line, without the #
	IsComment  bool     // the line is a comment
	Neg        bool     // `! cmd`: the command must fail
	Maybe      bool     // `? cmd`: the command may fail
	Conditions []string // `[short]`, `[!windows]`: without the brackets
	Args       []string // the command and its arguments, unquoted; empty for a blank line
}

// Lines splits a script into lines. A line that is not well formed (an
// unterminated quote) has its words as far as they go.
func Lines(script []byte) []Line {
	var lines []Line
	for i, text := range strings.Split(string(script), "\n") {
		l := Line{Num: i + 1}
		trimmed := strings.TrimSpace(text)
		if c, ok := strings.CutPrefix(trimmed, "#"); ok {
			l.IsComment, l.Comment = true, strings.TrimSpace(c)
			lines = append(lines, l)
			continue
		}
		words := Split(trimmed)
		for len(words) > 0 {
			w := words[0]
			switch {
			case w == "!":
				l.Neg = true
			case w == "?":
				l.Maybe = true
			case strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]"):
				l.Conditions = append(l.Conditions, w[1:len(w)-1])
			default:
				l.Args = words
				words = nil
				continue
			}
			words = words[1:]
		}
		lines = append(lines, l)
	}
	return lines
}

// Split splits a command line into words as testscript does: on spaces and
// tabs outside single quotes; inside them, a doubled quote is one quote. A `#` starts a
// comment only at the beginning of a word.
func Split(line string) []string {
	var words []string
	var cur strings.Builder
	inQuote, inWord := false, false
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case inQuote && r == '\'' && i+1 < len(rs) && rs[i+1] == '\'':
			cur.WriteRune('\'')
			i++
		case r == '\'':
			inQuote, inWord = !inQuote, true
		case !inQuote && (r == ' ' || r == '\t'):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case !inQuote && !inWord && r == '#':
			return words
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Quote quotes a word for a script line, when it needs it.
func Quote(word string) string {
	if word != "" && !strings.ContainsAny(word, " \t'#$\"\\") {
		return word
	}
	return "'" + strings.ReplaceAll(word, "'", "''") + "'"
}

// EnvKeys returns the names of the variables the script sets with
// `env NAME=VALUE`, in order.
func EnvKeys(script []byte) []string {
	var keys []string
	for _, l := range Lines(script) {
		if len(l.Args) < 2 || l.Args[0] != "env" {
			continue
		}
		for _, kv := range l.Args[1:] {
			if k, _, ok := strings.Cut(kv, "="); ok {
				keys = append(keys, k)
			}
		}
	}
	return keys
}
