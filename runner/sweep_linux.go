package runner

import (
	"os"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// killStale kills every process still running for the stale work
// directories dirs — those started with one of them as their check's mark, those
// an older workbook ran from inside one of them, and everything below these — and
// waits until they are dead. Their workbook is gone, so they are orphans: of
// init, or of this workbook when it is the subreaper above them, and then it
// reaps them. Such a child is never one os/exec waits for: a check of this
// workbook holds the lock of its directory, which is then not stale.
func killStale(dirs []string) {
	buf := newProcBuf()
	self := os.Getpid()
	staleDir := func(pid int) bool {
		if dir, ok := procEnv(pid, checkDirEnv); ok {
			return slices.Contains(dirs, dir)
		}
		// A workbook before the mark: its test binary, built and run in the
		// work dir. (A shell that merely sits in the directory is no check's.)
		cwd, exe := procLink(pid, "cwd"), procLink(pid, "exe")
		for _, d := range dirs {
			if within(cwd, d) && within(exe, d) {
				return true
			}
		}
		return false
	}
	seen := make(map[procID]bool) // whether a process, once looked at, is stale
	deadline := time.Now().Add(30 * time.Second)
	for wait := time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 50*time.Millisecond) {
		procs := buf.scan()
		children := make(map[int][]int)
		var queue []int
		for pid, st := range procs {
			children[st.ppid] = append(children[st.ppid], pid)
			doomed, known := seen[st.id]
			if !known && pid != self && st.state != 'Z' {
				doomed = staleDir(pid)
				seen[st.id] = doomed
			}
			if doomed {
				queue = append(queue, pid)
			}
		}
		for len(queue) > 0 {
			pid := queue[0]
			queue = queue[1:]
			for _, c := range children[pid] {
				if id := procs[c].id; !seen[id] {
					seen[id] = true
					queue = append(queue, c)
				}
			}
		}
		alive := 0
		for pid, st := range procs {
			if !seen[st.id] {
				continue
			}
			if st.state != 'Z' {
				signalProc(st.id, syscall.SIGKILL, buf)
				alive++
			} else if st.ppid == self {
				var ws unix.WaitStatus
				_, _ = unix.Wait4(pid, &ws, unix.WNOHANG, nil)
			}
		}
		if alive == 0 {
			return
		}
		time.Sleep(wait)
	}
}
