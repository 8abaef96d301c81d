package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-blindspots/workbook/runner"
)

// excerptContext is how many lines around a finding's line are shown.
const excerptContext = 1

// excerpts shows the learner's source around a failure: its line, and for a
// race the line of the other access too.
func (t *terminal) excerpts(f runner.Event) {
	if f.File == "" || f.Line == 0 {
		return
	}
	t.excerpt(f.File, f.Line)
	d := f.Diagnostic
	if d == nil || d.Kind != "race" || len(d.Related) == 0 {
		return
	}
	other := d.Related[0]
	if other.File == "" || other.Line == 0 || filepath.Base(other.File) != other.File {
		return // not in the learner's files
	}
	fmt.Fprintf(t.w, "    %s %s\n", t.st.dim("the other access, at"), t.location(other.File, other.Line, 0))
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
	if err := highlight(&b, file, code, t.st.on); err != nil {
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
			mark = t.st.red("→ ")
			num = t.st.bold(num)
		} else {
			num = t.st.dim(num)
		}
		fmt.Fprintf(t.w, "    %s%s │ %s\n", mark, num, strings.ReplaceAll(l, "\t", "    "))
	}
}
