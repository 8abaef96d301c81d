package site

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// The accessibility test runs axe-core, which site/editor's build copies to
// testdata/axe.min.js (see site/editor/package.json): the test injects it
// into each page it checks, so it works offline, and the site never serves it.
const axePath = "testdata/axe.min.js"

// replayCheck stands in for the runner with the events of a real check of
// the exercise, recorded in testdata/check-NAME.jsonl with
//
//	workbook check NAME --json > site/testdata/check-NAME.jsonl
//
// in a fresh workspace: escape-make-measure as shipped (a failing check,
// with compiler output on stderr, escape diagnostics and the failures of
// hidden tests), escape-request-id with its solution (a pass).
func replayCheck(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
	file := filepath.Join("testdata", "check-"+ex.Name+".jsonl")
	data, err := os.ReadFile(file)
	if err != nil {
		return runner.Result{}, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	var res runner.Result
	for sc.Scan() {
		var e runner.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return res, fmt.Errorf("%s: %w", file, err)
		}
		if e.Type == runner.TypeVerdict && e.Pass != nil {
			res.Pass = *e.Pass
		}
		sink.Emit(e)
	}
	return res, sc.Err()
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
func (tb *tab) axeRun(src string) []axeViolation {
	tb.t.Helper()
	if tb.js(`typeof axe`) == "undefined" {
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](src+";0")); err != nil {
			tb.t.Fatalf("inject axe-core: %v", err)
		}
	}
	out, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		tb.t.Fatal(err)
	}
	return vs
}

// overflowJS measures how far the page is wider than the window, and names
// the outermost elements that stick out on the right.
const overflowJS = `(() => {
	const w = document.documentElement.clientWidth;
	const over = document.documentElement.scrollWidth - w;
	const culprits = [];
	if (over > 0) {
		for (const e of document.body.querySelectorAll("*")) {
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.right <= w + 1) continue;
			const p = e.parentElement.getBoundingClientRect();
			if (e.parentElement !== document.body && p.right > w + 1) continue;
			culprits.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " " + Math.round(r.right) + "px");
			if (culprits.length >= 5) break;
		}
	}
	return JSON.stringify({over, culprits});
})()`

