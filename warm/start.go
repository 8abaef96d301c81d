package warm

import (
	"os"
	"os/exec"
)

// Start starts `exe args...` (the workbook's own `warm` command) in the
// background, detached from this terminal so that it goes on after this
// command returns, with no input or output. The returned wait, called in a
// goroutine by a long-lived caller such as serve, reaps it when it ends.
func Start(exe string, args ...string) (wait func(), err error) {
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	cmd.SysProcAttr = detached()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() { _ = cmd.Wait() }, nil
}
