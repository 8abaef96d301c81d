//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// screen collects what a program writes to its terminal.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the screen shows text after offset from, and returns
// the offset just after it.
func (s *screen) waitFor(t *testing.T, from int, text string) int {
	t.Helper()
	// No bound of its own that a slow machine could miss: the test's
	// deadline (go test -timeout), less a margin to print the screen.
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Hour)
	}
	deadline = deadline.Add(-10 * time.Second)
	for time.Now().Before(deadline) {
		out := s.String()
		if i := strings.Index(out[min(from, len(out)):], text); i >= 0 {
			return from + i + len(text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; it shows:\n%s", text, s.String())
	return 0
}

// startWatch builds the workbook, makes a workspace and starts `workbook
// watch NAME` in a pseudo-terminal.
func startWatch(t *testing.T, name string) (ws string, scr *screen, keys *os.File, done <-chan error) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "workbook")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	// The workbook's own caches (its checks' work dirs) go under the test's
	// directory, where assertNothingRunsIn looks; the build cache stays the
	// test's own, warm one: a new XDG_CACHE_HOME would move GOCACHE too and
	// every check would compile the race-instrumented standard library anew.
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	ws = filepath.Join(dir, "ws")
	env := append(os.Environ(), "NO_COLOR=1", "WORKBOOK_NO_WARM=1", "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"GOCACHE="+strings.TrimSpace(string(gocache)))
	init := exec.Command(bin, "init", ws)
	init.Env = env
	if out, err := init.CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	master, tty := openPTY(t)
	cmd := exec.Command(bin, "--workspace", ws, "watch", name)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	scr = &screen{}
	go func() { _, _ = scr.ReadFrom(master) }()
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		master.Close()
		assertNothingRunsIn(t, filepath.Join(dir, "cache"))
	})
	return ws, scr, master, errc
}

func (s *screen) ReadFrom(f *os.File) (int64, error) {
	buf := make([]byte, 4096)
	var n int64
	for {
		k, err := f.Read(buf)
		s.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
}

// assertNothingRunsIn fails if a process works in a directory under dir.
func assertNothingRunsIn(t *testing.T, dir string) {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		if cwd, err := os.Readlink(p + "/cwd"); err == nil && strings.HasPrefix(cwd, dir+"/") {
			t.Errorf("process %s still runs in %s", p, cwd)
		}
	}
}

func solution(t *testing.T, name, file string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "exercises", name, "testdata", "solution", file))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestWatchPassMovesOn saves the solution while watch runs in a terminal: the
// check passes, and watch moves to the next exercise; keys work.
func TestWatchPassMovesOn(t *testing.T) {
	ws, scr, keys, done := startWatch(t, "escape-request-id")
	at := scr.waitFor(t, 0, "FAIL escape-request-id")
	at = scr.waitFor(t, at, "Save to re-check")

	saved := time.Now()
	if err := os.WriteFile(filepath.Join(ws, "escape-request-id", "tracing.go"), solution(t, "escape-request-id", "tracing.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	at = scr.waitFor(t, at, "↻ saved")
	t.Logf("from save to the first line of new output: %v", time.Since(saved))
	at = scr.waitFor(t, at, "PASS escape-request-id")
	// On to the next exercise of the curriculum, which fails as shipped.
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(cat.List, func(ex *exercises.Exercise) bool { return ex.Name == "escape-request-id" })
	if i < 0 || i+1 == len(cat.List) {
		t.Fatalf("escape-request-id is at %d of %d exercises; this test needs an exercise after it", i, len(cat.List))
	}
	next := cat.List[i+1].Name
	at = scr.waitFor(t, at, "Watching "+next)
	at = scr.waitFor(t, at, "FAIL "+next)

	keys.Write([]byte("h"))
	at = scr.waitFor(t, at, "Hint 1 of")
	keys.Write([]byte("p"))
	at = scr.waitFor(t, at, "Watching escape-request-id")
	scr.waitFor(t, at, "PASS escape-request-id")
	keys.Write([]byte("q"))
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("watch exited with %v", err)
		}
	case <-exited(t):
		t.Fatal("watch did not quit on q")
	}
	if data, _ := os.ReadFile(filepath.Join(ws, ".workbook", "progress.json")); !bytes.Contains(data, []byte(`"done": true`)) {
		t.Errorf("the pass was not recorded:\n%s", data)
	}
}

// TestWatchSaveCancelsRun saves twice: the second save stops the check the
// first one started, which would otherwise hang for the test's timeout.
func TestWatchSaveCancelsRun(t *testing.T) {
	ws, scr, keys, done := startWatch(t, "escape-request-id")
	at := scr.waitFor(t, 0, "Save to re-check")
	file := filepath.Join(ws, "escape-request-id", "tracing.go")
	shipped, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// A parser that blocks forever: its check runs until go test's -timeout.
	hang := bytes.Replace(shipped, []byte("\tvar sc SpanContext\n"), []byte("\tvar sc SpanContext\n\tselect {}\n"), 1)
	if bytes.Equal(hang, shipped) {
		t.Fatal("could not make the code hang")
	}
	if err := os.WriteFile(file, hang, 0o644); err != nil {
		t.Fatal(err)
	}
	at = scr.waitFor(t, at, "$ go test")
	time.Sleep(500 * time.Millisecond)
	if err := os.WriteFile(file, solution(t, "escape-request-id", "tracing.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	at = scr.waitFor(t, at, "saved again: stopping the running check")
	at = scr.waitFor(t, at, "stopped; nothing of the check is left running")
	scr.waitFor(t, at, "PASS escape-request-id")
	keys.Write([]byte("q"))
	select {
	case <-done:
	case <-exited(t):
		t.Fatal("watch did not quit on q")
	}
}

// exited is closed shortly before the test's deadline: what a test waits
// for has not happened by then.
func exited(t *testing.T) <-chan time.Time {
	deadline, ok := t.Deadline()
	if !ok {
		return nil
	}
	return time.After(time.Until(deadline) - 10*time.Second)
}
