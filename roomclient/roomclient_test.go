package roomclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

const code = "KXTM-4QRA"

func newRoom(t *testing.T) *room.Server {
	t.Helper()
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var list []room.Exercise
	for _, ex := range cat.List {
		list = append(list, room.Exercise{Name: ex.Name, Title: ex.Title, Topic: ex.Topic})
	}
	s, err := room.New(room.Config{Code: code, Token: "0123456789abcdef0123456789abcdef", Exercises: list})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// deadline is the test's own patience for a context.
func deadline(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func learner(s *room.Server, name string) *room.LearnerView {
	for _, l := range s.Snapshot().Learners {
		if l.Name == name {
			return &l
		}
	}
	return nil
}

// newClient is a client whose sender stops with the test.
func newClient(t *testing.T) *Client {
	c := New(t.TempDir())
	t.Cleanup(func() { c.Close(0) })
	return c
}

func fail(phase string) runner.Result { return runner.Result{Message: phase} }

func TestReportReachesTheRoomOnlyOnceJoined(t *testing.T) {
	s := newRoom(t)
	ts := serve(t, s.Join())
	c := newClient(t)
	c.Report(workspace.Activity{Kind: workspace.ActivityOpened, Exercise: "races-config-flag"})
	if _, err := os.Stat(filepath.Join(c.dir, "queue")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a workspace in no room queued an event: %v", err)
	}
	if _, err := c.Join(deadline(t), ts.URL+"/", code, "Ana", map[string]room.Progress{"races-request-counter": {Done: true, Checks: 2}}); err != nil {
		t.Fatal(err)
	}
	c.Report(workspace.Activity{Kind: workspace.ActivityOpened, Exercise: "races-config-flag"})
	c.Report(workspace.Activity{Kind: workspace.ActivityCheckStarted, Exercise: "races-config-flag"})
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: "races-config-flag", Hints: 1,
		Result: fail("Readers must never see a half-applied config"), Output: "$ go test\nFAIL\n"})
	c.Close(time.Minute)
	l := learner(s, "Ana")
	if l == nil {
		t.Fatal("the room has no Ana")
	}
	want := room.ExerciseState{Status: room.StatusFailing, Checks: 1, Failing: 1, Hints: 1, Phase: "Readers must never see a half-applied config"}
	got := l.Exercises["races-config-flag"]
	got.TimeS = 0
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if st := l.Exercises["races-request-counter"]; st.Status != room.StatusPassed || st.Checks != 2 {
		t.Errorf("the progress from before joining: %+v", st)
	}
	if n := c.Queued(); n != 0 {
		t.Errorf("%d events still queued", n)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "last", "races-config-flag.json")); err != nil {
		t.Errorf("the check's record for a raised hand: %v", err)
	}
}

// TestQueueWaitsForTheRoom: a room that is away loses nothing.
func TestQueueWaitsForTheRoom(t *testing.T) {
	s := newRoom(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // the room is away
	c := newClient(t)
	_, err = c.Join(deadline(t), url, code, "Ana", nil)
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) {
		t.Fatalf("joining a room that is away: %v, want an UnreachableError", err)
	}
	for range 3 {
		c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: "races-config-flag", Result: fail("x")})
	}
	c.Close(time.Minute)
	if n := c.Queued(); n != 4 {
		t.Fatalf("%d events queued, want 4 (the join and three verdicts)", n)
	}
	// The room comes back on the same address.
	ln, err = net.Listen("tcp", ln.Addr().String())
	if err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	srv := &http.Server{Handler: s.Join()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	if err := c.Send(deadline(t)); err != nil {
		t.Fatal(err)
	}
	if l := learner(s, "Ana"); l == nil || l.Exercises["races-config-flag"].Checks != 3 || c.Queued() != 0 {
		t.Errorf("after the room came back: %+v, %d queued", l, c.Queued())
	}
}

