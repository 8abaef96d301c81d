package site

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/internal/browsertest"
	"github.com/go-blindspots/workbook/internal/golden"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
)

// The teaching instruments in the browser: a race drawn as two goroutines
// (static/instruments.js, on the exercise page and in lessons), escapes
// explained under their lines, and the lessons' playground
// (static/playground.js).

// describeTimelineJS renders timelines with instruments.js into a box of the
// given width and describes each as text, the way a test can compare it:
// the summary, each lane and each step with the grid cell it is drawn in,
// links as [→file:line] and places that are not links as (file:line).
const describeTimelineJS = `(tls, width) => {
	const host = document.createElement("div");
	host.style.width = width + "px";
	document.body.append(host);
	const text = (n) => {
		if (n.nodeType === Node.TEXT_NODE) return n.textContent;
		if (n.getAttribute("aria-hidden") === "true") return "";
		if (n.matches("a.loc")) return "[→" + n.dataset.file + ":" + n.dataset.line + "]";
		if (n.matches("span.loc")) return "(" + n.textContent + ")";
		if (n.matches("ul.tl-calls")) return "";
		return [...n.childNodes].map(text).join("");
	};
	const out = tls.map((tl) => {
		const fig = WorkbookInstruments.timeline(tl, {canGo: (f) => !/check_test\.go$/.test(f), goTo: () => {}});
		host.append(fig);
		const lines = ["summary: " + WorkbookInstruments.summary(tl)];
		for (const li of fig.querySelectorAll(".tl-lanes > li")) {
			lines.push("lane [col " + getComputedStyle(li).gridColumnStart + "] " + text(li));
		}
		for (const li of fig.querySelectorAll(".tl-steps > li")) {
			const cs = getComputedStyle(li);
			lines.push("step [row " + cs.gridRowStart + ", col " + cs.gridColumnStart + "] " + text(li));
			for (const c of li.querySelectorAll(".tl-calls > li")) lines.push("    " + text(c));
		}
		lines.push("wider than its box: " + (fig.scrollWidth > fig.clientWidth + 1));
		return lines.join("\n");
	});
	host.remove();
	return out.join("\n\n") + "\n";
}`

// TestTimelineGolden draws the timeline of every race of every race
// exercise's captured report (the diagnostics package's golden timelines,
// testdata/golden/races/*.json there) in the page, two lanes side by side
// in a wide box and one column in a phone's, and compares what is drawn
// with testdata/timeline/NAME.txt (go test ./site -run TestTimelineGolden
// -update rewrites them).
func TestTimelineGolden(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, browsertest.ReplayCheck("testdata"))
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open a page", chromedp.Navigate(ts.URL+"/exercise/races-request-counter?token="+testToken))
	tb.WaitJS("instruments.js is loaded", `typeof WorkbookInstruments === "object"`)
	files, err := filepath.Glob("../diagnostics/testdata/golden/races/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden timelines in ../diagnostics/testdata/golden/races: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var tls []*diagnostics.Timeline
			if err := json.Unmarshal(data, &tls); err != nil {
				t.Fatal(err)
			}
			tb := &browsertest.Tab{T: t, Ctx: ctx}
			wide := tb.JS(`(` + describeTimelineJS + `)(` + string(data) + `, 900)`)
			narrow := tb.JS(`(` + describeTimelineJS + `)(` + string(data) + `, 340)`)
			got := "-- 900 px --\n" + wide + "-- 340 px --\n" + narrow
			golden.Check(t, filepath.Join("testdata", "timeline", name+".txt"), got)
			if strings.Contains(got, "wider than its box: true") {
				t.Errorf("a timeline is wider than its box:\n%s", got)
			}
			if n := strings.Count(wide, "\nlane [col "); n != 2*len(tls) {
				t.Errorf("%d lanes drawn for %d timelines, want two each", n, len(tls))
			}
			if strings.Contains(narrow, ", col 2]") {
				t.Errorf("in a 340 px box a step is still in a second column:\n%s", narrow)
			}
		})
	}
}

