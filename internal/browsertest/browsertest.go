// Package browsertest drives a real headless Chromium for the workbook's
// browser tests (the site's, its accessibility tests', the room's), so that
// each finds the browser, bounds its patience and reads pages the same way.
//
// Without a Chromium the tests fail when WORKBOOK_BROWSER_TESTS is set (CI
// sets it, after installing Debian's chromium) and are skipped, saying why,
// everywhere else.
package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// Chromium returns the path of a headless-capable Chromium, or ends the
// test: a failure when WORKBOOK_BROWSER_TESTS is set, a skip otherwise.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("WORKBOOK_BROWSER_TESTS") != "" {
		t.Fatal("WORKBOOK_BROWSER_TESTS is set, and no Chromium is installed: install it (apt-get install -y chromium)")
	}
	t.Skip("skipping the browser tests: no Chromium found (install Debian's chromium to run them; CI does)")
	return ""
}

// New starts a headless Chromium for the test, with a 1400×1000 window, and
// returns the context of its first tab. Its patience is five minutes, or
// the test's own deadline (go test -timeout) when that is later: a busy
// machine may need it. The browser ends with the test.
func New(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	deadline := time.Now().Add(5 * time.Minute)
	if d, ok := t.Deadline(); ok && d.Add(-30*time.Second).After(deadline) {
		deadline = d.Add(-30 * time.Second) // fail with a message before the test binary panics
	}
	ctx, cancelTimeout := context.WithDeadline(ctx, deadline)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	return ctx
}

// WaitFor polls cond until it holds, or fails the test after three minutes
// (a cold build cache compiles first).
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Tab is a browser tab a test drives.
type Tab struct {
	T   testing.TB
	Ctx context.Context
}

// JS evaluates a JavaScript expression whose value is a string.
func (tb *Tab) JS(expr string) string {
	tb.T.Helper()
	s, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		tb.T.Fatalf("%s: %v", expr, err)
	}
	return s
}

// WaitJS waits until the expression is true in the page. (It polls instead
// of using chromedp's element queries, which lose track of the elements the
// editor creates.)
func (tb *Tab) WaitJS(what, cond string) {
	tb.T.Helper()
	deadline := time.Now().Add(3 * time.Minute) // a cold build cache compiles first
	for {
		ok, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.T.Fatalf("timed out waiting until %s (%s): %v", what, cond, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Do runs chromedp actions.
func (tb *Tab) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.T.Helper()
	if err := chromedp.Do(tb.Ctx, steps...); err != nil {
		tb.T.Fatalf("%s: %v", what, err)
	}
}

// Screenshot keeps a picture of the window in $WORKBOOK_SCREENSHOTS, when
// set, for people to look at.
func (tb *Tab) Screenshot(name string) {
	tb.T.Helper()
	if dir := os.Getenv("WORKBOOK_SCREENSHOTS"); dir != "" {
		buf, err := chromedp.Run(tb.Ctx, chromedp.CaptureScreenshot())
		if err != nil {
			tb.T.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o666)
	}
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

// Overflow returns how many pixels the page is wider than its window, and
// the outermost elements that stick out on the right (at most five).
func (tb *Tab) Overflow() (over int, culprits []string) {
	tb.T.Helper()
	var of struct {
		Over     int
		Culprits []string
	}
	if err := json.Unmarshal([]byte(tb.JS(overflowJS)), &of); err != nil {
		tb.T.Fatal(err)
	}
	return of.Over, of.Culprits
}

// ReplayCheck returns a check that stands in for the runner with the events
// of a real check of the exercise, recorded in DIR/check-NAME.jsonl with
//
//	workbook check NAME --json > site/testdata/check-NAME.jsonl
//
// in a fresh workspace: browser tests need a check's real events, quickly
// and the same every time.
func ReplayCheck(dir string) func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
	return func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
		file := filepath.Join(dir, "check-"+ex.Name+".jsonl")
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
}