// TestLostAnswerIsCountedOnce: the room took a push but its answer was
// lost; the workbook sends it again, and the room counts it once.
func TestLostAnswerIsCountedOnce(t *testing.T) {
	s := newRoom(t)
	var verdicts atomic.Int32 // pushes that carried the verdict
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte(`"verdict"`)) && verdicts.Add(1) == 1 {
			s.Join().ServeHTTP(httptest.NewRecorder(), r)
			http.Error(w, "the answer was lost", http.StatusBadGateway)
			return
		}
		s.Join().ServeHTTP(w, r)
	}))
	c := newClient(t)
	if _, err := c.Join(deadline(t), ts.URL, code, "Ana", nil); err != nil {
		t.Fatal(err)
	}
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: "races-config-flag", Result: fail("x")})
	c.Close(time.Minute)
	if err := c.Send(deadline(t)); err != nil || c.Queued() != 0 {
		t.Fatalf("sending again: %v, %d queued", err, c.Queued())
	}
	if n := verdicts.Load(); n < 2 {
		t.Fatalf("the verdict went %d times; its answer was lost, so it must go again", n)
	}
	if l := learner(s, "Ana"); l.Exercises["races-config-flag"].Checks != 1 {
		t.Errorf("the room counted %d checks, want 1", l.Exercises["races-config-flag"].Checks)
	}
}

func TestWrongCodeIsRefused(t *testing.T) {
	s := newRoom(t)
	ts := serve(t, s.Join())
	c := newClient(t)
	if _, err := c.Join(deadline(t), ts.URL, "WRONG-CODE", "Ana", nil); !errors.Is(err, ErrRefused) {
		t.Fatalf("got %v, want ErrRefused", err)
	}
	if l, _ := c.Link(); l != nil {
		t.Error("a refused join was recorded")
	}
	if _, err := c.Join(deadline(t), "ftp://example", code, "Ana", nil); err == nil {
		t.Error("joined an ftp:// URL")
	}
}

func TestLeave(t *testing.T) {
	s := newRoom(t)
	ts := serve(t, s.Join())
	c := newClient(t)
	if _, err := c.Join(deadline(t), ts.URL, code, "Ana", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Leave(deadline(t)); err != nil {
		t.Fatal(err)
	}
	if l := learner(s, "Ana"); l == nil || !l.Left {
		t.Errorf("the room does not know Ana left: %+v", l)
	}
	if _, err := os.Stat(c.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the room's state is still on disk: %v", err)
	}
	if err := c.Leave(deadline(t)); !errors.Is(err, ErrNotJoined) {
		t.Errorf("leaving twice: %v", err)
	}
}

// TestBatchTooBig: a room that cannot take a batch gets it in halves, and
// an event it can never take does not hold up the others.
func TestBatchTooBig(t *testing.T) {
	s := newRoom(t)
	var refused atomic.Int32
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > 1500 {
			refused.Add(1)
			http.Error(w, "too big", http.StatusRequestEntityTooLarge)
			return
		}
		s.Join().ServeHTTP(w, r)
	}))
	c := newClient(t)
	if _, err := c.Join(deadline(t), ts.URL, code, "Ana", nil); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: "races-config-flag", Result: fail("a phase")})
	}
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: "races-config-flag", Result: fail(string(make([]byte, 2000)))})
	c.Report(workspace.Activity{Kind: workspace.ActivityHint, Exercise: "races-config-flag", Hints: 2})
	if err := c.Send(deadline(t)); err != nil {
		t.Fatal(err)
	}
	st := learner(s, "Ana").Exercises["races-config-flag"]
	if st.Checks != 8 || st.Hints != 2 || c.Queued() != 0 || refused.Load() == 0 {
		t.Errorf("got %+v, %d queued, %d pushes refused", st, c.Queued(), refused.Load())
	}
}

// TestCloseIsBounded: a command does not wait for a room that hangs.
func TestCloseIsBounded(t *testing.T) {
	hang := make(chan struct{})
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	t.Cleanup(func() { close(hang) })
	c := newClient(t)
	data := []byte(`{"url":"` + ts.URL + `","code":"` + code + `","name":"Ana","learner":"0123456789abcdef"}`)
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.dir, "join.json"), data, 0o666); err != nil {
		t.Fatal(err)
	}
	c.Report(workspace.Activity{Kind: workspace.ActivityOpened, Exercise: "races-config-flag"})
	done := make(chan struct{})
	go func() {
		c.Close(50 * time.Millisecond)
		close(done)
	}()
	select {
	case <-done:
	case <-deadline(t).Done():
		t.Fatal("Close waited for a room that hangs")
	}
	if c.Queued() != 1 {
		t.Errorf("%d queued, want the event kept for later", c.Queued())
	}
}