// TestTimelineFuzz draws random timelines, with text meant to break out
// (markup, long words, missing fields), and checks that they are drawn as
// text, never markup, with every place a link only to a real line.
func TestTimelineFuzz(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, browsertest.ReplayCheck("testdata"))
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open a page", chromedp.Navigate(ts.URL+"/exercise/races-request-counter?token="+testToken))
	tb.WaitJS("instruments.js is loaded", `typeof WorkbookInstruments === "object"`)
	r := rand.New(rand.NewPCG(1, 18))
	words := []string{"", "router.go", "<img src=x onerror=alert(1)>", "</li><script>alert(1)</script>", "(*Router).Handle.func1",
		"a_very_long_function_name_without_any_break_in_it_at_all_to_wrap.func3.2", "`code`", "main.go", "check_test.go", "&amp;", "\u202e"}
	word := func() string { return words[r.IntN(len(words))] }
	var tls []any
	for range 300 {
		tl := map[string]any{}
		if r.IntN(8) > 0 {
			var lanes []any
			for range r.IntN(4) {
				lanes = append(lanes, map[string]any{"goroutine": word(), "name": word() + " " + word(), "finished": r.IntN(2) == 0})
			}
			tl["lanes"] = lanes
		}
		var steps []any
		for range r.IntN(6) {
			step := map[string]any{"lane": r.IntN(4) - 1, "kind": []string{"start", "access", word()}[r.IntN(3)], "op": word(), "write": r.IntN(2) == 0,
				"file": word(), "line": r.IntN(200) - 20, "func": word()}
			var calls []any
			for range r.IntN(4) {
				calls = append(calls, map[string]any{"file": word(), "line": r.IntN(100), "func": word()})
			}
			step["calls"] = calls
			steps = append(steps, step)
		}
		tl["steps"] = steps
		if r.IntN(20) == 0 {
			tls = append(tls, nil)
		} else {
			tls = append(tls, tl)
		}
	}
	data, _ := json.Marshal(tls)
	got := tb.JS(`((tls) => {
		const errs = [];
		const allowed = new Set(["FIGURE", "OL", "UL", "LI", "SPAN", "B", "CODE", "A", "FIGCAPTION"]);
		for (const [i, tl] of tls.entries()) {
			let fig;
			try { fig = WorkbookInstruments.timeline(tl, {canGo: (f) => f === "router.go" || f === "main.go", goTo: () => {}}); WorkbookInstruments.summary(tl); }
			catch (e) { errs.push(i + ": " + e); continue; }
			for (const n of [fig, ...fig.querySelectorAll("*")]) {
				if (!allowed.has(n.tagName)) errs.push(i + ": a <" + n.tagName + "> element");
				for (const a of n.attributes) if (a.name.startsWith("on")) errs.push(i + ": an attribute " + a.name);
			}
			for (const a of fig.querySelectorAll("a")) {
				if (!(Number(a.dataset.line) > 0) || !["router.go", "main.go"].includes(a.dataset.file)) errs.push(i + ": a link to " + a.dataset.file + ":" + a.dataset.line);
			}
			if (fig.querySelectorAll(".tl-lanes > li").length > 2) errs.push(i + ": more than two lanes");
		}
		return JSON.stringify(errs.slice(0, 20));
	})(` + string(data) + `)`)
	var errs []string
	if err := json.Unmarshal([]byte(got), &errs); err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("timeline %s", e)
	}
}

