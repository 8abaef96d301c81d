package room_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/roomclient"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

const (
	code  = "KXTM-4QRA"
	token = "0123456789abcdef0123456789abcdef"
)

// roomFixture is a room whose join side runs on a real loopback port that
// the test can drop and bring back, and whose dashboard is on httptest.
type roomFixture struct {
	t    *testing.T
	srv  *room.Server
	addr string // the join side's host:port
	join *http.Server
	dash *httptest.Server
	cat  *exercises.Catalog
}

func newRoomFixture(t *testing.T, editor []byte) *roomFixture {
	t.Helper()
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var list []room.Exercise
	for _, ex := range cat.List {
		list = append(list, room.Exercise{Name: ex.Name, Title: ex.Title, Topic: ex.Topic})
	}
	srv, err := room.New(room.Config{Code: code, Token: token, Exercises: list, Editor: editor, JoinURL: "http://192.0.2.1:8322",
		Stuck: room.Stuck{After: time.Hour, Checks: 3}})
	if err != nil {
		t.Fatal(err)
	}
	f := &roomFixture{t: t, srv: srv, dash: httptest.NewServer(srv.Dashboard()), cat: cat}
	f.up("127.0.0.1:0")
	t.Cleanup(func() {
		f.down()
		f.dash.Close()
		srv.Close()
	})
	return f
}

func (f *roomFixture) url() string { return "http://" + f.addr }

// up serves the join side on addr.
func (f *roomFixture) up(addr string) {
	f.t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		f.t.Fatalf("the room cannot come back on %s: %v", addr, err)
	}
	f.addr = ln.Addr().String()
	f.join = &http.Server{Handler: f.srv.Join()}
	go f.join.Serve(ln)
}

// down drops the join side, as a Wi-Fi drop would for the learners.
func (f *roomFixture) down() {
	if f.join != nil {
		f.join.Close()
		f.join = nil
	}
}

// state is GET /api/room, as the dashboard reads it.
func (f *roomFixture) state() room.Snapshot {
	f.t.Helper()
	resp, err := http.Get(f.dash.URL + "/api/room?token=" + token)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET /api/room: %s", resp.Status)
	}
	var snap room.Snapshot
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
		f.t.Fatal(err)
	}
	return snap
}

// learnerWS is a learner's workbook: a real workspace whose Reporter is its
// room client, as the CLI sets it up.
type learnerWS struct {
	t    *testing.T
	name string
	ws   *workspace.Workspace
	c    *roomclient.Client
	r    *runner.Runner
	cat  *exercises.Catalog
}

