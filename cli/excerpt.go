package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-blindspots/workbook/diff"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/runner"
)

// langOf is the highlighting language of a file: its extension ("go").
func langOf(file string) string { return strings.TrimPrefix(filepath.Ext(file), ".") }

// excerptContext is how many lines around a finding's line are shown.
const excerptContext = 1

// excerpts shows the learner's source around a failure: its line, and for a
// race the line of the other access too.
func (t *terminal) excerpts(f runner.Event) {
	if f.File == "" || f.Line == 0 {
		return
	}
	t.excerpt(f.File, f.Line)
	de, ok := t.diags[f.Ref]
	if !ok || de.Diagnostic == nil {
		return
	}
	if de.Why != "" {
		fmt.Fprintf(t.w, "    %s\n", t.st.Dim(de.Why))
	}
	if de.Timeline != nil {
		for _, line := range strings.Split(strings.TrimRight(de.Timeline.Text(textWidth()-4), "\n"), "\n") {
			fmt.Fprintf(t.w, "    %s\n", line)
		}
	}
	d := de.Diagnostic
	if d.Kind != "race" || len(d.Related) == 0 {
		return
	}
	other := d.Related[0]
	if other.File == "" || other.Line == 0 || filepath.Base(other.File) != other.File {
		return // not in the learner's files
	}
	fmt.Fprintf(t.w, "    %s %s\n", t.st.Dim("the other access, at"), t.location(other.File, other.Line, 0))
	if other.File != f.File || other.Line != f.Line {
		t.excerpt(other.File, other.Line)
	}
}

// excerpt writes the lines around line of file, numbered, the line marked,
// highlighted with chroma in a color terminal.
func (t *terminal) excerpt(file string, line int) {
	src, err := os.ReadFile(filepath.Join(t.dir, file))
	if err != nil {
		return
	}
	lines := strings.Split(string(src), "\n")
	first, last := max(1, line-excerptContext), min(len(lines), line+excerptContext)
	if line > len(lines) {
		return
	}
	code := strings.Join(lines[first-1:last], "\n")
	var b strings.Builder
	if err := (markdown.Terminal{Color: t.st.On}).Highlight(&b, langOf(file), code); err != nil {
		b.Reset()
		b.WriteString(code)
	}
	shown := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	width := len(fmt.Sprint(last))
	for i, l := range shown {
		n := first + i
		if n > last {
			break
		}
		mark := "  "
		num := fmt.Sprintf("%*d", width, n)
		if n == line {
			mark = t.st.Red("→ ")
			num = t.st.Bold(num)
		} else {
			num = t.st.Dim(num)
		}
		fmt.Fprintf(t.w, "    %s%s │ %s\n", mark, num, strings.ReplaceAll(l, "\t", "    "))
	}
}

// unifiedDiff is the unified diff of two files, with 3 lines of context.
func unifiedDiff(aName, bName, a, b string) string { return diff.Unified(aName, bName, a, b, 3) }

// writeDiff writes a unified diff, its removed lines red and added ones green.
func writeDiff(w io.Writer, d string, st markdown.Style) {
	for _, line := range strings.Split(strings.TrimSuffix(d, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"), strings.HasPrefix(line, "@@"):
			line = st.Dim(line)
		case strings.HasPrefix(line, "-"):
			line = st.Red(line)
		case strings.HasPrefix(line, "+"):
			line = st.Green(line)
		}
		fmt.Fprintln(w, strings.ReplaceAll(line, "\t", "    "))
	}
}