// TestAccessibility runs axe-core on the home page, a lesson, an exercise
// (after a failing check, with a hint shown) and a passed exercise with its
// solution open, in both themes, in a wide
// window, a half-screen one and a phone. It fails on any serious or critical
// violation, on a page wider than its window, and when the exercise's Check
// button is out of reach. It logs every violation, of any impact, for the
// record; WORKBOOK_SCREENSHOTS=DIR keeps a picture of each.
func TestAccessibility(t *testing.T) {
	ctx := browser(t)
	axeSrc, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("%v (site/editor's npm run build copies axe-core there)", err)
	}
	ts := newTestServer(t, replayCheck)
	tb := &tab{t: t, ctx: ctx}
	tb.do("open the site", chromedp.Navigate(ts.URL+"/?token="+testToken))

	pages := []struct {
		name, path string
		ready      string // a condition the page meets once drawn
		prepare    func(tb *tab)
	}{
		{name: "home", path: "/", ready: `document.querySelector(".topics")`},
		{name: "lesson", path: "/lesson/escape", ready: `document.querySelector(".program")`},
		{name: "exercise", path: "/exercise/escape-make-measure",
			ready: `window.workbookEditor && document.querySelector(".cm-content")`,
			prepare: func(tb *tab) {
				tb.js(`document.querySelector("#check").click(); "clicked"`)
				tb.waitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
				tb.js(`document.querySelector("#hint").click(); "clicked"`)
				tb.waitJS("a hint shows", `document.querySelector("#hints li")`)
			}},
		// An exercise that has passed, with its solution open.
		{name: "solution", path: "/exercise/escape-request-id",
			ready: `window.workbookEditor && document.querySelector(".cm-content")`,
			prepare: func(tb *tab) {
				tb.js(`document.querySelector("#check").click(); "clicked"`)
				tb.waitJS("the pass shows", `document.querySelector("#verdict.pass")`)
				tb.js(`document.querySelector("#show-solution").click(); "clicked"`)
				tb.waitJS("the diff shows", `document.querySelector("#solution:not([hidden]) table.diff")`)
			}},
	}
	passed, _ := ts.cat.Lookup("escape-request-id")
	if err := ts.ws.Update(func(p *workspace.Progress) error {
		st := p.Status(passed.Name)
		st.Done, st.PassedAt = true, time.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sizes := []struct {
		width, height int64
		phone         bool
	}{{1400, 900, false}, {720, 900, false}, {390, 844, true}}

	for _, pg := range pages {
		for _, theme := range []string{"light", "dark"} {
			for _, size := range sizes {
				name := fmt.Sprintf("%s/%s/%d", pg.name, theme, size.width)
				t.Run(name, func(t *testing.T) {
					tb := &tab{t: t, ctx: ctx}
					var opts []chromedp.EmulateViewportOption
					if size.phone {
						opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
					}
					tb.do("size the window", chromedp.EmulateViewport(size.width, size.height, opts...))
					tb.js(`localStorage.setItem("theme", "` + theme + `"); "set"`)
					tb.do("open "+pg.path, chromedp.Navigate(ts.URL+pg.path))
					tb.waitJS("the page is drawn", pg.ready)
					if pg.prepare != nil {
						pg.prepare(tb)
					}
					if got := tb.js(`document.documentElement.dataset.theme`); got != theme {
						t.Fatalf("the page's theme is %q, want %q", got, theme)
					}

					var bad []string
					for _, v := range tb.axeRun(string(axeSrc)) {
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

					var of struct {
						Over     int
						Culprits []string
					}
					if err := json.Unmarshal([]byte(tb.js(overflowJS)), &of); err != nil {
						t.Fatal(err)
					}
					if of.Over > 0 {
						t.Errorf("the page is %d px wider than the %d px window: %s", of.Over, size.width, strings.Join(of.Culprits, ", "))
					}
					if pg.name == "exercise" || pg.name == "solution" {
						// Check must be on the page, not cut off on the right.
						if right := tb.js(`String(Math.round(document.querySelector("#check").getBoundingClientRect().right))`); atoi(right) > int(size.width) {
							t.Errorf("the Check button ends at %s px, outside the %d px window", right, size.width)
						}
					}
					tb.screenshot(strings.ReplaceAll(name, "/", "-"))
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
	ctx := browser(t)
	ts := newTestServer(t, replayCheck)
	ex, _ := ts.cat.Lookup("escape-make-measure")
	file := ex.EditableNames()[0]
	path := filepath.Join(ts.ws.Dir(ex.Name), file)
	shipped := string(ex.Start[file])
	tb := &tab{t: t, ctx: ctx}
	tb.do("open the exercise", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name+"?token="+testToken))
	tb.waitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)

	// focused names the element that has the focus.
	focused := func() string {
		return tb.js(`(() => { const a = document.activeElement; if (!a) return "";
			if (a.classList.contains("cm-content")) return "editor";
			return a.id || a.tagName.toLowerCase() + (a.className ? "." + a.className : ""); })()`)
	}

	// From the top of the page, Tab reaches Check, passing the editor.
	tb.js(`document.activeElement.blur(); window.scrollTo(0, 0); "blurred"`)
	var path2 []string
	reached := false
	for range 60 {
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
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
	if got := tb.js(`workbookEditor.getValue()`); got != shipped {
		t.Errorf("tabbing through the editor changed its text:\n%s", got)
	}
	if data, _ := os.ReadFile(path); string(data) != shipped {
		t.Errorf("tabbing through the editor changed %s on disk", file)
	}

	// Editing: Tab indents.
	tb.js(`workbookEditor.focus(); "focused"`)
	tb.do("go to the end", chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	tb.do("type", chromedp.KeyEvent("\n"))
	tb.do("indent", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "editor" {
		t.Fatalf("after typing, Tab moved the focus to %s; it must indent", f)
	}
	tb.do("type", chromedp.KeyEvent("// indented"))
	if got := tb.js(`workbookEditor.getValue()`); !strings.HasSuffix(got, "\n\t// indented") {
		t.Errorf("after typing, Tab did not indent: the file ends %q", got[max(0, len(got)-40):])
	}
	// Esc then Tab leaves the editor, without a tab in the text.
	before := tb.js(`workbookEditor.getValue()`)
	tb.do("Escape", chromedp.KeyEvent(kb.Escape))
	tb.do("Tab", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f == "editor" {
		t.Errorf("Escape then Tab left the focus in the editor")
	}
	if got := tb.js(`workbookEditor.getValue()`); got != before {
		t.Errorf("Escape then Tab changed the text: it ends %q", got[max(0, len(got)-40):])
	}
	waitFor(t, "the edit is saved", func() bool {
		data, _ := os.ReadFile(path)
		return strings.HasSuffix(string(data), "\n\t// indented")
	})
}

// TestNoPageOverflow opens every page of the site in a phone's width and
// fails on any that is wider than the window: a long line of a task, a
// table or a path in one exercise is enough to cut a page.
func TestNoPageOverflow(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, replayCheck)
	tb := &tab{t: t, ctx: ctx}
	tb.do("open the site", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(ts.URL+"/?token="+testToken))
	paths := []string{"/"}
	for _, l := range ts.site.cfg.Lessons {
		paths = append(paths, "/lesson/"+l.Topic)
	}
	for _, ex := range ts.cat.List {
		paths = append(paths, "/exercise/"+ex.Name)
	}
	for _, p := range paths {
		tb.do("open "+p, chromedp.Navigate(ts.URL+p))
		tb.waitJS("the page is drawn", `document.readyState === "complete" && (!document.querySelector("#editor") || document.querySelector(".cm-content"))`)
		var of struct {
			Over     int
			Culprits []string
		}
		if err := json.Unmarshal([]byte(tb.js(overflowJS)), &of); err != nil {
			t.Fatal(err)
		}
		if of.Over > 0 {
			t.Errorf("%s is %d px wider than a 390 px phone: %s", p, of.Over, strings.Join(of.Culprits, ", "))
		}
	}
}
