// Package warm compiles what checks need before the learner presses Check:
// first what every check shares (the standard library packages the
// exercises import, race-instrumented and not, and vet's facts about them),
// then the exercise the learner is on and the one after it, then the rest —
// each by running its check on the shipped code, in the work directory its
// checks use, so that the go command's build cache has everything.
//
// A cold `go test -race` spends tens of seconds compiling the race runtime
// and the standard library; after a warm, a check takes under a second.
//
// The warm never holds a check up. The workbook runs it in a process of its
// own at the lowest CPU priority (LowerPriority), it starts no new job while
// a check is running (runner.Runner.ChecksActive), and checks never wait for
// it: the go command's cache is safe for concurrent use, so a check that
// arrives first compiles what it needs itself, at full priority.
//
// One warm runs at a time per runner work root (warm.lock); it reports its
// progress in warm.json, and a warm that finished writes warm.done with a
// mark of the Go version and the catalog, so that it never runs twice for
// them.
package warm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/filelock"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// Status is what a warm reports while it runs.
type Status struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Done    int       `json:"done"`  // jobs finished
	Total   int       `json:"total"` // jobs in all
	Job     string    `json:"job"`   // what it compiles now: "the standard library" or an exercise
}

// Config is what a warm compiles and whom it tells.
type Config struct {
	Runner  *runner.Runner
	Catalog *exercises.Catalog
	// Only, when not empty, limits the warm to these exercises (and does not
	// record a finished warm).
	Only []*exercises.Exercise
	// Workspace, when set, says which exercise the learner is on: it is
	// warmed right after the standard library, then the next one.
	Workspace *workspace.Workspace
	// Progress, when set, is called after each job.
	Progress func(Status)
	// pause is how long to wait before asking again whether checks are
	// still running; tests shorten it.
	pause time.Duration
	// yielded, when set, is called each time the warm waits for a check.
	yielded func()
}

// ErrRunning is returned by Run when another warm holds the work root.
var ErrRunning = errors.New("another warm is running")

func files(r *runner.Runner) (lock, status, done string) {
	return filepath.Join(r.WorkRoot, "warm.lock"), filepath.Join(r.WorkRoot, "warm.json"), filepath.Join(r.WorkRoot, "warm.done")
}

// Run warms the build cache and returns when it is done, when ctx is done,
// or at once with ErrRunning when another warm is running.
func Run(ctx context.Context, cfg Config) error {
	r := cfg.Runner
	if err := os.MkdirAll(r.WorkRoot, 0o777); err != nil {
		return fmt.Errorf("warm: %w", err)
	}
	lockPath, statusPath, donePath := files(r)
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return fmt.Errorf("warm: %w", err)
	}
	defer lock.Close()
	if err := filelock.TryLock(lock); errors.Is(err, filelock.ErrLocked) {
		return ErrRunning
	} else if err != nil {
		return fmt.Errorf("warm: %w", err)
	}
	defer os.Remove(statusPath)

	list := cfg.Catalog.List
	if len(cfg.Only) > 0 {
		list = cfg.Only
	}
	st := Status{PID: os.Getpid(), Started: time.Now().UTC(), Total: len(list) + 1, Job: "the standard library"}
	report := func() {
		data, _ := json.Marshal(st)
		_ = os.WriteFile(statusPath, data, 0o666)
		if cfg.Progress != nil {
			cfg.Progress(st)
		}
	}
	report()
	pause := cfg.pause
	if pause == 0 {
		pause = 200 * time.Millisecond
	}
	run := func(c runner.Check) error {
		// Yield: no new job while a learner's check runs.
		for r.ChecksActive() {
			if cfg.yielded != nil {
				cfg.yielded()
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(pause):
			}
		}
		c.Background = true
		r.Run(ctx, c, runner.SinkFunc(func(runner.Event) {}))
		return ctx.Err()
	}

	if err := run(sharedCheck(cfg.Catalog)); err != nil {
		return err
	}
	st.Done++
	todo := slices.Clone(list)
	for len(todo) > 0 {
		ex := next(cfg, todo)
		todo = slices.DeleteFunc(todo, func(e *exercises.Exercise) bool { return e == ex })
		st.Job = ex.Name
		report()
		if err := run(ex.Check("", ex.Start)); err != nil {
			return err
		}
		st.Done++
	}
	st.Job = ""
	report()
	if len(cfg.Only) == 0 {
		_ = os.WriteFile(donePath, Mark(r, cfg.Catalog), 0o666)
	}
	return nil
}

// next picks the exercise to warm now among todo: the learner's current
// exercise, then the one after it, then the catalog's order.
func next(cfg Config, todo []*exercises.Exercise) *exercises.Exercise {
	if cfg.Workspace != nil {
		if p, err := cfg.Workspace.Progress(); err == nil {
			cur := p.Resume(cfg.Catalog)
			for _, want := range []*exercises.Exercise{cur, p.NextAfter(cfg.Catalog, cur)} {
				if want != nil && slices.Contains(todo, want) {
					return want
				}
			}
		}
	}
	return todo[0]
}

// Mark identifies a finished warm: the Go version, its build cache and the
// catalog's checks.
func Mark(r *runner.Runner, cat *exercises.Catalog) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", r.Go.Version, r.Go.Vars["GOROOT"], r.Go.Vars["GOCACHE"])
	for _, ex := range cat.List {
		fmt.Fprintf(h, "%s\n", ex.Name)
		h.Write(ex.Script)
	}
	return []byte(hex.EncodeToString(h.Sum(nil)) + "\n")
}

// Done reports whether a warm finished for this Go and this catalog.
func Done(r *runner.Runner, cat *exercises.Catalog) bool {
	_, _, donePath := files(r)
	data, err := os.ReadFile(donePath)
	return err == nil && bytes.Equal(data, Mark(r, cat))
}

// Progress reports on the warm that is running, if one is.
func Progress(r *runner.Runner) (Status, bool) {
	lockPath, statusPath, _ := files(r)
	lock, err := os.Open(lockPath)
	if err != nil {
		return Status{}, false
	}
	defer lock.Close()
	if err := filelock.TryRLock(lock); !errors.Is(err, filelock.ErrLocked) {
		return Status{}, false // nobody holds it: no warm runs
	}
	var st Status
	data, _ := os.ReadFile(statusPath)
	_ = json.Unmarshal(data, &st)
	return st, true
}