func newLearner(t *testing.T, f *roomFixture, r *runner.Runner, name string) *learnerWS {
	t.Helper()
	ws, err := workspace.Create(filepath.Join(t.TempDir(), "ws"), f.cat)
	if err != nil {
		t.Fatal(err)
	}
	c := roomclient.ForWorkspace(ws)
	ws.Reporter = c
	t.Cleanup(func() { c.Close(0) })
	if _, err := c.Join(testContext(t), f.url(), code, name, nil); err != nil {
		t.Fatal(err)
	}
	return &learnerWS{t: t, name: name, ws: ws, c: c, r: r, cat: f.cat}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func (l *learnerWS) ex(name string) *exercises.Exercise {
	ex, err := l.cat.Lookup(name)
	if err != nil {
		l.t.Fatal(err)
	}
	return ex
}

func (l *learnerWS) open(name string) {
	if err := l.ws.SetCurrent(l.ex(name)); err != nil {
		l.t.Fatal(err)
	}
}

// check runs a real check, as `workbook check NAME` does, and returns its
// result after asserting its verdict.
func (l *learnerWS) check(name string, wantPass bool) runner.Result {
	l.t.Helper()
	res, err := l.ws.Check(testContext(l.t), l.r, l.ex(name), runner.SinkFunc(func(runner.Event) {}))
	if err != nil {
		l.t.Fatal(err)
	}
	if res.Reason == runner.ReasonEnvironment {
		l.t.Skipf("this machine cannot run checks: %s", res.Message)
	}
	if res.Pass != wantPass {
		l.t.Fatalf("%s's check of %s: pass %v (%s), want %v", l.name, name, res.Pass, res.Message, wantPass)
	}
	return res
}

func (l *learnerWS) solve(name string) {
	ex := l.ex(name)
	for file, data := range ex.Solution {
		if ex.Editable(file) {
			if err := os.WriteFile(filepath.Join(l.ws.Dir(name), file), data, 0o666); err != nil {
				l.t.Fatal(err)
			}
		}
	}
}

func (l *learnerWS) hint(name string) {
	if _, err := l.ws.RevealHint(l.ex(name)); err != nil {
		l.t.Fatal(err)
	}
}

// settle ends the learner's command: what it queued is sent, as far as the
// room answers.
func (l *learnerWS) settle() { l.c.Close(time.Minute) }

// TestRoomWithThreeLearners: a room and three learners' workbooks on
// loopback, with real workspaces and real checks. They pass and fail
// checks; the room drops for a while and their events queue on disk; it
// comes back and gets them, none twice; the dashboard's JSON says what each
// did.
func TestRoomWithThreeLearners(t *testing.T) {
	if testing.Short() {
		t.Skip("real checks")
	}
	f := newRoomFixture(t, nil)
	r, err := runner.New(context.Background())
	if err != nil {
		t.Skipf("cannot run checks here: %v", err)
	}
	r.WorkRoot = t.TempDir()
	const lvr, rcf, lost = "locks-value-receiver", "races-config-flag", "context-lost-cancel"

	ana, ben, cy := newLearner(t, f, r, "Ana"), newLearner(t, f, r, "Ben <b>"), newLearner(t, f, r, "Cy")
	ana.open(lvr)
	lvrFail := ana.check(lvr, false)
	ana.solve(lvr)
	ana.check(lvr, true)
	ben.open(lvr)
	ben.check(lvr, false)
	ben.hint(lvr)
	ben.hint(lvr)
	ben.check(lvr, false)
	if err := ben.c.RaiseHand(testContext(t), ben.ws, ben.ex(lvr)); err != nil {
		t.Fatal(err)
	}
	cy.open(rcf)
	cy.hint(rcf)
	for _, l := range []*learnerWS{ana, ben, cy} {
		l.settle()
		if n := l.c.Queued(); n != 0 {
			t.Fatalf("%s: %d events still queued with the room up", l.name, n)
		}
	}
	before := f.state()
	if st := before.Learners[0].Exercises[lvr]; before.Learners[0].Name != "Ana" || st.Status != room.StatusPassed {
		t.Fatalf("before the drop, Ana: %+v", before.Learners[0])
	}

	// The room drops. The learners work on; their events wait on disk. Ana
	// and Ben use terminal commands, which end; Cy's workbook keeps running
	// (serve or watch), its sender retrying.
	addr := f.addr
	f.down()
	cy.c.Start()
	ana.open(lost)
	lostFail := ana.check(lost, false)
	ben.solve(lvr)
	ben.check(lvr, true)
	rcfFail := cy.check(rcf, false)
	for _, l := range []*learnerWS{ana, ben} {
		l.settle()
	}
	for _, l := range []*learnerWS{ana, ben, cy} {
		if l.c.Queued() == 0 {
			t.Fatalf("%s: nothing queued while the room was away", l.name)
		}
	}
	if v := f.state().Version; v != before.Version {
		t.Fatalf("the room changed while away (version %d → %d)", before.Version, v)
	}
	// Keep a copy of Ana's queue, to send it a second time later: a lost
	// answer does that.
	again := t.TempDir()
	queue := filepath.Join(ana.ws.Root, workspace.StateDir, "room", "queue")
	copyDir(t, queue, again)

	// The room comes back: the next command of Ana and Ben sends their
	// queues; Cy's running workbook sends by itself at its next retry.
	f.up(addr)
	for _, l := range []*learnerWS{ana, ben} {
		if err := l.c.Send(testContext(t)); err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if n := l.c.Queued(); n != 0 {
			t.Fatalf("%s: %d events still queued", l.name, n)
		}
	}
	for ctx := testContext(t); cy.c.Queued() != 0; {
		select {
		case <-ctx.Done():
			t.Fatalf("Cy's running workbook did not send its queue when the room came back (%d queued)", cy.c.Queued())
		case <-time.After(100 * time.Millisecond):
		}
	}
	cy.settle()
	mid := f.state()
	copyDir(t, again, queue)
	if err := ana.c.Send(testContext(t)); err != nil {
		t.Fatal(err)
	}
	snap := f.state()
	if snap.Version != mid.Version {
		t.Errorf("Ana's events sent a second time changed the room (version %d → %d): counted twice", mid.Version, snap.Version)
	}

	// The dashboard's JSON.
	want := map[string]map[string]room.ExerciseState{
		"Ana": {
			lvr:  {Status: room.StatusPassed, Checks: 2, Failing: 1, Phase: ""},
			lost: {Status: room.StatusFailing, Checks: 1, Failing: 1, Phase: lostFail.Message},
		},
		"Ben <b>": {
			lvr: {Status: room.StatusPassed, Checks: 3, Failing: 2, Hints: 2, Phase: ""},
		},
		"Cy": {
			rcf: {Status: room.StatusFailing, Checks: 1, Failing: 1, Hints: 1, Phase: rcfFail.Message},
		},
	}
	if len(snap.Learners) != 3 {
		t.Fatalf("%d learners on the dashboard, want 3", len(snap.Learners))
	}
	for _, l := range snap.Learners {
		w := want[l.Name]
		if len(l.Exercises) != len(w) {
			t.Errorf("%s: exercises %v, want %v", l.Name, l.Exercises, w)
		}
		for name, ws := range w {
			got := l.Exercises[name]
			got.TimeS, got.Stuck, got.Checking = 0, false, false
			if got != ws {
				t.Errorf("%s on %s:\n got  %+v\n want %+v", l.Name, name, got, ws)
			}
		}
	}
	if lvrFail.Message == "" || lostFail.Message == "" || rcfFail.Message == "" {
		t.Error("a failing check has no headline")
	}
	if snap.Learners[0].Current != lost || snap.Learners[2].Current != rcf {
		t.Errorf("current exercises: Ana %q, Cy %q", snap.Learners[0].Current, snap.Learners[2].Current)
	}
	if len(snap.Hands) != 1 || snap.Hands[0].Name != "Ben <b>" || snap.Hands[0].Verdict != lvrFail.Message || len(snap.Hands[0].Files) == 0 {
		t.Errorf("hands: %+v", snap.Hands)
	}
	tot := snap.Totals
	if tot.Learners != 3 || tot.Passed != 2 || tot.Checks != 7 || tot.Hints != 3 || tot.HandsOpen != 1 {
		t.Errorf("totals %+v", tot)
	}
	for _, ex := range snap.Exercises {
		if ex.Name == lvr && (ex.Started != 2 || ex.Passed != 2 || ex.Failing != 0) {
			t.Errorf("%s across the room: %+v", lvr, ex)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
}
