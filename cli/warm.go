package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// A cold `go test -race` compiles the race runtime and the standard library
// packages first: tens of seconds on a laptop. Warming runs every exercise's
// check on its shipped code, in the same work directories the learner's
// checks use, so that their first check finds everything compiled. One warm
// runs at a time per build cache; a check that arrives meanwhile waits for
// it instead of compiling the same packages a second time.

// warmStatus is what a warm reports, for the commands that wait for it.
type warmStatus struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Done    int       `json:"done"`
	Total   int       `json:"total"`
}

func warmFiles(r *runner.Runner) (lock, status string) {
	return filepath.Join(r.WorkRoot, "warm.lock"), filepath.Join(r.WorkRoot, "warm.json")
}

func (a *app) cmdWarm(args []string) error {
	fs := flag.NewFlagSet("warm", flag.ContinueOnError)
	quiet := fs.Bool("quiet", false, "print nothing (for the background warm that init starts)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("usage: workbook warm")
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.WorkRoot, 0o777); err != nil {
		return err
	}
	lockPath, statusPath := warmFiles(r)
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if *quiet {
			return nil
		}
		fmt.Fprintln(a.stdout, "Another warm is running; waiting for it.")
		return a.waitWarm(r)
	}
	st := warmStatus{PID: os.Getpid(), Started: time.Now().UTC(), Total: len(a.cat.List)}
	write := func() {
		data, _ := json.Marshal(st)
		_ = os.WriteFile(statusPath, data, 0o666)
	}
	write()
	defer os.Remove(statusPath)
	start := time.Now()
	if !*quiet {
		fmt.Fprintf(a.stdout, "Warming the build cache for %d exercises…\n", st.Total)
	}
	jobs := make(chan *exercises.Exercise)
	done := make(chan string)
	for range runtime.NumCPU() {
		go func() {
			for ex := range jobs {
				c := ex.Check("", ex.Start)
				c.NoQueue = true // the warm-up takes no learner's slot
				r.Run(a.ctx, c, runner.SinkFunc(func(runner.Event) {}))
				done <- ex.Name
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, ex := range a.cat.List {
			select {
			case jobs <- ex:
			case <-a.ctx.Done():
				return
			}
		}
	}()
	for st.Done < st.Total {
		select {
		case name := <-done:
			st.Done++
			write()
			if !*quiet {
				fmt.Fprintf(a.stdout, "  %2d/%d %s\n", st.Done, st.Total, name)
			}
		case <-a.ctx.Done():
			return a.ctx.Err()
		}
	}
	_ = os.WriteFile(filepath.Join(r.WorkRoot, "warm.done"), a.warmMark(r), 0o666)
	if !*quiet {
		fmt.Fprintf(a.stdout, "Warm in %s: checks now start from a full build cache.\n", time.Since(start).Round(100*time.Millisecond))
	}
	return nil
}

// waitWarm waits, showing progress on stderr, while a warm holds the build cache.
func (a *app) waitWarm(r *runner.Runner) error {
	st := style{a.color}
	return waitWarm(a.ctx, r, func(done, total int) {
		fmt.Fprintf(a.stderr, "%s\n", st.dim(warmWaitMessage(done, total)))
	})
}

func warmWaitMessage(done, total int) string {
	return fmt.Sprintf("Waiting for the build cache to warm up (%d of %d exercises): your check then starts at full speed.", done, total)
}

// waitWarm waits while a warm holds the build cache, calling report whenever
// its progress changes.
func waitWarm(ctx context.Context, r *runner.Runner, report func(done, total int)) error {
	lockPath, statusPath := warmFiles(r)
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil // no warm can be running either
	}
	defer lock.Close()
	if syscall.Flock(int(lock.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) == nil {
		return nil
	}
	last := -1
	got := make(chan error, 1)
	go func() { got <- syscall.Flock(int(lock.Fd()), syscall.LOCK_SH) }()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		var ws warmStatus
		if data, err := os.ReadFile(statusPath); err == nil && json.Unmarshal(data, &ws) == nil && ws.Done != last {
			last = ws.Done
			report(ws.Done, ws.Total)
		}
		select {
		case <-got:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// warmProgress reports on a warm that is running, for the site's banner.
func warmProgress(r *runner.Runner) (done, total int, running bool) {
	lockPath, statusPath := warmFiles(r)
	lock, err := os.Open(lockPath)
	if err != nil {
		return 0, 0, false
	}
	defer lock.Close()
	if syscall.Flock(int(lock.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) == nil {
		return 0, 0, false
	}
	var ws warmStatus
	data, _ := os.ReadFile(statusPath)
	_ = json.Unmarshal(data, &ws)
	return ws.Done, ws.Total, true
}

// warmMark identifies a completed warm: the Go version and the catalog. A
// warm that finished writes it to warm.done; serve warms again only when it changed.
func (a *app) warmMark(r *runner.Runner) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", r.Go.Version, r.Go.Vars["GOROOT"])
	for _, ex := range a.cat.List {
		fmt.Fprintf(h, "%s\n", ex.Name)
		h.Write(ex.Script)
	}
	return []byte(hex.EncodeToString(h.Sum(nil)) + "\n")
}

// warmed reports whether a warm finished for this Go and these exercises.
func (a *app) warmed(r *runner.Runner) bool {
	data, err := os.ReadFile(filepath.Join(r.WorkRoot, "warm.done"))
	return err == nil && bytes.Equal(data, a.warmMark(r))
}

// startWarm starts `workbook warm` in the background, detached from this
// terminal, so that it goes on after this command returns, and says so on w.
// WORKBOOK_NO_WARM=1 turns it off (tests set it).
func (a *app) startWarm(w io.Writer) {
	if os.Getenv("WORKBOOK_NO_WARM") != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return
	}
	defer devnull.Close()
	cmd := exec.Command(exe, "warm", "--quiet")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return
	}
	_ = cmd.Process.Release()
	fmt.Fprintln(w, "The Go build cache is warming in the background, so that your first check is fast (`workbook warm` shows its progress).")
}
