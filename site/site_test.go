package site

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/internal/browsertest"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
	"github.com/gorilla/websocket"
)

const testToken = "0123456789abcdef0123456789abcdef"

// testServer is a site on an httptest server, over a fresh workspace.
type testServer struct {
	*httptest.Server
	site     *Server
	ws       *workspace.Workspace
	cat      *exercises.Catalog
	workRoot string // where real checks run
}

// newTestServer serves a fresh workspace; check stands in for the runner
// unless it is nil, in which case checks run for real.
func newTestServer(t *testing.T, check func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error)) *testServer {
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
	cfg := Config{Catalog: cat, Lessons: list, Workspace: ws, Token: testToken, Check: check}
	workRoot := t.TempDir()
	if check == nil {
		r, err := runner.New(context.Background())
		if err != nil {
			t.Fatalf("cannot run checks here: %v", err)
		}
		r.WorkRoot = workRoot
		cfg.Runner = r
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return &testServer{Server: ts, site: s, ws: ws, cat: cat, workRoot: workRoot}
}

// request sends a request as a page of the site would, with the changes made
// by edit.
func (ts *testServer) request(t *testing.T, method, path, body string, edit func(*http.Request)) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(TokenHeader, testToken)
	req.Header.Set("Origin", ts.URL)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if edit != nil {
		edit(req)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func noToken(r *http.Request) {
	r.Header.Del(TokenHeader)
	r.Header.Del("Cookie")
}

// cookieOnly sends the page cookie (as a browser would, to any port of the
// host) and no token.
func (ts *testServer) cookieOnly(r *http.Request) {
	noToken(r)
	u, _ := url.Parse(ts.URL)
	r.AddCookie(&http.Cookie{Name: "workbook_page_" + u.Port(), Value: ts.site.keys.PageKey})
}

func TestGuard(t *testing.T) {
	ts := newTestServer(t, nil)
	save := `{"exercise":"races-request-counter","files":{"router.go":"package gateway\n"}}`
	tests := []struct {
		name         string
		method, path string
		body         string
		edit         func(*http.Request)
		want         int
		wantText     string
	}{
		{"home", "GET", "/", "", nil, 200, "races-request-counter"},
		{"lesson", "GET", "/lesson/init", "", nil, 200, "Package initialization"},
		{"exercise", "GET", "/exercise/races-request-counter", "", nil, 200, "router.go"},
		{"unknown exercise", "GET", "/exercise/races-request-countr", "", nil, 404, "did you mean"},
		{"static files need no token", "GET", "/static/app.js", "", noToken, 200, "workbench"},
		{"page without token", "GET", "/", "", noToken, 403, "Open the link"},
		{"page with a wrong token", "GET", "/", "", func(r *http.Request) {
			noToken(r)
			r.URL.RawQuery = "token=nope"
		}, 403, "Open the link"},
		{"token in the URL sets the cookie", "GET", "/exercise/init-flag-parse?token=" + testToken, "", noToken, 303, ""},
		{"the cookie alone opens a page", "GET", "/exercise/init-flag-parse", "", ts.cookieOnly, 200, "flag"},
		{"the cookie alone reads no files", "GET", "/api/files?exercise=races-request-counter", "", ts.cookieOnly, 403, "token"},
		{"the cookie alone saves nothing", "POST", "/api/save", save, ts.cookieOnly, 403, "token"},
		{"the cookie alone opens no websocket", "GET", "/ws", "", ts.cookieOnly, 403, "token"},
		{"the token as the cookie's value is not the token", "GET", "/api/files?exercise=races-request-counter", "", func(r *http.Request) {
			noToken(r)
			u, _ := url.Parse(ts.URL)
			r.AddCookie(&http.Cookie{Name: "workbook_page_" + u.Port(), Value: testToken})
		}, 403, "token"},
		{"a loopback IP the server does not listen on", "GET", "/", "", func(r *http.Request) { r.Host = strings.Replace(r.Host, "127.0.0.1", "127.0.0.2", 1) }, 421, ""},
		{"favicon", "GET", "/favicon.ico", "", noToken, 200, "<svg"},
		{"foreign Host (DNS rebinding)", "GET", "/", "", func(r *http.Request) { r.Host = "evil.example:80" }, 421, "answers only to the address it printed"},
		{"foreign Host on the API", "POST", "/api/save", save, func(r *http.Request) { r.Host = "attacker.test" }, 421, ""},
		{"localhost is a loopback name", "GET", "/", "", func(r *http.Request) { r.Host = strings.Replace(r.Host, "127.0.0.1", "localhost", 1) }, 200, ""},
		{"save without token", "POST", "/api/save", save, noToken, 403, "token"},
		{"save from another origin", "POST", "/api/save", save, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, 403, "other sites"},
		{"save as a form post", "POST", "/api/save", save, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 415, "JSON"},
		{"save with path traversal", "POST", "/api/save", `{"exercise":"races-request-counter","files":{"../../../escape.go":"package x\n"}}`, nil, 400, "not one of the files"},
		{"save a test file", "POST", "/api/save", `{"exercise":"races-request-counter","files":{"router_test.go":"package gateway\n"}}`, nil, 400, "not one of the files"},
		{"save a new file", "POST", "/api/save", `{"exercise":"races-request-counter","files":{"extra.go":"package gateway\n"}}`, nil, 400, "not one of the files"},
		{"save to an unknown exercise", "POST", "/api/save", `{"exercise":"../../etc","files":{}}`, nil, 404, "there is no exercise"},
		{"oversized body", "POST", "/api/save", `{"exercise":"races-request-counter","files":{"router.go":"` + strings.Repeat("a", maxRequestSize) + `"}}`, nil, 400, "larger than"},
		{"oversized file", "POST", "/api/save", `{"exercise":"races-request-counter","files":{"router.go":"` + strings.Repeat("a", maxFileSize+1) + `"}}`, nil, 400, "larger than 256 KiB"},
		{"solution before passing", "GET", "/api/solution?exercise=races-request-counter", "", nil, 403, "once your check passes"},
		{"solution without token", "GET", "/api/solution?exercise=races-request-counter", "", noToken, 403, "token"},
		{"websocket from another origin", "GET", "/ws", "", func(r *http.Request) {
			r.Header.Set("Origin", "http://evil.example")
			r.Header.Set("Connection", "Upgrade")
			r.Header.Set("Upgrade", "websocket")
		}, 403, "other sites"},
		{"websocket without origin", "GET", "/ws", "", func(r *http.Request) { r.Header.Del("Origin") }, 403, "other sites"},
		{"websocket without token", "GET", "/ws", "", noToken, 403, "token"},
	}
	before, err := ts.ws.Files("races-request-counter")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.request(t, tt.method, tt.path, tt.body, tt.edit)
			var b strings.Builder
			_, _ = fmt.Fprint(&b, readAll(t, resp))
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d; body:\n%.300s", resp.StatusCode, tt.want, b.String())
			}
			if !strings.Contains(b.String(), tt.wantText) {
				t.Errorf("body does not say %q:\n%.300s", tt.wantText, b.String())
			}
		})
	}
	after, err := ts.ws.Files("races-request-counter")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || string(after["router.go"]) != string(before["router.go"]) {
		t.Errorf("a refused request changed the exercise's files: %d files before, %d after", len(before), len(after))
	}
	if _, err := os.Stat(filepath.Join(ts.ws.Root, "..", "escape.go")); err == nil {
		t.Error("a save escaped the exercise directory")
	}
}

