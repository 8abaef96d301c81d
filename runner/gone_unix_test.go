//go:build unix

package runner

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// assertGone checks that none of the processes listed in pidFile is alive.
func assertGone(t *testing.T, pidFile string) {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the test binary never wrote its pids: %v", err)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			// A zombie waiting for its parent is dead too; look at its state.
			stat, _ := os.ReadFile("/proc/" + f + "/stat")
			if !strings.Contains(string(stat), ") Z ") {
				t.Errorf("process %d is still alive after the check: %s", pid, stat)
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
}
