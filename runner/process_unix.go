//go:build unix && !linux

package runner

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// On macOS and the BSDs a step is its process group, as before subreapers:
// there is no /proc to walk and no subreaper to inherit orphans, so a learner's
// process that leaves the group (setsid, setpgid) escapes, and the learner's
// memory is not bounded. This file is verified by compilation only (see doc.go).

type tree struct {
	cmd  *exec.Cmd
	pgid int
}

func newTree(cmd *exec.Cmd, lim limits) *tree {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return &tree{cmd: cmd}
}

func (t *tree) started() error {
	t.pgid = t.cmd.Process.Pid
	return nil
}

func (t *tree) poll() int64          { return 0 }
func (t *tree) interrupt()           { _ = syscall.Kill(-t.pgid, syscall.SIGINT) }
func (t *tree) killLearner()         { t.kill() }
func (t *tree) kill()                { _ = syscall.Kill(-t.pgid, syscall.SIGKILL) }
func (t *tree) exited()              {}
func (t *tree) hitMemoryLimit() bool { return false }
func (t *tree) close()               {}

// cleanup kills whatever is left of the process group and waits, briefly,
// until it is gone.
func (t *tree) cleanup() error {
	t.kill()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(-t.pgid, 0); errors.Is(err, syscall.ESRCH) {
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return errors.New("the step's process group would not stop")
}

func becomeSubreaper() {}
