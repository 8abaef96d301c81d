package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/exercises"
)

// TestMarkdownGolden renders a task text for the terminal, plain and in color.
func TestGoldenMarkdown(t *testing.T) {
	dir := filepath.Join("testdata", "markdown")
	src, err := os.ReadFile(filepath.Join(dir, "task.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, color := range []bool{false, true} {
		name := "plain.golden"
		if color {
			name = "color.golden"
		}
		var b strings.Builder
		renderMarkdown(&b, src, "  ", color)
		checkGolden(t, filepath.Join(dir, name), b.String())
	}
}

// TestMarkdownTasks renders every exercise's task: no fence or emphasis
// marker of the Markdown is left for the reader.
func TestMarkdownTasks(t *testing.T) {
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range cat.List {
		var b strings.Builder
		renderMarkdown(&b, []byte(ex.Task), "", false)
		for _, line := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") || strings.Contains(line, "**") {
				t.Errorf("%s: Markdown left in the terminal text: %q", ex.Name, line)
			}
		}
		if strings.Count(b.String(), "\n") < strings.Count(strings.TrimSpace(ex.Task), "\n")/2 {
			t.Errorf("%s: the rendered task has %d lines, the source %d: text went missing", ex.Name, strings.Count(b.String(), "\n"), strings.Count(ex.Task, "\n"))
		}
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	src, _ := os.ReadFile(filepath.Join("testdata", "markdown", "task.md"))
	f.Add(src)
	f.Add([]byte("> - `x`\n>   ```go\n>   a\n>   ```\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var b strings.Builder
		renderMarkdown(&b, src, "  ", true)
	})
}