// TestRaceTimelineInExercise checks races-request-counter (a recorded
// check of the shipped code, testdata/check-races-request-counter.jsonl):
// each race finding has its timeline, the first one open, with both lanes
// (the two goroutines, named) and the accesses on the learner's lines; a
// place is a link that opens its file at its line, with the mouse or the
// keyboard; and the drawing is two columns wide on a desktop and one on a
// phone, inside the window.
func TestRaceTimelineInExercise(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, browsertest.ReplayCheck("testdata"))
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the exercise", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(ts.URL+"/exercise/races-request-counter?token="+testToken))
	tb.WaitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)
	tb.JS(`document.querySelector("#check").click(); "clicked"`)
	tb.WaitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
	tb.WaitJS("the first timeline is drawn", `document.querySelector("#failures").dataset.timelineDrawnAt`)

	if n := tb.JS(`String(document.querySelectorAll("#failures > li details.timeline-box").length)`); n != "4" {
		t.Fatalf("%s timelines under the failures, want one for each of the 4 races", n)
	}
	if open := tb.JS(`[...document.querySelectorAll("details.timeline-box")].map((d) => d.open).join(" ")`); open != "true false false false" {
		t.Errorf("timelines open: %s, want the first only", open)
	}
	// What a screen reader reads: the lane's letter is for the eye.
	lanes := tb.JS(`[...document.querySelectorAll("details.timeline-box")[0].querySelectorAll(".tl-lanes > li")].map((l) =>
		[...l.childNodes].filter((n) => !(n.nodeType === 1 && n.getAttribute("aria-hidden") === "true")).map((n) => n.textContent).join("")).join("\n")`)
	if want := "Goroutine A: goroutine running the func literal in TestRouteStatsDuringTraffic, started by sync.(*WaitGroup).Go — goroutine 11, finished\n" +
		"Goroutine B: goroutine running the func literal in TestRouteStatsDuringTraffic, started by sync.(*WaitGroup).Go — goroutine 12"; lanes != want {
		t.Errorf("the first timeline's lanes read\n%s\nwant\n%s", lanes, want)
	}
	steps := tb.JS(`[...document.querySelectorAll("details.timeline-box")[1].querySelectorAll(".tl-steps > li")].map((l) =>
		l.className + " | " + [...l.querySelectorAll(":scope > a.loc")].map((a) => a.textContent).join(",")).join("\n")`)
	if want := "tl-step lane-0 access write | router.go:44\ntl-step lane-1 access | router.go:59"; steps != want {
		t.Errorf("the second race's steps:\n%s\nwant\n%s", steps, want)
	}

	// Two lanes side by side: B's step starts right of A's.
	var cols struct{ ARight, BLeft, Window float64 }
	measure := func() {
		t.Helper()
		if err := json.Unmarshal([]byte(tb.JS(`(() => {
			const box = document.querySelectorAll("details.timeline-box")[0];
			const a = box.querySelector(".tl-step.lane-0").getBoundingClientRect(), b = box.querySelector(".tl-step.lane-1").getBoundingClientRect();
			return JSON.stringify({aRight: a.right, bLeft: b.left, window: document.documentElement.clientWidth});
		})()`)), &cols); err != nil {
			t.Fatal(err)
		}
	}
	measure()
	if cols.BLeft < cols.ARight {
		t.Errorf("at 1400 px, lane B's step starts at %.0f px, left of lane A's end (%.0f px): the lanes must be side by side", cols.BLeft, cols.ARight)
	}
	tb.JS(`document.querySelector("details.timeline-box").scrollIntoView(); "scrolled"`)
	tb.Screenshot("timeline")

	// A place opens its file at its line: router_test.go, line 58, in the
	// first timeline's calls; then, by the keyboard, router.go:59.
	cursor := func() string {
		return tb.JS(`(() => { const v = workbookEditor.view; return document.querySelector('.tab[aria-selected="true"]').dataset.file + ":" + v.state.doc.lineAt(v.state.selection.main.head).number; })()`)
	}
	tb.JS(`document.querySelectorAll("details.timeline-box")[0].querySelector('.tl-calls a.loc[data-file="router_test.go"]').click(); "clicked"`)
	if got := cursor(); got != "router_test.go:58" {
		t.Errorf("after clicking router_test.go:58 in the timeline, the editor is at %s", got)
	}
	tb.JS(`(() => { const d = document.querySelectorAll("details.timeline-box")[1]; d.open = true; d.querySelector('.tl-step.lane-1 > a.loc').focus(); return "focused"; })()`)
	tb.Do("press Enter", pressEnter())
	if got := cursor(); got != "router.go:59" {
		t.Errorf("after Enter on router.go:59 in the timeline, the editor is at %s", got)
	}
	if hidden := tb.JS(`String(document.querySelectorAll("#failures span.loc").length)`); hidden == "0" {
		t.Errorf("the check's own stress_check_test.go is not among the page's files, and yet no place in it is drawn as plain text")
	}

	// A phone: one column, nothing outside the window.
	tb.Do("narrow the window", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	tb.WaitJS("the layout follows", `document.documentElement.clientWidth <= 390`)
	measure()
	if cols.BLeft >= cols.ARight {
		t.Errorf("at 390 px, lane B's step (from %.0f px) is beside lane A's (to %.0f px): on a phone they must stack", cols.BLeft, cols.ARight)
	}
	if over, culprits := tb.Overflow(); over > 0 {
		t.Errorf("with the timelines drawn the page is %d px wider than a phone: %s", over, strings.Join(culprits, ", "))
	}
	tb.JS(`document.querySelectorAll("details.timeline-box")[1].scrollIntoView(); "scrolled"`)
	tb.Screenshot("timeline-phone")
	t.Logf("timeline drawn %s ms after the page was loaded; the verdict arrived at %s ms",
		tb.JS(`document.querySelector("#failures").dataset.timelineDrawnAt`), tb.JS(`document.querySelector("#verdict").dataset.receivedAt`))
}

