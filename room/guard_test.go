package room

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

const (
	testCode  = "KXTM-4QRA"
	testToken = "0123456789abcdef0123456789abcdef"
)

// testRoom is a room with its join side and its dashboard on httptest
// servers (both on 127.0.0.1).
type testRoom struct {
	*Server
	join, dash *httptest.Server
}

func newTestRoom(t *testing.T, edit func(*Config)) *testRoom {
	t.Helper()
	cfg := Config{Code: testCode, Token: testToken, Exercises: testExercises, Editor: []byte("// editor\n")}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr := &testRoom{Server: s, join: httptest.NewServer(s.Join()), dash: httptest.NewServer(s.Dashboard())}
	t.Cleanup(func() {
		s.Close()
		tr.join.Close()
		tr.dash.Close()
	})
	return tr
}

// postPush sends a push as a learner's workbook does, with the changes made
// by edit.
func (tr *testRoom) postPush(t *testing.T, body []byte, edit func(*http.Request)) (*http.Response, Ack) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, tr.join.URL+PushPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(CodeHeader, testCode)
	if edit != nil {
		edit(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ack Ack
	_ = json.NewDecoder(resp.Body).Decode(&ack)
	return resp, ack
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestJoinGuard(t *testing.T) {
	good := mustJSON(t, pushAt("learner01", "Ana", 0, ev(1, 0, EventOpen, "races-config-flag")))
	huge := mustJSON(t, pushAt("learner01", "Ana", 0, Event{ID: "bigevent1", Type: EventHand, Exercise: "races-config-flag",
		Hand: &Hand{Files: map[string]string{"a.go": strings.Repeat("x", MaxPushSize)}}}))
	tests := []struct {
		name   string
		body   []byte
		edit   func(*http.Request)
		status int
		msg    string
	}{
		{"the room code", good, nil, http.StatusOK, ""},
		{"the code as a person types it", good, func(r *http.Request) { r.Header.Set(CodeHeader, " kxtm4qra") }, http.StatusOK, ""},
		{"a wrong code", good, func(r *http.Request) { r.Header.Set(CodeHeader, "KXTM-4QRB") }, http.StatusForbidden, "Wrong room code"},
		{"no code", good, func(r *http.Request) { r.Header.Del(CodeHeader) }, http.StatusForbidden, "Wrong room code"},
		{"a browser page", good, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, http.StatusForbidden, "not from web pages"},
		{"not JSON", good, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, http.StatusUnsupportedMediaType, "Send JSON"},
		{"an oversized push", huge, nil, http.StatusRequestEntityTooLarge, "larger than"},
		{"malformed", []byte(`{"learner":`), nil, http.StatusBadRequest, "not valid JSON"},
		{"a bad learner id", mustJSON(t, pushAt("<script>", "Ana", 0)), nil, http.StatusBadRequest, "learner id"},
		{"a verdict without pass", mustJSON(t, pushAt("learner01", "Ana", 0, ev(2, 0, EventVerdict, "races-config-flag"))), nil, http.StatusBadRequest, "without pass"},
		{"code outside a hand", mustJSON(t, pushAt("learner01", "Ana", 0, Event{ID: "sneaky001", Type: EventVerdict, Exercise: "races-config-flag",
			Pass: new(bool), Hand: &Hand{Files: map[string]string{"a.go": "x"}}})), nil, http.StatusBadRequest, "only a hand carries code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTestRoom(t, nil)
			resp, ack := tr.postPush(t, tt.body, tt.edit)
			if resp.StatusCode != tt.status || !strings.Contains(ack.Error, tt.msg) {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, ack.Error, tt.status, tt.msg)
			}
			if resp.StatusCode != http.StatusOK && len(tr.Snapshot().Learners) != 0 {
				t.Errorf("a refused push reached the room")
			}
		})
	}
}

