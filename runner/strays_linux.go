package runner

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// As a subreaper the workbook inherits the orphans of every command it runs,
// not only of checks: a browser that the opener started and left, a
// background warm-up whose parent let it go. When one exits, nothing waits for
// it, and it would stay a zombie for as long as the workbook runs.
//
// reapStrays reaps those, and never a child that os/exec will wait for: on
// Linux 5.4 and later os keeps a pidfd open for each process it started until
// it has waited for it, so a zombie child without a pidfd in the workbook's
// descriptor table is nobody's. It first makes sure that this is so here: the
// running go command of the step, witness, must be held by a pidfd (os does
// without them on older kernels, and then reapStrays does nothing).
func reapStrays(procs map[int]procStat, self, witness int, members map[int]*member) {
	var strays []int
	for pid, st := range procs {
		if st.state == 'Z' && st.ppid == self && members[pid] == nil {
			strays = append(strays, pid)
		}
	}
	if len(strays) == 0 {
		return
	}
	held := pidfdPids()
	if !held[witness] {
		return
	}
	for _, pid := range strays {
		if !held[pid] {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		}
	}
}

// pidfdPids returns the pids that the pidfds open in this process refer to.
func pidfdPids() map[int]bool {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	pids := make(map[int]bool)
	for _, e := range entries {
		// "anon_inode:[pidfd]", or "pidfd:[N]" since Linux 6.9.
		if link, _ := os.Readlink("/proc/self/fd/" + e.Name()); !strings.Contains(link, "pidfd") {
			continue
		}
		data, err := os.ReadFile("/proc/self/fdinfo/" + e.Name())
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Pid:"); ok {
				if pid, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && pid > 0 {
					pids[pid] = true
				}
			}
		}
	}
	return pids
}