// TestEscapeNotes checks escape-make-measure as shipped (a recorded
// check): each value that escapes is explained in a note under its own
// line of the editor, the sentence that says why.
func TestEscapeNotes(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, browsertest.ReplayCheck("testdata"))
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the exercise", chromedp.Navigate(ts.URL+"/exercise/escape-make-measure?token="+testToken))
	tb.WaitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)
	tb.JS(`document.querySelector("#check").click(); "clicked"`)
	tb.WaitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
	tb.WaitJS("the notes show", `document.querySelector(".cm-note")`)
	// Each note with the number of the line it sits under: the lines
	// (.cm-line) before it in the editor's content.
	got := tb.JS(`[...document.querySelectorAll(".cm-content .cm-note")].map((n) => {
		let line = 0;
		for (let e = n.previousElementSibling; e; e = e.previousElementSibling) if (e.classList.contains("cm-line")) line++;
		return line + " (" + n.dataset.line + ", " + n.getAttribute("aria-label") + "): " + n.textContent;
	}).join("\n")`)
	want := "15 (15, Why it escapes, line 15): \"shard: a router needs at least one shard\" escapes to the heap because it is stored in the interface passed to panic (line 15).\n" +
		"17 (17, Why it escapes, line 17): &Router{...} escapes to the heap because it is returned by NewRouter (line 17) to a caller it cannot see."
	if got != want {
		t.Errorf("the notes under the lines:\n%s\nwant\n%s", got, want)
	}
	if code := tb.JS(`document.querySelector(".cm-note code")?.textContent || ""`); code != `"shard: a router needs at least one shard"` {
		t.Errorf("the note's first code span is %q: its Markdown must be rendered", code)
	}
	tb.Screenshot("escape-notes")
	// Editing makes them stale: they go, with the findings' marks.
	tb.JS(`workbookEditor.view.dispatch({changes: {from: 0, insert: "// edited\n"}}); "edited"`)
	tb.WaitJS("the notes go", `!document.querySelector(".cm-note")`)
}

