package accessibility

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/internal/browsertest"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/site"
	"github.com/go-blindspots/workbook/workspace"
)

// The accessibility test runs axe-core, which site/editor's build copies to
// site/testdata/axe.min.js (see site/editor/package.json): the test injects it
// into each page it checks, so it works offline, and the site never serves it.
const axePath = "../testdata/axe.min.js"

// testToken is the session token of the test's site.
const testToken = "0123456789abcdef0123456789abcdef"

// server is a site over a fresh workspace, as `workbook serve` makes it,
// whose checks are replayed from the site's recorded ones (see
// browsertest.ReplayCheck).
type server struct {
	*httptest.Server
	cat     *exercises.Catalog
	ws      *workspace.Workspace
	lessons []*lessons.Lesson
}

// newServer starts a site for the test. With runPrograms, the lessons'
// programs run for real.
func newServer(t *testing.T, runPrograms bool) *server {
	t.Helper()
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	list, err := lessons.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Create(filepath.Join(t.TempDir(), "ws"), cat)
	if err != nil {
		t.Fatal(err)
	}
	cfg := site.Config{Catalog: cat, Lessons: list, Workspace: ws, Token: testToken, Check: browsertest.ReplayCheck("../testdata")}
	if runPrograms {
		r, err := runner.New(context.Background())
		if err != nil {
			t.Fatalf("cannot run programs here: %v", err)
		}
		r.WorkRoot = t.TempDir()
		cfg.Runner = r
	}
	s, err := site.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return &server{Server: ts, cat: cat, ws: ws, lessons: list}
}

// axeViolation is one rule axe found broken, with the nodes that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun runs axe-core on the page the tab shows and returns its violations.
func axeRun(tb *browsertest.Tab, src string) []axeViolation {
	tb.T.Helper()
	if tb.JS(`typeof axe`) == "undefined" {
		if _, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[any](src+";0")); err != nil {
			tb.T.Fatalf("inject axe-core: %v", err)
		}
	}
	out, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.T.Fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		tb.T.Fatal(err)
	}
	return vs
}

// a11yPage is a page the accessibility tests check: its path, a condition
// it meets once drawn, and what to do on it before the check.
type a11yPage struct {
	name, path string
	ready      string
	prepare    func(tb *browsertest.Tab)
	// resize: the page is opened and prepared once per theme, in the widest
	// window, and then resized to the others, where the layout must follow
	// live. For a page whose preparation runs a program for real.
	resize bool
}