func TestRaiseHand(t *testing.T) {
	s := newRoom(t)
	ts := serve(t, s.Join())
	cat, _ := exercises.Embedded()
	ws, err := workspace.Create(filepath.Join(t.TempDir(), "ws"), cat)
	if err != nil {
		t.Fatal(err)
	}
	c := ForWorkspace(ws)
	t.Cleanup(func() { c.Close(0) })
	ex, _ := cat.Lookup("races-config-flag")
	if err := c.RaiseHand(deadline(t), ws, ex); !errors.Is(err, ErrNotJoined) {
		t.Fatalf("a hand from a workspace in no room: %v", err)
	}
	if _, err := c.Join(deadline(t), ts.URL, code, "Ana", nil); err != nil {
		t.Fatal(err)
	}
	diag := &diagnostics.Diagnostic{Kind: diagnostics.Race, Message: "data race on cfg"}
	c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: ex.Name, Result: fail("Readers must never see a half-applied config"),
		Findings: []runner.Event{
			{Type: runner.TypeDiagnostic, File: "config.go", Line: 12, Diagnostic: diag},
			{Type: runner.TypeDiagnostic, File: "config.go", Line: 3, Diagnostic: &diagnostics.Diagnostic{Kind: diagnostics.Escape, Message: "does not escape"}},
			{Type: runner.TypeFailure, File: "config.go", Line: 20, Message: "a reader saw a half-applied config"},
			{Type: runner.TypeFailure, Message: "no place"},
		}, Output: "$ go test -race\nWARNING: DATA RACE\n"})
	if err := c.RaiseHand(deadline(t), ws, ex); err != nil {
		t.Fatal(err)
	}
	hands := s.Snapshot().Hands
	if len(hands) != 1 {
		t.Fatalf("%d hands, want 1", len(hands))
	}
	h := hands[0]
	files, _ := ws.ReadFiles(ex, ex.EditableNames())
	if len(h.Files) != len(files) || h.Files[0].Text != string(files[h.Files[0].Name]) {
		t.Errorf("the hand's files %+v are not the workspace's", h.Files)
	}
	if !h.Checked || h.Verdict != "Readers must never see a half-applied config" || len(h.Findings) != 2 ||
		h.Findings[0].Line != 12 || h.Findings[1].Line != 20 || h.Output == "" {
		t.Errorf("the hand's check: %+v", h)
	}
}

// TestAwayRoomIsNotWaitedFor: once the room failed to answer, the next
// commands do not each wait their full time for it.
func TestAwayRoomIsNotWaitedFor(t *testing.T) {
	hang := make(chan struct{})
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	t.Cleanup(func() { close(hang) })
	c := newClient(t)
	data := []byte(`{"url":"` + ts.URL + `","code":"` + code + `","name":"Ana","learner":"0123456789abcdef"}`)
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.dir, "join.json"), data, 0o666); err != nil {
		t.Fatal(err)
	}
	c.markAway(true) // an earlier command found the room away
	c.Report(workspace.Activity{Kind: workspace.ActivityOpened, Exercise: "races-config-flag"})
	done := make(chan struct{})
	go func() {
		c.Close(time.Hour)
		close(done)
	}()
	select {
	case <-done:
	case <-deadline(t).Done():
		t.Fatal("Close waited its full time for a room that is away")
	}
}

func TestCloseSaysRefused(t *testing.T) {
	s := newRoom(t)
	ts := serve(t, s.Join())
	c := newClient(t)
	if _, err := c.Join(deadline(t), ts.URL, code, "Ana", nil); err != nil {
		t.Fatal(err)
	}
	c.Close(time.Minute)
	// The lead restarts the room: another code.
	data, _ := os.ReadFile(filepath.Join(c.dir, "join.json"))
	data = bytes.Replace(data, []byte(code), []byte("OTHER-CODE"), 1)
	if err := os.WriteFile(filepath.Join(c.dir, "join.json"), data, 0o666); err != nil {
		t.Fatal(err)
	}
	c.Report(workspace.Activity{Kind: workspace.ActivityOpened, Exercise: "races-config-flag"})
	if err := c.Close(time.Minute); !errors.Is(err, ErrRefused) {
		t.Errorf("Close: %v, want ErrRefused", err)
	}
	if c.Queued() != 1 {
		t.Errorf("%d queued, want the event kept for the room the learner joins again", c.Queued())
	}
}