// TestJoinAnswersOnlyAcks: the join side serves nothing of the room.
func TestJoinAnswersOnlyAcks(t *testing.T) {
	tr := newTestRoom(t, nil)
	tr.postPush(t, mustJSON(t, pushAt("learner01", "Ana", 0, ev(1, 0, EventOpen, "races-config-flag"))), nil)
	for _, path := range []string{"/api/room", "/ws", "/summary", "/room.csv", "/static/room.js", "/?token=" + testToken} {
		resp, err := http.Get(tr.join.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "Ana") || path != "/?token="+testToken && resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s on the join address: %d %q", path, resp.StatusCode, body)
		}
	}
}

func TestJoinRateLimit(t *testing.T) {
	tr := newTestRoom(t, func(c *Config) { c.Rate, c.Burst = 0.001, 20 })
	wrong := func(r *http.Request) { r.Header.Set(CodeHeader, "WRONG-CODE") }
	body := mustJSON(t, pushAt("learner01", "Ana", 0))
	// A wrong code costs ten requests: the second one empties the bucket.
	for i, want := range []int{http.StatusForbidden, http.StatusForbidden, http.StatusTooManyRequests} {
		if resp, _ := tr.postPush(t, body, wrong); resp.StatusCode != want {
			t.Fatalf("wrong code #%d: status %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	resp, ack := tr.postPush(t, body, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after guessing, the right code from the same address: %d %q, want 429 with Retry-After", resp.StatusCode, ack.Error)
	}
}

func TestLimiterRefills(t *testing.T) {
	l := newLimiter(2, 4)
	now := t0
	for i := range 4 {
		if !l.allow("a", 1, now) {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.allow("a", 1, now) || !l.allow("b", 1, now) {
		t.Fatal("the fifth request at once was allowed, or another address was refused")
	}
	if !l.allow("a", 1, now.Add(500*time.Millisecond)) {
		t.Fatal("half a second later at 2 a second: refused")
	}
}

func TestDashboardGuard(t *testing.T) {
	tr := newTestRoom(t, nil)
	u, _ := url.Parse(tr.dash.URL)
	// The page cookie holds the page key; an old-style cookie holding the
	// token must open nothing but what the token opens outside cookies.
	cookie := &http.Cookie{Name: "workbook_room_" + u.Port(), Value: tr.keys.PageKey}
	tokenCookie := &http.Cookie{Name: "workbook_room_" + u.Port(), Value: testToken}
	tests := []struct {
		name, method, path, body string
		edit                     func(*http.Request)
		status                   int
	}{
		{"the state with ?token=", "GET", "/api/room?token=" + testToken, "", nil, http.StatusOK},
		{"the state with the page cookie", "GET", "/api/room", "", func(r *http.Request) { r.AddCookie(cookie) }, http.StatusForbidden},
		{"the state with the token in a cookie", "GET", "/api/room", "", func(r *http.Request) { r.AddCookie(tokenCookie) }, http.StatusForbidden},
		{"the summary with the page cookie", "GET", "/summary", "", func(r *http.Request) { r.AddCookie(cookie) }, http.StatusForbidden},
		{"the summary with ?token=", "GET", "/summary?token=" + testToken, "", nil, http.StatusOK},
		{"the export with the page cookie", "GET", "/room.json", "", func(r *http.Request) { r.AddCookie(cookie) }, http.StatusForbidden},
		{"the export with ?token=", "GET", "/room.json?token=" + testToken, "", nil, http.StatusOK},
		{"the state without the token", "GET", "/api/room", "", nil, http.StatusForbidden},
		{"the state with a wrong token", "GET", "/api/room?token=00000000000000000000000000000000", "", nil, http.StatusForbidden},
		{"the state from a foreign origin", "GET", "/api/room?token=" + testToken, "", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, http.StatusForbidden},
		{"a rebinding Host name", "GET", "/api/room?token=" + testToken, "", func(r *http.Request) { r.Host = "evil.example:" + u.Port() }, http.StatusMisdirectedRequest},
		{"the page without the token", "GET", "/", "", nil, http.StatusForbidden},
		{"the page with the page cookie", "GET", "/", "", func(r *http.Request) { r.AddCookie(cookie) }, http.StatusOK},
		{"the page with the token in a cookie", "GET", "/", "", func(r *http.Request) { r.AddCookie(tokenCookie) }, http.StatusForbidden},
		{"the printed URL sets the cookie and moves the token", "GET", "/?token=" + testToken, "", nil, http.StatusSeeOther},
		{"the summary without the token", "GET", "/summary", "", nil, http.StatusForbidden},
		{"the export without the token", "GET", "/room.csv", "", nil, http.StatusForbidden},
		{"answering with the token in the header", "POST", "/api/answer", `{"id":"nosuchhand"}`, func(r *http.Request) {
			r.Header.Set(TokenHeader, testToken)
			r.Header.Set("Origin", tr.dash.URL)
		}, http.StatusNotFound},
		{"answering with the cookie only", "POST", "/api/answer", `{"id":"nosuchhand"}`, func(r *http.Request) {
			r.AddCookie(cookie)
			r.Header.Set("Origin", tr.dash.URL)
		}, http.StatusForbidden},
		{"answering from a foreign origin", "POST", "/api/answer", `{"id":"nosuchhand"}`, func(r *http.Request) {
			r.Header.Set(TokenHeader, testToken)
			r.Header.Set("Origin", "http://evil.example")
		}, http.StatusForbidden},
		{"answering with a form", "POST", "/api/answer", `id=x`, func(r *http.Request) {
			r.Header.Set(TokenHeader, testToken)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}, http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tr.dash.URL+tt.path, strings.NewReader(tt.body))
			if tt.method == "POST" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tt.edit != nil {
				tt.edit(req)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				body, _ := io.ReadAll(resp.Body)
				t.Errorf("got %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if resp.StatusCode == http.StatusSeeOther {
				if loc := resp.Header.Get("Location"); loc != "/#token="+testToken {
					t.Errorf("redirected to %q", loc)
				}
				if c := resp.Cookies(); len(c) != 1 || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode || c[0].Value == testToken {
					t.Errorf("cookie %+v", c)
				}
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("no CSP: %q", csp)
			}
		})
	}
}

func TestDashboardWebsocketGuard(t *testing.T) {
	tr := newTestRoom(t, nil)
	ws := "ws" + strings.TrimPrefix(tr.dash.URL, "http") + "/ws?token=" + testToken
	for _, origin := range []string{"http://evil.example", ""} {
		_, resp, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {origin}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("origin %q: a websocket opened (or not refused with 403): %v", origin, err)
		}
	}
	c, _, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {tr.dash.URL}})
	if err != nil {
		t.Fatalf("the dashboard's own origin: %v", err)
	}
	c.Close()
}

