//go:build linux

package runner

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/filelock"
)

// These tests run real checks and assert by walking /proc: every process of a
// fixture carries a tag in its environment, and after the check no live
// process may carry it.

// tagged returns the live processes whose environment holds CONTAIN_TAG=tag.
func tagged(tag string) []procStat {
	buf := newProcBuf()
	var found []procStat
	for pid, st := range buf.scan() {
		if st.state == 'Z' {
			continue
		}
		if v, ok := procEnv(pid, "CONTAIN_TAG"); ok && v == tag {
			found = append(found, st)
		}
	}
	return found
}

func newTag(t *testing.T) string {
	return fmt.Sprintf("%s-%x", t.Name(), rand.Text()[:8])
}

// assertNoneLeft fails for every live process of tag, and kills it.
func assertNoneLeft(t *testing.T, tag string) {
	t.Helper()
	for _, st := range tagged(tag) {
		t.Errorf("process %d (%s) of the check is still alive: %+v", st.id.pid, procLink(st.id.pid, "exe"), st)
		syscall.Kill(st.id.pid, syscall.SIGKILL)
	}
}

// assertGoneForGood fails for every process of ids that still exists, even as
// a zombie: the workbook reaps the orphans it inherits.
func assertGoneForGood(t *testing.T, ids []procID) {
	t.Helper()
	buf := newProcBuf()
	for _, id := range ids {
		if st, ok := buf.read(id.pid); ok && st.id == id {
			t.Errorf("process %d is still there after the check: state %c, parent %d", id.pid, st.state, st.ppid)
		}
	}
}

// assertDead fails for every process of ids that is alive, or dead and
// left unreaped by this process although it is the parent: a dead orphan of
// init is init's to reap.
func assertDead(t *testing.T, ids []procID) {
	t.Helper()
	buf := newProcBuf()
	for _, id := range ids {
		st, ok := buf.read(id.pid)
		if ok && st.id == id && (st.state != 'Z' || st.ppid == os.Getpid()) {
			t.Errorf("process %d is still there: state %c, parent %d", id.pid, st.state, st.ppid)
		}
	}
}

// containScript returns the contain fixture for mode, and the file its test
// binary writes the pids of what it started to.
func containScript(t *testing.T, tag, mode string) (script []byte, pidFile string) {
	t.Helper()
	data, err := os.ReadFile("testdata/contain.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := strings.NewReplacer("@TAG@", tag, "@PIDDIR@", dir, "@MODE@", mode).Replace(string(data))
	return []byte(s), filepath.Join(dir, "pids")
}

// readPids returns the processes listed in pidFile, as they are now.
func readPids(t *testing.T, pidFile string) []procID {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the test binary never wrote its pids: %v", err)
	}
	buf := newProcBuf()
	var ids []procID
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		if st, ok := buf.read(pid); ok {
			ids = append(ids, st.id)
		}
	}
	return ids
}

// startCheck runs c in the background; the returned channel yields its
// result.
func startCheck(ctx context.Context, r *Runner, c Check, sink Sink) <-chan Result {
	done := make(chan Result, 1)
	go func() { done <- r.Run(ctx, c, sink) }()
	return done
}