// TestRemote checks a server bound to another address on purpose: any Host
// name, and still nothing without the token.
func TestRemote(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.site.cfg.Remote = true
	host := func(r *http.Request) { r.Host = strings.Replace(r.Host, "127.0.0.1", "workshop-laptop.lan", 1) }
	if resp := ts.request(t, "GET", "/", "", host); resp.StatusCode != 200 {
		t.Errorf("remote server, other Host, with token: status %d, want 200", resp.StatusCode)
	}
	if resp := ts.request(t, "GET", "/", "", func(r *http.Request) { host(r); noToken(r) }); resp.StatusCode != 403 {
		t.Errorf("remote server without token: status %d, want 403", resp.StatusCode)
	}
}

// TestTokenCookie: the printed URL's token moves into the fragment, where
// only the page's script sees it, and the cookie it sets is not the token.
func TestTokenCookie(t *testing.T) {
	ts := newTestServer(t, nil)
	resp := ts.request(t, "GET", "/exercise/init-flag-parse?token="+testToken+"&x=1", "", noToken)
	if loc := resp.Header.Get("Location"); loc != "/exercise/init-flag-parse?x=1#token="+testToken {
		t.Errorf("redirected to %q, want the same page with the token in the fragment", loc)
	}
	var c *http.Cookie
	for _, ck := range resp.Cookies() {
		c = ck
	}
	if c == nil || c.Value == testToken || c.Value != ts.site.keys.PageKey || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v, want the page key (not the token), HttpOnly, SameSite=Strict", c)
	}
	if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q: the token could leak in a Referer", got)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func TestSaveBacksUpWhatChangedOnDisk(t *testing.T) {
	ts := newTestServer(t, nil)
	path := filepath.Join(ts.ws.Dir("races-request-counter"), "router.go")
	loaded, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Another editor saves while the page still has the old text.
	if err := os.WriteFile(path, []byte("package gateway // from vim\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(saveRequest{
		Exercise: "races-request-counter",
		Files:    map[string]string{"router.go": "package gateway // from the page\n"},
		Base:     map[string]string{"router.go": workspace.Hash(loaded)},
	})
	resp := ts.request(t, "POST", "/api/save", string(body), nil)
	var res workspace.SaveResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
		t.Fatalf("save: %d %v", resp.StatusCode, err)
	}
	if got, _ := os.ReadFile(path); string(got) != "package gateway // from the page\n" {
		t.Errorf("file has %q after the save", got)
	}
	if res.Backup == "" {
		t.Fatal("no backup of the version changed on disk")
	}
	if got, _ := os.ReadFile(filepath.Join(res.Backup, "router.go")); string(got) != "package gateway // from vim\n" {
		t.Errorf("backup has %q, want the version vim saved", got)
	}
}

