package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/go-blindspots/workbook/internal/browsertest"
	"github.com/go-blindspots/workbook/workspace"
)

// atoi is strconv.Atoi for numbers the page prints; -1 if it is not one.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// TestBrowser works through an exercise in a real browser: edit, save, see an
// edit made on disk, check and watch the output stream in before the verdict,
// pass with the solution, see the progress on the home page, and run a lesson's
// program.
func TestBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, nil)
	ex, _ := ts.cat.Lookup("races-request-counter")
	path := filepath.Join(ts.ws.Dir(ex.Name), "router.go")

	tb := &browsertest.Tab{T: t, Ctx: ctx}
	js, waitJS, do, screenshot := tb.JS, tb.WaitJS, tb.Do, tb.Screenshot
	editorText := func() string { return js(`workbookEditor.getValue()`) }
	do("open the exercise", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name+"?token="+testToken))
	waitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)
	if got := editorText(); got != string(ex.Start["router.go"]) {
		t.Fatalf("the editor shows %d bytes, want router.go (%d bytes)", len(got), len(ex.Start["router.go"]))
	}

	// Typing in the editor saves to the workspace by itself.
	js(`workbookEditor.focus(); "focused"`)
	do("type", chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("// typed in the browser\n"))
	browsertest.WaitFor(t, "the typed line is saved", func() bool {
		data, _ := os.ReadFile(path)
		return strings.HasPrefix(string(data), "// typed in the browser\n")
	})

	// An edit made in another editor shows up in the page.
	onDisk := "// typed in the browser\n" + string(ex.Start["router.go"]) + "\n// saved by another editor\n"
	if err := os.WriteFile(path, []byte(onDisk), 0o666); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitFor(t, "the page shows the edit made on disk", func() bool { return editorText() == onDisk })

	// Check the buggy code: output streams in before the verdict.
	js(`
		window.seen = {};
		new MutationObserver(() => {
			if (!seen.output && document.querySelector("#output .out")) seen.output = performance.now();
			if (!seen.verdict && !document.querySelector("#verdict").hidden) seen.verdict = performance.now();
		}).observe(document.body, {subtree: true, childList: true, attributes: true});
		"watching"`)
	js(`document.querySelector("#check").click(); "clicked"`)
	waitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
	if pass := js(`document.querySelector("#verdict").dataset.pass`); pass != "false" {
		t.Fatalf("the shipped code passed (data-pass=%q)", pass)
	}
	var seen struct{ Output, Verdict float64 }
	if err := json.Unmarshal([]byte(js(`JSON.stringify(window.seen)`)), &seen); err != nil {
		t.Fatal(err)
	}
	if seen.Output == 0 || seen.Output >= seen.Verdict {
		t.Errorf("output appeared at %.0f ms and the verdict at %.0f ms: the output must stream in before the verdict", seen.Output, seen.Verdict)
	}
	if failures := js(`document.querySelector("#failures").innerText`); !strings.Contains(failures, "router.go:") {
		t.Errorf("the failures do not point into router.go:\n%s", failures)
	}
	if marks := js(`String(document.querySelectorAll(".cm-lintRange-error, .cm-lint-marker-error").length)`); marks == "0" {
		t.Error("no diagnostics are marked on the editor's lines")
	}

	screenshot("fail")
	js(`document.querySelector("#theme").click(); "dark"`)
	screenshot("fail-dark")
	js(`document.querySelector("#theme").click(); "light"`)

	// Paste the solution and check with Shift-Enter.
	sol, _ := json.Marshal(string(ex.Solution["router.go"]))
	js(`(() => { const v = workbookEditor.view; v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: ` + string(sol) + `}}); v.focus(); return "pasted" })()`)
	// A keydown event: chromedp's KeyEvent would also type the Enter.
	js(`workbookEditor.view.contentDOM.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", shiftKey: true, bubbles: true, cancelable: true})); "pressed"`)
	waitJS("the solution passes", `document.querySelector("#verdict.pass")`)
	waitJS("the solution button shows", `!document.querySelector("#show-solution").hidden`)
	t.Logf("from pressing Check to the first event in the page: %s ms", js(`document.querySelector("#output").dataset.firstEventMs`))
	if data, _ := os.ReadFile(path); string(data) != string(ex.Solution["router.go"]) {
		t.Errorf("the workspace has %d bytes after the check, the solution %d; the editor %d", len(data), len(ex.Solution["router.go"]), len(editorText()))
	}
	screenshot("pass")

	// The home page counts the pass.
	do("go home", chromedp.Navigate(ts.URL+"/"))
	waitJS("the exercise shows as done", `document.querySelector('li[data-exercise="races-request-counter"][data-status="done"]')`)
	if n := js(`document.querySelector('[data-testid="done-count"]').textContent`); n != "1" {
		t.Errorf("the home page says %q exercises pass, want 1", n)
	}

	// A lesson's diagram is drawn, offline, and its program runs from its page.
	do("open a lesson", chromedp.Navigate(ts.URL+"/lesson/init"))
	waitJS("the diagram is drawn", `document.querySelector("pre.mermaid svg")`)
	js(`document.querySelector("pre.mermaid").scrollIntoView(); "scrolled"`)
	screenshot("lesson")
	js(`document.querySelector('.program[data-program="0"] button.run').click(); "clicked"`)
	waitJS("the program ran", `document.querySelector('.program[data-program="0"] .run-output').dataset.pass`)
	if pass := js(`document.querySelector('.program[data-program="0"] .run-output').dataset.pass`); pass != "true" {
		t.Errorf("the lesson's first program did not print what the lesson says (data-pass=%q)", pass)
	}
}