// waitReady waits until path exists, or the check is over; it reports
// whether path exists.
func waitReady(path string, done <-chan Result, res *Result) bool {
	for {
		if _, err := os.Stat(path); err == nil {
			return true
		}
		select {
		case *res = <-done:
			_, err := os.Stat(path)
			return err == nil
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// A learner's test leaves its process group and session (the test binary
// calls setsid; children start with Setsid, with Setpgid, and one is
// reparented when its parent exits) and then passes, fails, hangs past the
// step's bound, hangs in init, or is stopped: in every case, nothing of it is
// left when the check is over.
func TestContainEscapes(t *testing.T) {
	r := newTestRunner(t)

	// Stopped: the processes are seen running, then the check is canceled.
	tag := newTag(t)
	script, pidFile := containScript(t, tag, "hang")
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	done := startCheck(ctx, r, Check{Name: "contain", Script: script}, &Collect{})
	var res Result
	if !waitReady(pidFile, done, &res) {
		cancel()
		t.Fatalf("the check ended before its test binary started anything: %+v", res)
	}
	ready := time.Since(start)
	ids := readPids(t, pidFile)
	if len(ids) != 4 {
		t.Errorf("got %d live processes from the pid file, want 4: %v", len(ids), ids)
	}
	if n := len(tagged(tag)); n < 5 { // the go command, the test binary, three sleeps
		t.Errorf("the walk found %d processes of the running check, want at least 5", n)
	}
	cancel()
	if res = <-done; res.Pass || res.Reason != ReasonCanceled {
		t.Errorf("stopped check: got %+v, want canceled", res)
	}
	assertNoneLeft(t, tag)
	assertGoneForGood(t, ids)
	assertWorkDirRemoved(t, r)

	for _, mode := range []string{"pass", "fail"} {
		t.Run(mode, func(t *testing.T) {
			tag := newTag(t)
			script, pidFile := containScript(t, tag, mode)
			res := r.Run(context.Background(), Check{Name: "contain", Script: script}, &Collect{})
			if res.Pass != (mode == "pass") || res.Reason != "" {
				t.Errorf("got %+v, want pass = %v", res, mode == "pass")
			}
			if _, err := os.Stat(pidFile); err != nil {
				t.Errorf("the test binary started nothing: %v", err)
			}
			assertNoneLeft(t, tag)
			assertWorkDirRemoved(t, r)
		})
	}

	// Past the step's bound, in a test and in init. The bound scales with how
	// long the fixture took to get going above, and grows until the fixture
	// was going before the bound hit.
	for _, mode := range []string{"hang", "init"} {
		t.Run("timeout-"+mode, func(t *testing.T) {
			r := *r
			r.StepTimeout = 3*ready + time.Second
			for {
				tag := newTag(t)
				script, pidFile := containScript(t, tag, mode)
				var c Collect
				res := r.Run(context.Background(), Check{Name: "contain", Script: script}, &c)
				if res.Pass || res.Reason != ReasonTimeout {
					t.Fatalf("got %+v, want a step timeout", res)
				}
				assertNoneLeft(t, tag)
				assertWorkDirRemoved(t, &r)
				if _, err := os.Stat(pidFile); err == nil {
					return
				}
				r.StepTimeout *= 2
				t.Logf("the bound hit before the fixture got going; again with %v", r.StepTimeout)
			}
		})
	}
}

// The memory bound stops a test that allocates without end, with and without
// the race detector (whose shadow memory rules out RLIMIT_AS and
// RLIMIT_DATA), and tells the learner in one sentence; a test that stays
// within it passes, however much the go command, the compiler and the
// linker use (the linker alone uses more than the bound here).
func TestMemoryBound(t *testing.T) {
	r := newTestRunner(t)
	r.MemoryLimit = 48 << 20
	script := func(flags, test string) []byte {
		return []byte(`# The cache must stay bounded.
go test -count=1 ` + flags + ` .

-- go.mod --
module fixture

go 1.26
-- cache_test.go --
package fixture

import "testing"

// fresh makes the package new to the build cache, so that the check
// compiles and links it under the bound.
const fresh = "` + rand.Text() + `"

` + test)
	}
	grow := `func TestGrow(t *testing.T) {
	var keep [][]byte
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1 // resident, not just reserved
		}
		keep = append(keep, b)
	}
}
`
	honest := `func TestSmall(t *testing.T) {
	b := make([]byte, 2<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
}
`
	want := "The program used more than 48 MiB, so it was stopped: "
	for _, flags := range []string{"", "-race"} {
		t.Run("grow"+flags, func(t *testing.T) {
			var c Collect
			res := r.Run(context.Background(), Check{Name: "memory", Script: script(flags, grow)}, &c)
			if res.Pass || res.Reason != ReasonMemory || !strings.HasPrefix(res.Message, want) {
				t.Fatalf("got %+v, want reason %q and a message starting %q", res, ReasonMemory, want)
			}
			var failures []string
			for _, e := range c.Events {
				switch e.Type {
				case TypeStepEnd:
					if e.Reason != ReasonMemory {
						t.Errorf("step_end reason: got %q, want %q", e.Reason, ReasonMemory)
					}
				case TypeFailure:
					failures = append(failures, e.Message)
				case TypeVerdict:
					if e.Reason != ReasonMemory || e.Message != res.Message {
						t.Errorf("verdict: got reason %q message %q", e.Reason, e.Message)
					}
				}
			}
			if len(failures) == 0 || !strings.HasPrefix(failures[0], want) {
				t.Errorf("failures: got %q, want the memory sentence first", failures)
			}
			assertWorkDirRemoved(t, r)
		})
		t.Run("small"+flags, func(t *testing.T) {
			var c Collect
			if res := r.Run(context.Background(), Check{Name: "memory", Script: script(flags, honest)}, &c); !res.Pass {
				t.Fatalf("a test within the bound failed: %+v\n%+v", res, c.Events)
			}
		})
	}
	// A `go run` program, built the first time and run from the build
	// cache the second.
	run := []byte(`# The cache must stay bounded.
go run .

-- go.mod --
module fixture

go 1.26
-- main.go --
package main

const fresh = "` + rand.Text() + `"

func main() {
	var keep [][]byte
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		keep = append(keep, b)
	}
}
`)
	for _, name := range []string{"run", "run-cached"} {
		t.Run(name, func(t *testing.T) {
			if res := r.Run(context.Background(), Check{Name: "memory-run", Script: run}, &Collect{}); res.Reason != ReasonMemory {
				t.Fatalf("got %+v, want reason %q", res, ReasonMemory)
			}
		})
	}
}

// As a subreaper the workbook inherits the orphans of every command it runs;
// a step reaps those that exited, and never a child that os/exec has yet to
// wait for.
func TestStrayZombiesAreReaped(t *testing.T) {
	r := newTestRunner(t)
	// An orphan of some other command, reparented to the workbook, which
	// exits: a zombie nobody waits for.
	out, err := exec.Command("sh", "-c", "sleep 0.1 >/dev/null 2>&1 & echo $!").Output()
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	buf := newProcBuf()
	var stray procID
	for {
		st, ok := buf.read(pid)
		if !ok {
			t.Fatalf("the orphan %d is gone already: was it not reparented to this process?", pid)
		}
		if st.ppid != os.Getpid() {
			t.Fatalf("the orphan's parent is %d, want this process (%d), the subreaper", st.ppid, os.Getpid())
		}
		if st.state == 'Z' {
			stray = st.id
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A child of os/exec that has exited and is not yet waited for.
	owned := exec.Command("sh", "-c", "exit 3")
	if err := owned.Start(); err != nil {
		t.Fatal(err)
	}
	for {
		if st, ok := buf.read(owned.Process.Pid); ok && st.state == 'Z' {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}

	tag := newTag(t)
	script, pidFile := containScript(t, tag, "hang")
	ctx, cancel := context.WithCancel(context.Background())
	done := startCheck(ctx, r, Check{Name: "strays", Script: script}, &Collect{})
	var res Result
	ready := waitReady(pidFile, done, &res)
	cancel()
	if ready {
		res = <-done
	}
	if res.Reason != ReasonCanceled {
		t.Fatalf("got %+v, want the check canceled while it ran", res)
	}
	assertGoneForGood(t, []procID{stray})
	err = owned.Wait()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 3 {
		t.Errorf("os/exec's own child: Wait returned %v, want exit status 3", err)
	}
}

// A workbook killed with SIGKILL left work directories behind with
// processes running in them; the next Runner removes the directories whose
// lock no one holds, with every process of them, and leaves the rest.
func TestSweep(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	work := filepath.Join(cache, "go-blindspots-workbook", "checks")
	mkdir := func(dir string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, "script-check"), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "check.txtar"), nil, 0o666); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	lockFile := func(dir string) *os.File {
		t.Helper()
		f, err := os.Create(dir + ".lock")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	stale := mkdir(filepath.Join(work, "sweep.learner"))
	lockFile(stale).Close()
	staleTemp := mkdir(filepath.Join(work, "sweep.learner"+tempMark+"123"))
	lockFile(staleTemp).Close()
	live := mkdir(filepath.Join(work, "live.learner"))
	if err := filelock.Lock(lockFile(live)); err != nil {
		t.Fatal(err)
	}
	legacy := mkdir(filepath.Join(work, "legacy.learner")) // no lock file
	old := time.Now().Add(-2 * legacyAge)
	os.Chtimes(filepath.Join(legacy, "check.txtar"), old, old)
	young := mkdir(filepath.Join(work, "young.learner"))

	tag := newTag(t)
	// The orphans below are reparented to this process, as they would be to
	// a workbook's subreaper above the killed one, so that the sweep must reap
	// them (init would reap them otherwise).
	becomeSubreaper()
	// orphan starts, as the killed workbook's check would have, a process
	// whose parent is gone, marked as a check of dir, working in it.
	orphan := func(dir, exe string, marked bool) procID {
		t.Helper()
		cmd := exec.Command("sh", "-c", exe+" 3600 >/dev/null 2>&1 & echo $!")
		cmd.Dir = filepath.Join(dir, "script-check")
		cmd.Env = append(os.Environ(), "CONTAIN_TAG="+tag)
		if marked {
			cmd.Env = append(cmd.Env, checkDirEnv+"="+dir)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
		st, ok := newProcBuf().read(pid)
		if !ok {
			t.Fatalf("the orphan %d is not running", pid)
		}
		return st.id
	}
	// A test binary of a workbook before the mark: run from the work dir,
	// built in it.
	legacyTest := filepath.Join(legacy, "script-check", "fixture.test")
	data, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(legacyTest, data, 0o777); err != nil {
		t.Fatal(err)
	}
	doomed := []procID{orphan(stale, "sleep", true), orphan(staleTemp, "sleep", true), orphan(legacy, legacyTest, false)}
	kept := []procID{orphan(live, "sleep", true)}
	// A process that merely sits in a stale directory (a shell, say), with
	// no mark and not built there, is no check's.
	bystander := exec.Command("sleep", "3600")
	bystander.Dir = filepath.Join(stale, "script-check")
	if err := bystander.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { bystander.Process.Kill(); bystander.Wait() }()
	defer func() {
		for _, st := range tagged(tag) {
			syscall.Kill(st.id.pid, syscall.SIGKILL)
		}
	}()

	if _, err := New(context.Background()); err != nil {
		t.Fatal(err)
	}

	assertGoneForGood(t, doomed)
	buf := newProcBuf()
	for _, id := range kept {
		if st, ok := buf.read(id.pid); !ok || st.id != id || st.state == 'Z' {
			t.Errorf("the process of the live check (%d) was killed", id.pid)
		}
	}
	if err := bystander.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("the bystander was killed: %v", err)
	}
	for dir, want := range map[string]bool{stale: false, staleTemp: false, legacy: false, live: true, young: true} {
		if _, err := os.Stat(dir); (err == nil) != want {
			t.Errorf("%s: exists = %v, want %v", filepath.Base(dir), err == nil, want)
		}
	}
	if _, err := os.Stat(staleTemp + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale temporary work dir's lock file is still there: %v", err)
	}
}

// TestKilledWorkbookHelper is the workbook that TestKilledWorkbookIsSwept
// kills: it runs the check in CONTAIN_HELPER_SCRIPT until it is killed.
func TestKilledWorkbookHelper(t *testing.T) {
	script := os.Getenv("CONTAIN_HELPER_SCRIPT")
	if script == "" {
		t.Skip("run by TestKilledWorkbookIsSwept")
	}
	r, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.Run(context.Background(), Check{Name: "killed", Script: []byte(script)}, &Collect{})
}

// A workbook killed with SIGKILL in the middle of a check leaves the
// check's test binary and its children running (only the go command dies
// with it), orphans of init; the next Runner made on the same WorkRoot kills
// them all and removes the work dir.
func TestKilledWorkbookIsSwept(t *testing.T) {
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", strings.TrimSpace(string(gocache))) // not under the new XDG_CACHE_HOME: warm
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	tag := newTag(t)
	script, pidFile := containScript(t, tag, "hang")
	workbook := exec.Command(os.Args[0], "-test.run=^TestKilledWorkbookHelper$", "-test.count=1")
	workbook.Env = append(os.Environ(), "CONTAIN_HELPER_SCRIPT="+string(script))
	if err := workbook.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- workbook.Wait() }()
	for {
		if _, err := os.Stat(pidFile); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the workbook ended before its check got going: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	ids := readPids(t, pidFile)
	workbook.Process.Kill()
	<-exited
	if len(tagged(tag)) == 0 {
		t.Fatal("nothing of the check outlived its workbook: the test proves nothing")
	}

	r, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertNoneLeft(t, tag)
	assertDead(t, ids)
	assertWorkDirRemoved(t, r)
}

// timeline records the events of several checks in the one order they
// arrived, and wakes a waiter at each.
type timeline struct {
	mu     sync.Mutex
	events []checkEvent
	wake   chan struct{}
}

type checkEvent struct {
	check string
	Event
}

func newTimeline() *timeline { return &timeline{wake: make(chan struct{}, 1)} }

func (tl *timeline) sink(check string) Sink {
	return SinkFunc(func(e Event) {
		tl.mu.Lock()
		tl.events = append(tl.events, checkEvent{check, e})
		tl.mu.Unlock()
		select {
		case tl.wake <- struct{}{}:
		default:
		}
	})
}

// waitFor waits until cond holds of the events so far. It fails the test if
// every check ended first.
func (tl *timeline) waitFor(t *testing.T, what string, allDone <-chan struct{}, cond func([]checkEvent) bool) {
	t.Helper()
	for {
		tl.mu.Lock()
		ok := cond(tl.events)
		tl.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-tl.wake:
		case <-allDone:
			t.Fatalf("every check ended before %s", what)
		}
	}
}

// queueState is, at the end of events, which checks have started a step
// and the last place in line each waiting check was told.
func queueState(events []checkEvent) (running map[string]bool, places map[string]int) {
	running, places = make(map[string]bool), make(map[string]int)
	for _, e := range events {
		switch e.Type {
		case TypeQueued:
			places[e.check] = e.Place
		case TypeStep:
			running[e.check] = true
			delete(places, e.check)
		case TypeVerdict:
			delete(places, e.check)
		}
	}
	return running, places
}

// N+2 checks ask for N slots: N run, two wait in line and are told their
// places, a waiting check that is stopped ends at once — while every slot is
// still taken — and the one behind it moves up; no more than N ever run at
// once. All of it is read from the order of events, not from the clock.
func TestQueue(t *testing.T) {
	r := newTestRunner(t)
	r.MaxChecks = 2
	gates := t.TempDir()
	gate := func(name string) []byte {
		return []byte(`# The job must wait for its gate.
env GATE=` + gates + `
env NAME=` + name + `
go test -count=1 .

-- go.mod --
module fixture

go 1.26
-- gate_test.go --
package fixture

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestGate(t *testing.T) {
	for {
		if _, err := os.Stat(filepath.Join(os.Getenv("GATE"), os.Getenv("NAME"))); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
`)
	}
	open := func(name string) {
		if err := os.WriteFile(filepath.Join(gates, name), nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"a", "b", "c", "d"}
	tl := newTimeline()
	cancels := make(map[string]context.CancelFunc)
	results := make(map[string]chan Result)
	var wg sync.WaitGroup
	for _, name := range names {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cancels[name] = cancel
		results[name] = make(chan Result, 1)
		wg.Go(func() {
			results[name] <- r.Run(ctx, Check{Name: "queue-" + name, Script: gate(name)}, tl.sink(name))
		})
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	defer func() {
		for _, name := range names {
			open(name)
		}
		<-allDone
	}()

	// Two run, two wait, at places 1 and 2.
	var first, second string
	tl.waitFor(t, "two checks ran and two waited at places 1 and 2", allDone, func(events []checkEvent) bool {
		running, places := queueState(events)
		if len(running) != 2 || len(places) != 2 {
			return false
		}
		first, second = "", ""
		for name, place := range places {
			switch place {
			case 1:
				first = name
			case 2:
				second = name
			}
		}
		return first != "" && second != ""
	})

	// The first in line is stopped: it ends at once, while the slots are taken.
	cancels[first]()
	res := <-results[first]
	if res.Pass || res.Reason != ReasonCanceled {
		t.Errorf("check stopped while it waited: got %+v, want canceled", res)
	}
	tl.mu.Lock()
	for _, e := range tl.events {
		if e.check == first && e.Type == TypeStep {
			t.Errorf("the check stopped while it waited ran a step: %+v", e.Event)
		}
	}
	tl.mu.Unlock()

	// The second moves up to place 1, and runs once a slot is free.
	tl.waitFor(t, "the second in line moved up", allDone, func(events []checkEvent) bool {
		_, places := queueState(events)
		return places[second] == 1
	})
	running, _ := queueState(tl.events)
	for name := range running {
		open(name)
		break
	}
	tl.waitFor(t, "the second in line ran", allDone, func(events []checkEvent) bool {
		running, _ := queueState(events)
		return running[second]
	})
	for _, name := range names {
		open(name)
	}
	<-allDone

	// Never more than two between a check's first step and its last step_end.
	tl.mu.Lock()
	defer tl.mu.Unlock()
	last := make(map[string]int)
	for i, e := range tl.events {
		if e.Type == TypeStepEnd {
			last[e.check] = i
		}
	}
	inStep := make(map[string]bool)
	for i, e := range tl.events {
		if e.Type == TypeStep {
			inStep[e.check] = true
			if len(inStep) > r.MaxChecks {
				t.Fatalf("event %d: %d checks running at once (%v), want at most %d", i, len(inStep), inStep, r.MaxChecks)
			}
		}
		if e.Type == TypeStepEnd && last[e.check] == i {
			delete(inStep, e.check)
		}
		if e.Type == TypeQueued && e.Place < 1 {
			t.Errorf("queued event with place %d", e.Place)
		}
	}
	for _, name := range names {
		if name == first {
			continue
		}
		if res := <-results[name]; !res.Pass {
			t.Errorf("check %s: got %+v, want a pass", name, res)
		}
	}
}