func TestFormatHintSolution(t *testing.T) {
	ts := newTestServer(t, nil)
	resp := ts.request(t, "POST", "/api/format", `{"source":"package x\nfunc  f( ) {\nreturn}\n"}`, nil)
	var f map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&f)
	if f["source"] != "package x\n\nfunc f() {\n\treturn\n}\n" {
		t.Errorf("format gave %q", f["source"])
	}
	if resp := ts.request(t, "POST", "/api/format", `{"source":"package x\nfunc {"}`, nil); resp.StatusCode != 422 {
		t.Errorf("format of broken code: status %d, want 422", resp.StatusCode)
	}
	ex, _ := ts.cat.Lookup("races-request-counter")
	for i := 1; i <= len(ex.Hints)+1; i++ {
		resp := ts.request(t, "POST", "/api/hint", `{"exercise":"races-request-counter"}`, nil)
		var h struct{ Hints, HTML []string }
		_ = json.NewDecoder(resp.Body).Decode(&h)
		if want := min(i, len(ex.Hints)); len(h.Hints) != want || len(h.HTML) != want {
			t.Errorf("hint request %d shows %d hints (%d in HTML), want %d", i, len(h.Hints), len(h.HTML), want)
		}
		// Hints are Markdown: the page shows them rendered.
		if i == 1 && (!strings.Contains(h.HTML[0], "<code>go test -race</code>") || strings.Contains(h.HTML[0], "`")) {
			t.Errorf("the first hint's HTML does not render its code spans: %s", h.HTML[0])
		}
	}
	page := readAll(t, ts.request(t, "GET", "/exercise/races-request-counter", "", nil))
	if !strings.Contains(page, "<li><p>Run <code>go test -race</code>") {
		t.Errorf("the exercise page does not show the hints shown so far, rendered")
	}
	if err := ts.ws.Update(func(p *workspace.Progress) error {
		st := p.Status(ex.Name)
		st.Done, st.PassedAt = true, time.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A reset after the pass does not lock the solution again.
	if _, err := ts.ws.Reset(ex); err != nil {
		t.Fatal(err)
	}
	resp = ts.request(t, "GET", "/api/solution?exercise=races-request-counter", "", nil)
	var sol struct {
		Files []struct {
			Name, Text string
			Diff       []struct{ Kind, Text string }
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&sol)
	if resp.StatusCode != 200 || len(sol.Files) != 1 || sol.Files[0].Text != string(ex.Solution["router.go"]) {
		t.Fatalf("solution after passing and a reset: status %d, files %+v", resp.StatusCode, sol.Files)
	}
	added := 0
	for _, op := range sol.Files[0].Diff {
		if op.Kind == "+" {
			added++
		}
	}
	if added == 0 {
		t.Errorf("the solution's diff against the shipped code adds no line")
	}
}

func TestReset(t *testing.T) {
	ts := newTestServer(t, nil)
	dir := ts.ws.Dir("races-request-counter")
	if err := os.WriteFile(filepath.Join(dir, "router.go"), []byte("package gateway // my fix\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	resp := ts.request(t, "POST", "/api/reset", `{"exercise":"races-request-counter"}`, nil)
	var res struct{ Backup string }
	_ = json.NewDecoder(resp.Body).Decode(&res)
	ex, _ := ts.cat.Lookup("races-request-counter")
	if got, _ := os.ReadFile(filepath.Join(dir, "router.go")); string(got) != string(ex.Start["router.go"]) {
		t.Error("reset did not restore the shipped code")
	}
	if got, _ := os.ReadFile(filepath.Join(res.Backup, "router.go")); string(got) != "package gateway // my fix\n" {
		t.Errorf("the backup has %q, want the learner's code", got)
	}
}

// dial opens the site's websocket as a page would.
func (ts *testServer) dial(t *testing.T) *websocket.Conn {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	h := http.Header{"Origin": {ts.URL}}
	c, _, err := websocket.DefaultDialer.Dial("ws://"+u.Host+"/ws?token="+testToken, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readEvent(t *testing.T, c *websocket.Conn) runner.Event {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Minute))
	var e runner.Event
	if err := c.ReadJSON(&e); err != nil {
		t.Fatalf("read event: %v", err)
	}
	return e
}

// TestEventsStreamAsTheyHappen checks that each event reaches the page when it
// is emitted, not when the check ends.
func TestEventsStreamAsTheyHappen(t *testing.T) {
	release := make(chan struct{})
	ts := newTestServer(t, func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
		sink.Emit(runner.Event{Type: runner.TypeStart, Exercise: ex.Name})
		sink.Emit(runner.Event{Type: runner.TypeStep, Step: 1, Cmd: "go test -race ."})
		sink.Emit(runner.Event{Type: runner.TypeOutput, Step: 1, Stream: runner.Stdout, Text: "=== RUN TestX\n"})
		<-release
		pass := true
		sink.Emit(runner.Event{Type: runner.TypeVerdict, Exercise: ex.Name, Pass: &pass})
		return runner.Result{Pass: true}, nil
	})
	c := ts.dial(t)
	if err := c.WriteJSON(map[string]any{"type": "check", "exercise": "races-request-counter"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"start", "step", "output"} {
		if e := readEvent(t, c); e.Type != want {
			t.Fatalf("got %s event, want %s", e.Type, want)
		}
	}
	close(release)
	if e := readEvent(t, c); e.Type != "verdict" || e.Pass == nil || !*e.Pass {
		t.Fatalf("got %+v, want a passing verdict", e)
	}
	// Bad messages get an error event and leave the connection usable.
	for _, msg := range []string{`{"type":"check","exercise":"no-such"}`, `not json`, `{"type":"launch"}`, `{"type":"run","lesson":"init","program":9999}`} {
		_ = c.WriteMessage(websocket.TextMessage, []byte(msg))
		if e := readEvent(t, c); e.Type != runner.TypeError || e.Message == "" {
			t.Errorf("%s: got %+v, want an error event", msg, e)
		}
	}
}

// TestClosedTabStopsItsRun checks that closing the page cancels its check.
func TestClosedTabStopsItsRun(t *testing.T) {
	canceled := make(chan struct{})
	started := make(chan struct{})
	ts := newTestServer(t, func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
		close(started)
		<-ctx.Done()
		close(canceled)
		return runner.Result{Reason: runner.ReasonCanceled}, nil
	})
	c := ts.dial(t)
	if err := c.WriteJSON(map[string]any{"type": "check", "exercise": "leaks-first-response"}); err != nil {
		t.Fatal(err)
	}
	<-started
	c.Close()
	select {
	case <-canceled:
	case <-time.After(10 * time.Second):
		t.Fatal("the check goes on after its page closed")
	}
}

// hangGo blocks a program at start-up, after writing its pid to the file
// named pid in the nearest parent directory that has one.
const hangGo = `package main

import (
	"os"
	"path/filepath"
	"strconv"
	"time"
)

func init() {
	dir, _ := os.Getwd()
	for ; dir != "/"; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "pid")); err == nil {
			os.WriteFile(filepath.Join(dir, "pid"), []byte(strconv.Itoa(os.Getpid())), 0o666)
			break
		}
	}
	time.Sleep(time.Hour)
}
`

// TestClosedTabKillsTheProgram closes the page while a real check runs a
// program that hangs: the program must be gone soon after.
func TestClosedTabKillsTheProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real check; skipped with -short")
	}
	ts := newTestServer(t, nil)
	pidFile := filepath.Join(ts.workRoot, "pid")
	if err := os.WriteFile(pidFile, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ts.ws.Dir("init-config-order"), "hang.go"), []byte(hangGo), 0o666); err != nil {
		t.Fatal(err)
	}
	c := ts.dial(t)
	if err := c.WriteJSON(map[string]any{"type": "check", "exercise": "init-config-order"}); err != nil {
		t.Fatal(err)
	}
	var pid int
	browsertest.WaitFor(t, "the program runs", func() bool {
		data, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(data))
		return pid > 0
	})
	c.Close()
	browsertest.WaitFor(t, "the program is gone", func() bool {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		return err != nil || strings.Contains(string(status), "zombie")
	})
}

