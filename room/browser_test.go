package room_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/internal/browsertest"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/roomclient"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/site"
	"github.com/go-blindspots/workbook/workspace"
)

// TestDashboardInBrowser: in a real browser, a learner joins from the
// site's Join box and the lead's dashboard, in another tab, updates live as
// the learner works; a name with HTML in it shows as text; the learner's
// Raise hand shows on the dashboard with their code read-only and its
// findings marked, until the lead marks it answered.
func TestDashboardInBrowser(t *testing.T) {
	path := browsertest.Chromium(t)
	f := newRoomFixture(t, site.EditorBundle())
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancelTimeout := context.WithTimeout(bctx, 3*time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(bctx); err != nil { // the browser starts with the first tab
		t.Fatal(err)
	}
	lead, cancelLead := chromedp.NewContext(bctx)
	defer cancelLead()
	learnerTab, cancelLearner := chromedp.NewContext(bctx)
	defer cancelLearner()

	js := func(ctx context.Context, expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	// waitJS waits until the expression holds in the tab; the test's
	// context is the bound.
	waitJS := func(ctx context.Context, what, cond string) {
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
	navigate := func(ctx context.Context, url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
	}
	screenshot := func(ctx context.Context, name string) {
		if dir := os.Getenv("WORKBOOK_SCREENSHOTS"); dir != "" {
			buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err == nil {
				_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o666)
			}
		}
	}

	// The learner's workbook: a site over a real workspace whose Reporter is
	// its room client, as `workbook serve` sets it up.
	ws, err := workspace.Create(filepath.Join(t.TempDir(), "ws"), f.cat)
	if err != nil {
		t.Fatal(err)
	}
	c := roomclient.ForWorkspace(ws)
	ws.Reporter = c
	t.Cleanup(func() { c.Close(0) })
	lessonList, err := lessons.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	const siteToken = "fedcba9876543210fedcba9876543210"
	learnerSite, err := site.New(site.Config{Catalog: f.cat, Lessons: lessonList, Workspace: ws, Token: siteToken, Room: c})
	if err != nil {
		t.Fatal(err)
	}
	defer learnerSite.Close()
	siteSrv := httptest.NewServer(learnerSite)
	defer siteSrv.Close()

	// The lead opens the dashboard.
	navigate(lead, f.dash.URL+"/?token="+token)
	waitJS(lead, "the websocket is up", `document.querySelector("#live").dataset.up === "true"`)
	if strings.Contains(js(lead, `location.href`), token) {
		t.Error("the token stayed in the address bar")
	}
	js(lead, `window.sameDocument = "yes"; ""`)

	// The learner, whose name is HTML, pastes the join line in the Join box.
	const evil = `<img src=x onerror="window.pwned=1">Eve`
	navigate(learnerTab, siteSrv.URL+"/?token="+siteToken)
	waitJS(learnerTab, "the Join box shows", `document.querySelector("#room-join")`)
	line, _ := json.Marshal("workbook join " + f.url() + " " + code)
	name, _ := json.Marshal(evil)
	js(learnerTab, `(() => { const f = document.querySelector("#room-join"); f.url.value = `+string(line)+`; f.name.value = `+string(name)+`;
		f.requestSubmit(); return "" })()`)
	waitJS(learnerTab, "the learner joined", `document.querySelector("#room-status").textContent.startsWith("Joined")`)
	row := `document.querySelector('#grid-body tr[data-learner]')`
	waitJS(lead, "the learner's row shows", row)

	// The learner opens an exercise and fails a check: live on the dashboard.
	const ex = "races-config-flag"
	cell := row + `?.querySelector('td[data-exercise="` + ex + `"]')`
	navigate(learnerTab, siteSrv.URL+"/exercise/"+ex)
	waitJS(lead, "the exercise shows started", cell+`?.dataset.status === "started"`)
	c.Report(workspace.Activity{Kind: workspace.ActivityCheckStarted, Exercise: ex})
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: ex,
		Result:      runner.Result{Message: "Readers must never see a half-applied config"},
		Predictions: []workspace.Settled{{ID: "races", Answer: "no", Measured: "yes"}},
		Findings: []runner.Event{{Type: runner.TypeDiagnostic, File: "config.go", Line: 3,
			Diagnostic: &diagnostics.Diagnostic{Kind: diagnostics.Race, Message: "data race on the config"}}},
		Output: "$ go test -race .\nWARNING: DATA RACE\n"})
	waitJS(lead, "the cell turns failing with one check", cell+`?.dataset.status === "failing" && `+cell+`.textContent === "1"`)
	waitJS(lead, "the exercise's most common failure shows", `document.querySelector('#exercises tr[data-exercise="`+ex+`"] .phase')?.textContent === "1 of 1 is failing: Readers must never see a half-applied config"`)
	waitJS(lead, "what the room predicted shows", `document.querySelector('#exercises tr[data-exercise="`+ex+`"] .prediction[data-question="races"]')?.textContent === "1 of 1 predicted no; the race detector says yes. 0 of 1 were right."`)
	if got := js(lead, row+`.querySelector(".name").textContent`); got != evil {
		t.Errorf("the name shows as %q, want the text %q", got, evil)
	}
	if js(lead, `String(document.querySelectorAll("#room img").length) + String(window.pwned)`) != "0undefined" {
		t.Error("the learner's name became HTML")
	}
	screenshot(lead, "room-failing")

	// The learner raises a hand from the exercise page.
	waitJS(learnerTab, "the Raise hand button shows", `!document.querySelector("#raise-hand").hidden`)
	js(learnerTab, `document.querySelector("#raise-hand").click(); ""`)
	waitJS(learnerTab, "the page says the hand is up", `document.querySelector("#saved").textContent.startsWith("Hand raised")`)

	// The lead sees it, with the code read-only and the finding marked.
	waitJS(lead, "the hand is listed", `document.querySelector("#hands li[data-hand] button")`)
	if js(lead, `document.querySelector("#t-hands").textContent`) != "1" {
		t.Error("the totals do not count the hand")
	}
	js(lead, `document.querySelector("#hands li[data-hand] button").click(); ""`)
	waitJS(lead, "the hand's code shows", `window.handEditor && document.querySelector("#hand-editor .cm-content")`)
	exx, _ := f.cat.Lookup(ex)
	files, _ := ws.ReadFiles(exx, exx.EditableNames())
	if got := js(lead, `handEditor.getValue()`); got != string(files["config.go"]) {
		t.Errorf("the editor shows %d bytes, want config.go (%d bytes)", len(got), len(files["config.go"]))
	}
	if js(lead, `String(handEditor.view.state.readOnly)`) != "true" {
		t.Error("the hand's code is editable")
	}
	waitJS(lead, "the finding is marked on its line", `document.querySelector("#hand-editor .cm-lintRange-error, #hand-editor .cm-lint-marker-error")`)
	if out := js(lead, `document.querySelector("#hand-output").textContent`); !strings.Contains(out, "WARNING: DATA RACE") {
		t.Errorf("the check's output: %q", out)
	}
	screenshot(lead, "room-hand")
	js(lead, `document.querySelector("#answer").click(); ""`)
	waitJS(lead, "the hand shows answered", `document.querySelector("#hands li.answered") && document.querySelector("#t-hands").textContent === "0"`)
	if h := f.srv.Snapshot().Hands; len(h) != 1 || !h[0].Answered {
		t.Errorf("the room's hands after answering: %+v", h)
	}

	// A pass, live.
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: ex, Result: runner.Result{Pass: true}})
	waitJS(lead, "the cell turns passed", cell+`?.dataset.status === "passed" && `+cell+`.textContent === "2"`)
	if js(lead, `window.sameDocument`) != "yes" {
		t.Error("the dashboard reloaded: the updates must come live")
	}
	screenshot(lead, "room-passed")

	// The summary holds learners' names: its link carries the token (the
	// page cookie opens only the dashboard), and it opens.
	navigate(lead, js(lead, `document.querySelector('a[href^="/summary"]').href`))
	waitJS(lead, "the summary opens", `document.querySelector("h1")?.textContent === "Workshop summary"`)
}