// TestNamesAreEscaped: a learner's name with HTML in it is text on every
// page and in every export.
func TestNamesAreEscaped(t *testing.T) {
	tr := newTestRoom(t, nil)
	const name = `<img src=x onerror="alert(1)">&amp;`
	if resp, ack := tr.postPush(t, mustJSON(t, pushAt("learner01", name, 0, verdict(1, 0, "races-config-flag", true, ""))), nil); resp.StatusCode != 200 {
		t.Fatalf("push: %d %s", resp.StatusCode, ack.Error)
	}
	get := func(path string) string {
		req, _ := http.NewRequest("GET", tr.dash.URL+path, nil)
		req.Header.Set(TokenHeader, testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	summary := get("/summary")
	if strings.Contains(summary, "<img") || !strings.Contains(summary, "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;amp;") {
		t.Errorf("the summary page does not escape the name:\n%s", summary)
	}
	if api := get("/api/room"); strings.Contains(api, "<img") || !strings.Contains(api, `\u003cimg`) {
		t.Errorf("the JSON has the name unescaped: %s", api)
	}
	var snap Snapshot
	if err := json.Unmarshal([]byte(get("/api/room")), &snap); err != nil || snap.Learners[0].Name != name {
		t.Errorf("the name does not survive the JSON: %v %+v", err, snap.Learners)
	}
}