// TestRealCheckOverWebsocket runs real checks through the websocket: the
// shipped code fails with located findings, the solution (sent with the
// check, as the page does) passes and is recorded.
func TestRealCheckOverWebsocket(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real checks; skipped with -short")
	}
	ts := newTestServer(t, nil)
	ex, _ := ts.cat.Lookup("races-request-counter")
	c := ts.dial(t)
	run := func(files map[string]string) []runner.Event {
		if err := c.WriteJSON(map[string]any{"type": "check", "exercise": ex.Name, "files": files}); err != nil {
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
	events := run(nil)
	last := events[len(events)-1]
	if last.Pass == nil || *last.Pass {
		t.Fatalf("the shipped code passed: %+v", last)
	}
	located := false
	for _, e := range events {
		if e.Type == runner.TypeFailure && e.File == "router.go" && e.Line > 0 {
			located = true
		}
	}
	if !located {
		t.Error("no failure located in router.go")
	}
	sol := map[string]string{}
	for name, data := range ex.Solution {
		sol[name] = string(data)
	}
	events = run(sol)
	if last := events[len(events)-1]; last.Pass == nil || !*last.Pass {
		t.Fatalf("the solution did not pass: %+v", last)
	}
	p, err := ts.ws.Progress()
	if err != nil || !p.Done(ex.Name) {
		t.Errorf("progress not recorded: %v", err)
	}
}

// TestLessonPages checks that every heading anchor exercises point at is on
// the rendered page, and that every Run button sits on the program it runs,
// nested blocks included.
func TestLessonPages(t *testing.T) {
	ts := newTestServer(t, nil)
	blockRE := regexp.MustCompile(`(?s)<div class="program" data-program="(\d+)">(.*?)<div class="run-output"`)
	tagRE := regexp.MustCompile(`<[^>]*>`)
	for _, l := range ts.site.cfg.Lessons {
		resp := ts.request(t, "GET", "/lesson/"+l.Topic, "", nil)
		page := readAll(t, resp)
		for _, h := range l.Headings {
			if !strings.Contains(page, `id="`+h.ID+`"`) {
				t.Errorf("%s: no anchor %q on the page", l.File, h.ID)
			}
		}
		blocks := blockRE.FindAllStringSubmatch(page, -1)
		if len(blocks) != len(l.Programs) {
			t.Errorf("%s: %d Run buttons, want %d", l.File, len(blocks), len(l.Programs))
		}
		for i, b := range blocks {
			id, _ := strconv.Atoi(b[1])
			if id != i || id >= len(l.Programs) {
				t.Errorf("%s: Run button %d runs program %s", l.File, i, b[1])
				continue
			}
			shown := html.UnescapeString(tagRE.ReplaceAllString(b[2], ""))
			if want := longestLine(l.Programs[id]); !strings.Contains(shown, want) {
				t.Errorf("%s: the Run button of program %d (line %d) sits on code without its line %q", l.File, id, l.Programs[id].Line, want)
			}
		}
		if len(l.Programs) > 0 && !strings.Contains(page, `class="hl-`) {
			t.Errorf("%s: code is not highlighted", l.File)
		}
	}
}

// longestLine is the longest line of a program's files: one that tells it
// from the lesson's other programs.
func longestLine(p *lessons.Program) string {
	var best string
	for name, data := range p.Files {
		if name == "go.mod" {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); len(line) > len(best) {
				best = line
			}
		}
	}
	return best
}