// TestPlayground works a lesson's programs in a real browser with real
// runs: a program is edited in place and run (its output is not compared
// with the lesson's), restored with one click and run again (and compared);
// "Why does it escape?" explains each escaping value under its line; and
// the -race tool draws the race of a racy program as two goroutines whose
// places lead into the block's editor.
func TestPlayground(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, nil)
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the lesson", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(ts.URL+"/lesson/escape?token="+testToken))
	block := `document.querySelector('.program[data-program="0"]')`
	tb.WaitJS("the playground is set up", block+`.querySelector(".program-bar button.edit")`)
	prog := programOf(t, ts, "escape", 0)

	// Edit in place.
	tb.JS(block + `.querySelector("button.edit").click(); "clicked"`)
	tb.WaitJS("the editor replaces the code", block+`.editor && `+block+`.querySelector(".cm-content")`)
	if got := tb.JS(block + `.editor.getValue()`); got != prog.Source {
		t.Fatalf("the editor shows %q, want the lesson's program", got)
	}
	if focused := tb.JS(`document.activeElement.classList.contains("cm-content") ? "editor" : document.activeElement.tagName`); focused != "editor" {
		t.Errorf("after Edit the focus is on %s, want the editor", focused)
	}
	edited := strings.Replace(prog.Source, `"SKU-9"`, `"SKU-42"`, 1)
	src, _ := json.Marshal(edited)
	tb.JS(`(() => { const v = ` + block + `.editor.view; v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: ` + string(src) + `}}); return "typed"; })()`)
	if hidden := tb.JS(`String(` + block + `.querySelector("button.restore").hidden)`); hidden != "false" {
		t.Errorf("after an edit the Restore button is hidden")
	}
	before := workspaceFiles(t, ts)
	tb.JS(block + `.querySelector("button.run").click(); "clicked"`)
	tb.WaitJS("the edited program ran", block+`.querySelector(".run-output").dataset.ran`)
	out := tb.JS(block + `.querySelector(".run-output").innerText`)
	if ran := tb.JS(block + `.querySelector(".run-output").dataset.ran`); ran != "true" || !strings.Contains(out, "SKU-42 x1") || !strings.Contains(out, "not compared with the lesson") {
		t.Errorf("the edited program's run (data-ran=%s) shows:\n%s\nwant its own output, SKU-42 x1, not compared with the lesson's", ran, out)
	}
	if after := workspaceFiles(t, ts); !slices.Equal(before, after) {
		t.Errorf("running an edited lesson program changed the workspace:\nbefore %q\nafter %q", before, after)
	}

	// Restore, then Run: the lesson's program, compared.
	tb.JS(block + `.querySelector("button.restore").click(); "clicked"`)
	if got := tb.JS(block + `.editor.getValue()`); got != prog.Source {
		t.Errorf("after Restore the editor shows %q, want the lesson's program", got)
	}
	tb.JS(block + `.querySelector("button.run").click(); "clicked"`)
	tb.WaitJS("the lesson's program ran", block+`.querySelector(".run-output").dataset.pass`)
	if pass := tb.JS(block + `.querySelector(".run-output").dataset.pass`); pass != "true" {
		t.Errorf("the restored program did not print what the lesson says (data-pass=%s):\n%s", pass, tb.JS(block+`.querySelector(".run-output").innerText`))
	}

	// Why does it escape? One sentence per value, under its line.
	tb.JS(block + `.querySelector("button.why").click(); "clicked"`)
	tb.WaitJS("the explanation shows", block+`.querySelector(".run-output").dataset.why`)
	notes := tb.JS(`[...` + block + `.querySelectorAll(".cm-content .cm-note")].map((n) => {
		let line = 0;
		for (let e = n.previousElementSibling; e; e = e.previousElementSibling) if (e.classList.contains("cm-line")) line++;
		return line + ": " + n.textContent;
	}).join("\n")`)
	for _, want := range []string{
		"21: o moves to the heap because its address is returned by newOrder (line 22) to a caller it cannot see.",
		"27: b moves to the heap because ",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes under the lines have no %q:\n%s", want, notes)
		}
	}
	list := tb.JS(block + `.querySelector(".why-list").innerText`)
	if !strings.Contains(list, "line 21") || !strings.Contains(list, "o moves to the heap") {
		t.Errorf("the list of sentences reads:\n%s", list)
	}
	tb.JS(block + `.querySelector(".cm-note").scrollIntoView({block: "start"}); "scrolled"`)
	tb.Screenshot("playground-why")

	// The -race tool on a racy program: its race drawn, its places in the block.
	tb.Do("open the races lesson", chromedp.Navigate(ts.URL+"/lesson/races"))
	racy := `document.querySelector('.program[data-program="3"]')`
	tb.WaitJS("the playground is set up", racy+`.querySelector(".program-bar .tools")`)
	tb.JS(racy + `.querySelector('.tools input[value="race"]').click(); ` + racy + `.querySelector("button.run").click(); "clicked"`)
	tb.WaitJS("the program ran", racy+`.querySelector(".run-output").dataset.ran`)
	tb.WaitJS("the race is drawn", racy+`.querySelector(".run-output details.timeline-box[open] .tl-steps")`)
	if n := tb.JS(`String(` + racy + `.querySelectorAll(".run-output details.timeline-box[open] .tl-lanes > li").length)`); n != "2" {
		t.Errorf("the race's timeline has %s lanes, want 2", n)
	}
	link := tb.JS(`(() => { const a = ` + racy + `.querySelector(".run-output .tl-step.access > a.loc"); a.click(); return a.dataset.line; })()`)
	tb.WaitJS("the block opens in the editor", racy+`.editor`)
	if got := tb.JS(`(() => { const v = ` + racy + `.editor.view; return String(v.state.doc.lineAt(v.state.selection.main.head).number); })()`); got != link || link == "" {
		t.Errorf("after clicking main.go:%s in the timeline, the block's editor is at line %s", link, got)
	}
	tb.JS(racy + `.querySelector(".run-output details.timeline-box").scrollIntoView({block: "start"}); "scrolled"`)
	tb.Screenshot("playground-race")
}