// TestAccessibility runs axe-core on the home page, a lesson, an exercise
// (after a failing check, with a hint shown) and a passed exercise with its
// solution open (see checkAccessibility). TestAccessibilityInstruments does
// the same for the teaching instruments.
func TestAccessibility(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newServer(t, false)
	passed, _ := ts.cat.Lookup("escape-request-id")
	if err := ts.ws.Update(func(p *workspace.Progress) error {
		st := p.Status(passed.Name)
		st.Done, st.PassedAt = true, time.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	checkAccessibility(t, ctx, ts, []a11yPage{
		{name: "home", path: "/", ready: `document.querySelector(".topics")`},
		{name: "lesson", path: "/lesson/escape", ready: `document.querySelector(".program")`},
		{name: "exercise", path: "/exercise/escape-make-measure",
			ready: `window.workbookEditor && document.querySelector(".cm-content")`,
			prepare: func(tb *browsertest.Tab) {
				tb.JS(`document.querySelector("#check").click(); "clicked"`)
				tb.WaitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
				tb.JS(`document.querySelector("#hint").click(); "clicked"`)
				tb.WaitJS("a hint shows", `document.querySelector("#hints li")`)
			}},
		// An exercise that has passed, with its solution open.
		{name: "solution", path: "/exercise/escape-request-id",
			ready: `window.workbookEditor && document.querySelector(".cm-content")`,
			prepare: func(tb *browsertest.Tab) {
				tb.JS(`document.querySelector("#check").click(); "clicked"`)
				tb.WaitJS("the pass shows", `document.querySelector("#verdict.pass")`)
				tb.JS(`document.querySelector("#show-solution").click(); "clicked"`)
				tb.WaitJS("the diff shows", `document.querySelector("#solution:not([hidden]) table.diff")`)
			}},
	})
}

// TestAccessibilityInstruments runs axe-core, as TestAccessibility does, on
// a race check with its timelines, a lesson's program in the playground
// with its escapes explained under its lines, and a racy lesson program run
// with -race. Checks are replayed; the lessons' programs run for real.
func TestAccessibilityInstruments(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newServer(t, true)
	checkAccessibility(t, ctx, ts, []a11yPage{
		{name: "race", path: "/exercise/races-request-counter", resize: true,
			ready: `window.workbookEditor && document.querySelector(".cm-content")`,
			prepare: func(tb *browsertest.Tab) {
				tb.JS(`document.querySelector("#check").click(); "clicked"`)
				tb.WaitJS("the timeline is drawn", `document.querySelector("details.timeline-box[open] .tl-steps")`)
			}},
		{name: "playground", path: "/lesson/escape", ready: `document.querySelector(".program-bar")`, resize: true,
			prepare: func(tb *browsertest.Tab) {
				tb.JS(`document.querySelector('.program[data-program="0"] button.why').click(); "clicked"`)
				tb.WaitJS("the notes show", `document.querySelector('.program[data-program="0"] .run-output').dataset.why && document.querySelector(".cm-note")`)
			}},
		{name: "lesson-race", path: "/lesson/races", ready: `document.querySelector(".program-bar")`, resize: true,
			prepare: func(tb *browsertest.Tab) {
				tb.JS(`(() => { const b = document.querySelector('.program[data-program="3"]'); b.querySelector('input[value="race"]').click(); b.querySelector("button.run").click(); return "clicked"; })()`)
				tb.WaitJS("the race is drawn", `document.querySelector('.program[data-program="3"] details.timeline-box[open] .tl-steps')`)
			}},
	})
}

// checkAccessibility opens each page in both themes, in a wide window, a
// half-screen one and a phone (pages with resize: opened once per theme and
// resized), and runs axe-core on it once prepared. It
// fails on any serious or critical violation, on a page wider than its
// window, and when an exercise's Check button is out of reach. It logs
// every violation, of any impact, for the record; WORKBOOK_SCREENSHOTS=DIR
// keeps a picture of each.
func checkAccessibility(t *testing.T, ctx context.Context, ts *server, pages []a11yPage) {
	axeSrc, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("%v (site/editor's npm run build copies axe-core there)", err)
	}
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the site", chromedp.Navigate(ts.URL+"/?token="+testToken))
	sizes := []struct {
		width, height int64
		phone         bool
	}{{1400, 900, false}, {720, 900, false}, {390, 844, true}}

	for _, pg := range pages {
		prepared := "" // with pg.resize: the theme pg is open and prepared in
		for _, theme := range []string{"light", "dark"} {
			for _, size := range sizes {
				name := fmt.Sprintf("%s/%s/%d", pg.name, theme, size.width)
				t.Run(name, func(t *testing.T) {
					tb := &browsertest.Tab{T: t, Ctx: ctx}
					var opts []chromedp.EmulateViewportOption
					if size.phone {
						opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
					}
					tb.Do("size the window", chromedp.EmulateViewport(size.width, size.height, opts...))
					if pg.resize && prepared == theme {
						tb.WaitJS("the layout follows", fmt.Sprintf("document.documentElement.clientWidth <= %d", size.width))
					} else {
						prepared = ""
						tb.JS(`localStorage.setItem("theme", "` + theme + `"); "set"`)
						tb.Do("open "+pg.path, chromedp.Navigate(ts.URL+pg.path))
						tb.WaitJS("the page is drawn", pg.ready)
						if pg.prepare != nil {
							pg.prepare(tb)
						}
						if pg.resize {
							prepared = theme
						}
					}
					if got := tb.JS(`document.documentElement.dataset.theme`); got != theme {
						t.Fatalf("the page's theme is %q, want %q", got, theme)
					}

					var bad []string
					for _, v := range axeRun(tb, string(axeSrc)) {
						t.Logf("axe %s (%s, %d nodes): %s", v.ID, v.Impact, len(v.Nodes), v.Help)
						if v.Impact == "serious" || v.Impact == "critical" {
							var where []string
							for i, n := range v.Nodes {
								if i == 3 {
									where = append(where, fmt.Sprintf("and %d more", len(v.Nodes)-3))
									break
								}
								where = append(where, fmt.Sprintf("%v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " ")))
							}
							bad = append(bad, fmt.Sprintf("%s (%s, %d nodes): %s\n\t%s", v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(where, "\n\t")))
						}
					}
					if len(bad) > 0 {
						t.Errorf("axe-core finds %d serious or critical violations:\n%s", len(bad), strings.Join(bad, "\n"))
					}

					if over, culprits := tb.Overflow(); over > 0 {
						t.Errorf("the page is %d px wider than the %d px window: %s", over, size.width, strings.Join(culprits, ", "))
					}
					if strings.HasPrefix(pg.path, "/exercise/") {
						// Check must be on the page, not cut off on the right.
						right := tb.JS(`String(Math.round(document.querySelector("#check").getBoundingClientRect().right))`)
						if n, err := strconv.Atoi(right); err != nil || n > int(size.width) {
							t.Errorf("the Check button ends at %s px, outside the %d px window", right, size.width)
						}
					}
					tb.Screenshot(strings.ReplaceAll(name, "/", "-"))
				})
			}
		}
	}
}

// TestKeyboard works the exercise page with the keyboard alone: Tab from the
// top of the page passes through the editor to the Check button without
// typing into the file, and once editing, Tab indents while Escape then Tab
// leaves the editor.
func TestKeyboard(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newServer(t, false)
	ex, _ := ts.cat.Lookup("escape-make-measure")
	file := ex.EditableNames()[0]
	path := filepath.Join(ts.ws.Dir(ex.Name), file)
	shipped := string(ex.Start[file])
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the exercise", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name+"?token="+testToken))
	tb.WaitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)

	// focused names the element that has the focus.
	focused := func() string {
		return tb.JS(`(() => { const a = document.activeElement; if (!a) return "";
			if (a.classList.contains("cm-content")) return "editor";
			return a.id || a.tagName.toLowerCase() + (a.className ? "." + a.className : ""); })()`)
	}

	// From the top of the page, Tab reaches Check, passing the editor.
	tb.JS(`document.activeElement.blur(); window.scrollTo(0, 0); "blurred"`)
	var path2 []string
	reached := false
	for range 60 {
		tb.Do("press Tab", chromedp.KeyEvent(kb.Tab))
		f := focused()
		path2 = append(path2, f)
		if f == "check" {
			reached = true
			break
		}
	}
	if !reached {
		t.Fatalf("60 presses of Tab never reached Check; the focus went: %s", strings.Join(path2, " → "))
	}
	if !strings.Contains(strings.Join(path2, " "), "editor") {
		t.Errorf("Tab never stopped in the editor on its way to Check: %s", strings.Join(path2, " → "))
	}
	if got := tb.JS(`workbookEditor.getValue()`); got != shipped {
		t.Errorf("tabbing through the editor changed its text:\n%s", got)
	}
	if data, _ := os.ReadFile(path); string(data) != shipped {
		t.Errorf("tabbing through the editor changed %s on disk", file)
	}

	// Editing: Tab indents.
	tb.JS(`workbookEditor.focus(); "focused"`)
	tb.Do("go to the end", chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	tb.Do("type", chromedp.KeyEvent("\n"))
	tb.Do("indent", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "editor" {
		t.Fatalf("after typing, Tab moved the focus to %s; it must indent", f)
	}
	tb.Do("type", chromedp.KeyEvent("// indented"))
	if got := tb.JS(`workbookEditor.getValue()`); !strings.HasSuffix(got, "\n\t// indented") {
		t.Errorf("after typing, Tab did not indent: the file ends %q", got[max(0, len(got)-40):])
	}
	// Esc then Tab leaves the editor, without a tab in the text.
	before := tb.JS(`workbookEditor.getValue()`)
	tb.Do("Escape", chromedp.KeyEvent(kb.Escape))
	tb.Do("Tab", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f == "editor" {
		t.Errorf("Escape then Tab left the focus in the editor")
	}
	if got := tb.JS(`workbookEditor.getValue()`); got != before {
		t.Errorf("Escape then Tab changed the text: it ends %q", got[max(0, len(got)-40):])
	}
	browsertest.WaitFor(t, "the edit is saved", func() bool {
		data, _ := os.ReadFile(path)
		return strings.HasSuffix(string(data), "\n\t// indented")
	})
}

// TestNoPageOverflow opens every page of the site in a phone's width and
// fails on any that is wider than the window: a long line of a task, a
// table or a path in one exercise is enough to cut a page.
func TestNoPageOverflow(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newServer(t, false)
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the site", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(ts.URL+"/?token="+testToken))
	paths := []string{"/"}
	for _, l := range ts.lessons {
		paths = append(paths, "/lesson/"+l.Topic)
	}
	for _, ex := range ts.cat.List {
		paths = append(paths, "/exercise/"+ex.Name)
	}
	for _, p := range paths {
		tb.Do("open "+p, chromedp.Navigate(ts.URL+p))
		tb.WaitJS("the page is drawn", `document.readyState === "complete" && (!document.querySelector("#editor") || document.querySelector(".cm-content"))`)
		if over, culprits := tb.Overflow(); over > 0 {
			t.Errorf("%s is %d px wider than a 390 px phone: %s", p, over, strings.Join(culprits, ", "))
		}
	}
}
