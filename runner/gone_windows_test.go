package runner

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// assertGone checks that none of the processes listed in pidFile is alive.
func assertGone(t *testing.T, pidFile string) {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the test binary never wrote its pids: %v", err)
	}
	const stillActive = 259
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION|windows.PROCESS_TERMINATE, false, uint32(pid))
		if err != nil {
			continue // gone
		}
		var code uint32
		if windows.GetExitCodeProcess(h, &code) == nil && code == stillActive {
			t.Errorf("process %d is still alive after the check", pid)
			windows.TerminateProcess(h, 1)
		}
		windows.CloseHandle(h)
	}
}
