package markdown

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/go-blindspots/workbook/internal/golden"
)

var md = New(Default)

// TestTextGolden renders a task text for the terminal, plain and in color,
// wrapped at 80 columns.
func TestTextGolden(t *testing.T) {
	dir := filepath.Join("testdata", "terminal")
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
		md.Text(&b, src, TextOptions{Indent: "  ", Color: color, Width: 80})
		golden.Check(t, filepath.Join(dir, name), b.String())
		for _, line := range strings.Split(b.String(), "\n") {
			if w := Width(line); w > 80 && !strings.Contains(line, "│") && !strings.HasPrefix(line, "      ") {
				t.Errorf("a line of %d columns, wider than 80: %q", w, line)
			}
		}
	}
}

// ansiColors are the SGR parameters a terminal rendering may use: the
// 16-color palette, whose colors the terminal's theme sets, so that text is
// readable on a light and a dark background; never 256-color or RGB codes.
var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

func TestTerminalPalette(t *testing.T) {
	src := "package main\n\n// Comment.\nfunc main() {\n\tx := \"s\" + 1\n\tprintln(x)\n}\n"
	var b strings.Builder
	if err := (Terminal{Color: true}).Highlight(&b, "go", src); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, m := range sgr.FindAllStringSubmatch(out, -1) {
		for _, p := range strings.Split(m[1], ";") {
			switch p {
			case "", "0", "1", "2", "31", "32", "33", "34", "35", "36":
			default:
				t.Errorf("SGR %q is not of the 16-color palette (or is white/black, unreadable on one background)", m[1])
			}
		}
	}
	if plain := sgr.ReplaceAllString(out, ""); plain != src {
		t.Errorf("highlighting changed the text:\n%q\nwant\n%q", plain, src)
	}
	for _, line := range strings.Split(out, "\n") {
		if codes := sgr.FindAllStringSubmatch(line, -1); len(codes) > 0 && codes[len(codes)-1][1] != "0" {
			t.Errorf("a line leaves a color open: %q", line)
		}
	}
	var plain strings.Builder
	_ = (Terminal{}).Highlight(&plain, "go", src)
	if plain.String() != src {
		t.Errorf("without color the code must be written as it is")
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"a b c", 80, "a b c"},
		{"one two three four", 10, "one two\nthree four"},
		{"\x1b[36mcolored\x1b[0m word here", 12, "\x1b[36mcolored\x1b[0m word\nhere"},
		{"averyveryverylongword x", 10, "averyveryverylongword\nx"},
		{"kept\nbreak", 80, "kept\nbreak"},
	}
	for _, tt := range tests {
		if got := Wrap(tt.in, tt.width); got != tt.want {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
	if w := Width("\x1b]8;;file:///x\x1b\\\x1b[33mloc\x1b[0m\x1b]8;;\x1b\\"); w != 3 {
		t.Errorf("Width of a linked, colored word: %d, want 3", w)
	}
}

// TestHTML renders fenced code: programs get a Run button only when asked.
func TestHTML(t *testing.T) {
	src := []byte("# Title\n\n```go\npackage main\n```\n\n```predict\nid: x\nquestion: <b>Race?</b>\n```\n\n```output\n$ go run .\n<hi>\n```\n\n```mermaid\ngraph TD; A-->B\n```\n\n<details><summary>Under the hood</summary>\n\nText.\n\n</details>\n\n<script>alert(1)</script>\n\nInline <img src=x onerror=alert(1)> and <summary>ok</summary>.\n")
	plain, err := md.HTML(src, HTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain, "data-program") {
		t.Errorf("a task's code got a Run button:\n%s", plain)
	}
	run, err := md.HTML(src, HTMLOptions{Runnable: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="title"`, `data-program="0"`, `<button class="run"`, `<pre class="output"><span class="output-cmd">$ go run .`, "&lt;hi&gt;", `<pre class="mermaid">graph TD; A--&gt;B`, "<details><summary>Under the hood</summary>", `class="hl-ln`, `<div class="predict"></div>`} {
		if !strings.Contains(run, want) {
			t.Errorf("lesson HTML lacks %q:\n%s", want, run)
		}
	}
	for _, bad := range []string{"<script>", "<img", "Race?"} {
		if strings.Contains(run, bad) {
			t.Errorf("raw HTML %s is rendered:\n%s", bad, run)
		}
	}
	if css := string(CSS()); !strings.Contains(css, `[data-theme="dark"] .hl-chroma`) {
		t.Errorf("the CSS has no dark theme rules")
	}
}

func FuzzText(f *testing.F) {
	src, _ := os.ReadFile(filepath.Join("testdata", "terminal", "task.md"))
	f.Add(src)
	f.Add([]byte("> - `x`\n>   ```go\n>   a\n>   ```\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var b strings.Builder
		md.Text(&b, src, TextOptions{Indent: "  ", Color: true, Width: 40})
		if _, err := md.HTML(src, HTMLOptions{Runnable: true}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCSSReadable checks the highlighting CSS of both themes: every rule is
// scoped to its theme (a light color left to apply in the dark theme is
// how names and punctuation became dark on dark, 1.19:1), and every token
// color has a contrast of at least 4.5:1 with its background.
func TestCSSReadable(t *testing.T) {
	ruleRE := regexp.MustCompile(`^/\* (\w+) \*/ (.*?) ?\{(.*)\}$`)
	colorRE := regexp.MustCompile(`(?:^|[;{ ])color: #([0-9a-f]{6})`)
	bgRE := regexp.MustCompile(`background-color: #([0-9a-f]{6})`)
	hex := func(s string) chroma.Colour { return chroma.MustParseColour("#" + s) }
	scopes := []string{`html:not([data-theme="dark"]) `, `[data-theme="dark"] `}
	bgs := map[string]chroma.Colour{}
	type rule struct{ token, scope, decls string }
	var rules []rule
	for _, line := range strings.Split(strings.TrimSpace(string(CSS())), "\n") {
		m := ruleRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("a CSS line this test cannot read: %s", line)
		}
		r := rule{token: m[1], decls: m[3]}
		for _, s := range scopes {
			if strings.HasPrefix(m[2], s) {
				r.scope = s
			}
		}
		if r.scope == "" {
			t.Errorf("a rule applies in both themes: %s", line)
			continue
		}
		if r.token == "PreWrapper" {
			bgs[r.scope] = hex(bgRE.FindStringSubmatch(r.decls)[1])
		}
		rules = append(rules, r)
	}
	checked := 0
	for _, r := range rules {
		c := colorRE.FindStringSubmatch(r.decls)
		if c == nil {
			continue
		}
		bg := bgs[r.scope]
		if b := bgRE.FindStringSubmatch(r.decls); b != nil {
			bg = hex(b[1])
		}
		if got := contrast(hex(c[1]), bg); got < minContrast {
			t.Errorf("%s%s: #%s on %s has contrast %.2f:1, want at least %.1f:1", r.scope, r.token, c[1], bg, got, minContrast)
		}
		checked++
	}
	if checked < 100 {
		t.Errorf("checked only %d colors", checked)
	}
}