// TestWorkbenchPage checks the exercise page around a check, in a wide
// window: the editor stays in view while the task scrolls; findings and
// hints show their Markdown rendered, not raw backticks; standard error is
// set apart by a gutter bar in the text's own color; findings fade once the
// code changes; and after a pass the solution opens as a diff against the
// learner's code, side by side or unified.
func TestWorkbenchPage(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, browsertest.ReplayCheck("testdata"))
	ex, _ := ts.cat.Lookup("escape-make-measure")
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the exercise", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(ts.URL+"/exercise/"+ex.Name+"?token="+testToken))
	tb.WaitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)

	// The task scrolls; the editor stays.
	tb.JS(`window.scrollTo(0, 700); "scrolled"`)
	tb.WaitJS("the page scrolled", `window.scrollY > 0`)
	if top := tb.JS(`String(Math.round(document.querySelector("#editor").getBoundingClientRect().top))`); atoi(top) < 0 || atoi(top) > 200 {
		t.Errorf("with the page scrolled by %s px, the editor's top is at %s px: it must stay in view", tb.JS(`String(scrollY)`), top)
	}
	tb.JS(`window.scrollTo(0, 0); "scrolled"`)

	tb.JS(`document.querySelector("#check").click(); "clicked"`)
	tb.WaitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
	for _, sel := range []string{"#verdict", "#failures"} {
		if text := tb.JS(`document.querySelector("` + sel + `").innerText`); strings.Contains(text, "`") {
			t.Errorf("%s shows raw Markdown: %s", sel, text)
		}
	}
	if tb.JS(`String(document.querySelectorAll("#failures code").length)`) == "0" {
		t.Errorf("the findings' code spans are not rendered as code")
	}
	if v := tb.JS(`document.querySelector("#verdict").innerText`); !strings.HasPrefix(v, "Not met yet: ") {
		t.Errorf("the verdict reads %q, want it to start with \"Not met yet: \"", v)
	}
	var out struct{ Stdout, Stderr, StderrBar string }
	if err := json.Unmarshal([]byte(tb.JS(`(() => {
		const s = getComputedStyle(document.querySelector("#output .out.stdout"));
		const e = getComputedStyle(document.querySelector("#output .out.stderr"));
		return JSON.stringify({stdout: s.color, stderr: e.color, stderrBar: e.borderLeftStyle + " " + e.borderLeftWidth});
	})()`)), &out); err != nil {
		t.Fatal(err)
	}
	if out.Stderr != out.Stdout || out.StderrBar != "solid 3px" {
		t.Errorf("stderr has color %s and left border %q; want stdout's color %s and a 3px bar", out.Stderr, out.StderrBar, out.Stdout)
	}

	// Editing makes the findings stale.
	tb.JS(`workbookEditor.view.dispatch({changes: {from: 0, insert: "// edited\n"}}); "edited"`)
	tb.WaitJS("the findings fade", `!document.querySelector("#stale").hidden && document.querySelector("#failures.stale")`)

	// A hint, rendered.
	tb.JS(`document.querySelector("#hint").click(); "clicked"`)
	tb.WaitJS("a hint shows", `document.querySelector("#hints li")`)
	if h := tb.JS(`document.querySelector("#hints li").innerHTML`); !strings.Contains(h, "<code>") || strings.Contains(h, "`") {
		t.Errorf("the hint is not rendered Markdown: %s", h)
	}

	// After a pass: the solution as a diff.
	if err := ts.ws.Update(func(p *workspace.Progress) error {
		st := p.Status(ex.Name)
		st.Done, st.PassedAt = true, time.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tb.Do("reload", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name))
	tb.WaitJS("the solution button shows", `window.workbookEditor && !document.querySelector("#show-solution").hidden`)
	tb.JS(`localStorage.removeItem("diff-mode"); document.querySelector("#show-solution").click(); "clicked"`)
	tb.WaitJS("the diff shows", `document.querySelector("#solution:not([hidden]) table.diff")`)
	if got := tb.JS(`document.querySelector("table.diff").className`); got != "diff split" {
		t.Errorf("in a 1400 px window the diff is %q, want side by side (diff split)", got)
	}
	for _, sel := range []string{"td.del", "td.add", "tr.fold"} {
		if tb.JS(`String(document.querySelectorAll("table.diff `+sel+`").length)`) == "0" {
			t.Errorf("the side-by-side diff has no %s", sel)
		}
	}
	// A removed line sits beside the line that replaces it.
	if row := tb.JS(`(() => {
		const tr = [...document.querySelectorAll("table.diff td.del")].map((td) => td.parentElement)
			.find((tr) => tr.innerText.includes("key := make([]byte, n)"));
		return tr ? tr.querySelector("td.add")?.innerText || "no line beside it" : "not found";
	})()`); !strings.Contains(row, "var key []byte") {
		t.Errorf("the shipped key := make([]byte, n) is removed beside %q, want the solution's var key []byte", row)
	}
	folded := atoi(tb.JS(`String(document.querySelectorAll("table.diff tbody tr").length)`))
	tb.JS(`document.querySelector("table.diff tr.fold button").click(); "unfolded"`)
	if n := atoi(tb.JS(`String(document.querySelectorAll("table.diff tbody tr").length)`)); n <= folded {
		t.Errorf("unfolding unchanged lines left %d rows (was %d)", n, folded)
	}
	tb.JS(`document.querySelector('.diff-mode [data-mode="unified"]').click(); "clicked"`)
	tb.WaitJS("the unified diff shows", `document.querySelector("table.diff.unified")`)
	if got := tb.JS(`document.querySelector('.diff-mode [aria-pressed="true"]').dataset.mode + " " + localStorage.getItem("diff-mode")`); got != "unified unified" {
		t.Errorf("after choosing Unified: pressed button and remembered mode are %q", got)
	}
}
