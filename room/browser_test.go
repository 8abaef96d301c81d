package room_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/roomclient"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/site"
	"github.com/go-blindspots/workbook/workspace"
)

// chromium finds a headless-capable Chromium, as the site's browser tests
// do: without one, the test fails when WORKBOOK_BROWSER_TESTS is set (CI)
// and is skipped, saying why, everywhere else.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("WORKBOOK_BROWSER_TESTS") != "" {
		t.Fatal("WORKBOOK_BROWSER_TESTS is set, and no Chromium is installed: install it (apt-get install -y chromium)")
	}
	t.Skip("skipping the browser test: no Chromium found (install Debian's chromium to run it; CI does)")
	return ""
}

// TestDashboardInBrowser: the dashboard in a real browser updates live as
// learners push, shows a name with HTML in it as text, and shows a raised
// hand's code read-only with its findings marked, until it is marked
// answered.
func TestDashboardInBrowser(t *testing.T) {
	path := chromium(t)
	f := newRoomFixture(t, site.EditorBundle())
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()

	js := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	// waitJS waits until the expression holds in the page; the test's
	// context is the bound.
	waitJS := func(what, cond string) {
		t.Helper()
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
			if err == nil && ok {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("timed out waiting until %s (%s): %v", what, cond, err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	screenshot := func(name string) {
		if dir := os.Getenv("WORKBOOK_SCREENSHOTS"); dir != "" {
			buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err == nil {
				_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o666)
			}
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(f.dash.URL+"/?token="+token)); err != nil {
		t.Fatal(err)
	}
	waitJS("the websocket is up", `document.querySelector("#live").dataset.up === "true"`)
	if strings.Contains(js(`location.href`), token) {
		t.Error("the token stayed in the address bar")
	}
	js(`window.sameDocument = "yes"; ""`)

	// A learner whose name is HTML joins and fails a check.
	const evil = `<img src=x onerror="window.pwned=1">Eve`
	ws, err := workspace.Create(filepath.Join(t.TempDir(), "ws"), f.cat)
	if err != nil {
		t.Fatal(err)
	}
	c := roomclient.ForWorkspace(ws)
	ws.Reporter = c
	t.Cleanup(func() { c.Close(0) })
	if _, err := c.Join(testContext(t), f.url(), code, evil, nil); err != nil {
		t.Fatal(err)
	}
	const ex = "races-config-flag"
	row := `document.querySelector('#grid-body tr[data-learner]')`
	cell := row + `?.querySelector('td[data-exercise="` + ex + `"]')`
	c.Report(workspace.Activity{Kind: workspace.ActivityOpened, Exercise: ex})
	waitJS("the learner's row shows the exercise started", cell+`?.dataset.status === "started"`)
	c.Report(workspace.Activity{Kind: workspace.ActivityCheckStarted, Exercise: ex})
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: ex,
		Result: runner.Result{Message: "Readers must never see a half-applied config"},
		Findings: []runner.Event{{Type: runner.TypeDiagnostic, File: "config.go", Line: 3,
			Diagnostic: &diagnostics.Diagnostic{Kind: diagnostics.Race, Message: "data race on the config"}}},
		Output: "$ go test -race .\nWARNING: DATA RACE\n"})
	waitJS("the cell turns failing with one check", cell+`?.dataset.status === "failing" && `+cell+`.textContent === "1"`)
	waitJS("the exercise's most common failure shows", `document.querySelector('#exercises tr[data-exercise="`+ex+`"] .phase')?.textContent === "1 of 1 is failing: Readers must never see a half-applied config"`)
	if got := js(row + `.querySelector(".name").textContent`); got != evil {
		t.Errorf("the name shows as %q, want the text %q", got, evil)
	}
	if js(`String(document.querySelectorAll("#room img").length) + String(window.pwned)`) != "0undefined" {
		t.Error("the learner's name became HTML")
	}
	screenshot("room-failing")

	// A raised hand: the code, read-only, with the finding marked.
	exx, _ := f.cat.Lookup(ex)
	if err := c.RaiseHand(testContext(t), ws, exx); err != nil {
		t.Fatal(err)
	}
	waitJS("the hand is listed", `document.querySelector("#hands li[data-hand] button")`)
	if js(`document.querySelector("#t-hands").textContent`) != "1" {
		t.Error("the totals do not count the hand")
	}
	js(`document.querySelector("#hands li[data-hand] button").click(); ""`)
	waitJS("the hand's code shows", `window.handEditor && document.querySelector("#hand-editor .cm-content")`)
	files, _ := ws.ReadFiles(exx, exx.EditableNames())
	if got := js(`handEditor.getValue()`); got != string(files["config.go"]) {
		t.Errorf("the editor shows %d bytes, want config.go (%d bytes)", len(got), len(files["config.go"]))
	}
	if js(`String(handEditor.view.state.readOnly)`) != "true" {
		t.Error("the hand's code is editable")
	}
	waitJS("the finding is marked on its line", `document.querySelector("#hand-editor .cm-lintRange-error, #hand-editor .cm-lint-marker-error")`)
	if out := js(`document.querySelector("#hand-output").textContent`); !strings.Contains(out, "WARNING: DATA RACE") {
		t.Errorf("the check's output: %q", out)
	}
	screenshot("room-hand")
	js(`document.querySelector("#answer").click(); ""`)
	waitJS("the hand shows answered", `document.querySelector("#hands li.answered") && document.querySelector("#t-hands").textContent === "0"`)
	if h := f.srv.Snapshot().Hands; len(h) != 1 || !h[0].Answered {
		t.Errorf("the room's hands after answering: %+v", h)
	}

	// A pass, live.
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: ex, Result: runner.Result{Pass: true}})
	waitJS("the cell turns passed", cell+`?.dataset.status === "passed" && `+cell+`.textContent === "2"`)
	if js(`window.sameDocument`) != "yes" {
		t.Error("the page reloaded: the updates must come live")
	}
	screenshot("room-passed")
}