// pressEnter presses Enter as a keyboard does: one key-down that types "\r"
// unless the page handles the key, then the key-up. (chromedp's KeyEvent
// sends the typed character as an event of its own, which then types a new
// line into the editor that following the link has focused.)
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		key := input.DispatchKeyEventParams{Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
		down, up := key, key
		down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, "\r", "\r"
		up.Type = input.DispatchKeyEventTypeKeyUp
		for _, k := range []input.DispatchKeyEventParams{down, up} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// programOf returns program i of a lesson.
func programOf(t *testing.T, ts *testServer, topic string, i int) *lessons.Program {
	t.Helper()
	_, p, err := ts.site.program(topic, i)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// workspaceFiles lists every file of the workspace with its size and time.
func workspaceFiles(t *testing.T, ts *testServer) []string {
	t.Helper()
	var list []string
	root := filepath.Dir(ts.ws.Dir("races-request-counter"))
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			list = append(list, fmt.Sprintf("%s %d %d", p, info.Size(), info.ModTime().UnixNano()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestLessonRunMessages checks the run message's new fields over the
// websocket, with real runs: an edited program runs without touching the
// workspace and compares nothing; why explains; and what cannot be run is
// refused with one sentence: a program too large, an unknown tool, a file
// name that would leave the work directory.
func TestLessonRunMessages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real programs; skipped with -short")
	}
	ts := newTestServer(t, nil)
	c := ts.dial(t)
	run := func(msg map[string]any) []runner.Event {
		t.Helper()
		if err := c.WriteJSON(msg); err != nil {
			t.Fatal(err)
		}
		var events []runner.Event
		for {
			e := readEvent(t, c)
			events = append(events, e)
			if e.Type == runner.TypeVerdict || e.Type == runner.TypeError {
				return events
			}
		}
	}
	before := workspaceFiles(t, ts)
	src := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"edited in the page\") }\n"
	events := run(map[string]any{"type": "run", "lesson": "escape", "program": 0, "source": src, "tools": []string{"allocs"}})
	var out strings.Builder
	for _, e := range events {
		out.WriteString(e.Text)
	}
	if v := events[len(events)-1]; v.Type != runner.TypeVerdict || v.Pass == nil || !*v.Pass || !strings.Contains(out.String(), "edited in the page\n") || !strings.Contains(out.String(), "allocations: main made ") {
		t.Errorf("the edited program's run: %+v\n%s", v, out.String())
	}
	if after := workspaceFiles(t, ts); !slices.Equal(before, after) {
		t.Errorf("a run of an edited program changed the workspace")
	}
	events = run(map[string]any{"type": "run", "lesson": "escape", "program": 0, "why": true})
	var whys int
	for _, e := range events {
		if e.Type == runner.TypeDiagnostic && e.Why != "" {
			whys++
		}
	}
	if whys == 0 {
		t.Errorf("why: no diagnostic says why its value escapes")
	}
	for _, tt := range []struct {
		msg  map[string]any
		want string
	}{
		{map[string]any{"type": "run", "lesson": "escape", "program": 0, "source": strings.Repeat("/", maxProgramSize+1)}, "at most 64 KiB"},
		{map[string]any{"type": "run", "lesson": "escape", "program": 0, "tools": []string{"goroutines"}}, `no tool "goroutines"`},
		{map[string]any{"type": "run", "lesson": "races", "program": 2, "source": "-- ../../escaped.go --\npackage main\n"}, "plain relative path"},
	} {
		e := run(tt.msg)[0]
		if e.Type != runner.TypeError || !strings.Contains(e.Message, tt.want) {
			t.Errorf("%v: got %+v, want an error saying %q", tt.msg["source"] != nil, e, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(ts.workRoot, "..", "escaped.go")); err == nil {
		t.Errorf("a file was written outside the work directory")
	}
}
