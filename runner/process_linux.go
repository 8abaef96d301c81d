package runner

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// On Linux a step's processes are found by walking /proc (see doc.go): the
// go command and everything below it, and the check's orphans, which the
// workbook inherits because it is a child subreaper.

// walkEvery is the least time between two walks of /proc; a walk that is
// slow (many processes) spaces them further, so that a step's tracking stays
// below a few per cent of a core.
const walkEvery = 100 * time.Millisecond

// tree is the processes of one step.
type tree struct {
	cmd      *exec.Cmd
	lim      limits
	self     int
	root     procID // the go command
	rootExe  string
	rootDone bool // os/exec reaped the go command: its pid may name another process now
	members  map[int]*member
	notOurs  map[procID]bool // the workbook's children that belong to no check of this step
	pageSize int64
	buf      *procBuf
	lastWalk time.Time
	walkCost time.Duration
}

// member is one process of the step.
type member struct {
	procStat
	// learner marks the learner's programs (a test binary, a `go run`
	// program, and what they start), whose memory is bounded, as opposed to
	// the toolchain.
	learner bool
	// settled is false for a child of the go command that has not yet
	// exec'd: whether it is the learner's program is not known yet.
	settled bool
}

func newTree(cmd *exec.Cmd, lim limits) *tree {
	becomeSubreaper()
	// Its own process group, so that a terminal's Ctrl-C reaches the workbook
	// alone, which then stops the step in order; and the go command dies
	// with the workbook.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	return &tree{
		cmd:      cmd,
		lim:      lim,
		self:     os.Getpid(),
		members:  make(map[int]*member),
		notOurs:  make(map[procID]bool),
		pageSize: int64(os.Getpagesize()),
		buf:      newProcBuf(),
	}
}

// becomeSubreaper makes the workbook the parent of every orphan among its
// descendants, instead of init: a process of a check whose parent exits
// (a double fork, a killed go command) stays where the step can find it and
// cannot outlive the workbook's notice. It is a property of the whole process
// and harmless to set again.
func becomeSubreaper() {
	_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}

func (t *tree) started() error {
	pid := t.cmd.Process.Pid
	st, ok := t.buf.read(pid)
	if !ok {
		// Gone already: exited (a zombie still has a stat) cannot be, so
		// something is wrong with /proc; keep the pid, without start time.
		st.id = procID{pid: pid}
	}
	t.root = st.id
	t.rootExe = procLink(pid, "exe")
	t.members[pid] = &member{procStat: st, settled: true}
	return nil
}

// poll is called every pollEvery while the step runs: it finds new processes
// (a walk, now and then) and returns the memory the learner's programs use.
func (t *tree) poll() int64 {
	if time.Since(t.lastWalk) >= max(walkEvery, 25*t.walkCost) {
		t.walk()
	} else {
		t.refreshLearners()
	}
	var rss int64
	for _, m := range t.members {
		if m.learner && m.state != 'Z' {
			rss += m.rss * t.pageSize
		}
	}
	return rss
}

// walk updates the members from one walk of /proc, and reaps the members that
// are dead children of the workbook.
func (t *tree) walk() {
	start := time.Now()
	procs := t.buf.scan()
	children := make(map[int][]int)
	for pid, st := range procs {
		children[st.ppid] = append(children[st.ppid], pid)
	}
	for pid, m := range t.members {
		st, ok := procs[pid]
		if !ok || st.id != m.id {
			delete(t.members, pid) // reaped
			continue
		}
		m.procStat = st
	}
	// Orphans of the step that were reparented to the workbook before a
	// walk saw them under their parent: they carry the check's mark.
	for _, pid := range children[t.self] {
		st := procs[pid]
		if t.members[pid] != nil || !t.rootDone && pid == t.root.pid || t.notOurs[st.id] {
			continue
		}
		if !t.ours(pid) {
			t.notOurs[st.id] = true
			continue
		}
		t.members[pid] = &member{procStat: st, learner: !t.toolchain(procLink(pid, "exe")), settled: true}
	}
	// Everything below a member is a member.
	queue := make([]int, 0, len(t.members))
	for pid := range t.members {
		queue = append(queue, pid)
	}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		parent := t.members[pid]
		fromGo := !t.rootDone && pid == t.root.pid
		for _, c := range children[pid] {
			m := t.members[c]
			if m == nil {
				m = &member{procStat: procs[c], learner: parent.learner, settled: !fromGo}
				t.members[c] = m
				queue = append(queue, c)
			}
			if !m.settled {
				t.classify(m)
			}
		}
	}
	t.reap()
	if !t.rootDone {
		reapStrays(procs, t.self, t.root.pid, t.members)
	}
	t.lastWalk, t.walkCost = time.Now(), time.Since(start)
}

// classify decides whether a child of the go command is the learner's
// program: one the go command built, run from its temporary directory in the
// check's work dir, or from the build cache (`go run` caches executables).
// Until the child has exec'd, its executable is the go command's own.
func (t *tree) classify(m *member) {
	exe := procLink(m.id.pid, "exe")
	if exe == "" || exe == t.rootExe {
		return
	}
	m.settled = true
	m.learner = within(exe, t.lim.dir) || within(exe, t.lim.gocache)
}

// toolchain reports whether exe is the go command or one of its tools.
func (t *tree) toolchain(exe string) bool {
	return exe == t.rootExe || within(exe, t.lim.goroot)
}

// ours reports whether the process pid belongs to this step's check: it was
// started with the check's mark, or works inside the check's directory.
func (t *tree) ours(pid int) bool {
	if dir, ok := procEnv(pid, checkDirEnv); ok {
		return dir == t.lim.dir
	}
	return within(procLink(pid, "cwd"), t.lim.dir)
}

// reap collects the exit status of the members that died as children of the
// workbook, by their own pid: os/exec waits for the go command itself, and a
// wait for any child would steal the status of other commands the workbook runs.
func (t *tree) reap() {
	for pid, m := range t.members {
		if m.state != 'Z' || m.ppid != t.self || !t.rootDone && pid == t.root.pid {
			continue
		}
		var ws unix.WaitStatus
		if wpid, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil); wpid == pid || errors.Is(err, unix.ECHILD) {
			delete(t.members, pid)
		}
	}
}

// refreshLearners rereads the stat of the learner's programs only: the
// memory check between two walks.
func (t *tree) refreshLearners() {
	for pid, m := range t.members {
		if !m.learner {
			continue
		}
		if st, ok := t.buf.read(pid); ok && st.id == m.id {
			m.procStat = st
		} else {
			delete(t.members, pid)
		}
	}
}

// signal sends sig to every live member, or only to the learner's programs.
func (t *tree) signal(sig syscall.Signal, learnerOnly bool) {
	for pid, m := range t.members {
		if m.state == 'Z' || learnerOnly && !m.learner {
			continue
		}
		if !t.rootDone && pid == t.root.pid {
			_ = t.cmd.Process.Signal(sig)
			continue
		}
		signalProc(m.id, sig, t.buf)
	}
}

// interrupt asks every process of the step to stop (SIGINT): a test binary
// then prints where it was.
func (t *tree) interrupt() {
	t.walk()
	t.signal(syscall.SIGINT, false)
	if !t.rootDone {
		// Also what was forked in the go command's group since the walk.
		_ = syscall.Kill(-t.root.pid, syscall.SIGINT)
	}
}

// killLearner kills the learner's programs at once (the memory bound): the
// go command then reports how its test binary ended.
func (t *tree) killLearner() {
	t.walk()
	t.signal(syscall.SIGKILL, true)
}

// kill kills every process of the step.
func (t *tree) kill() {
	t.walk()
	t.signal(syscall.SIGKILL, false)
	if !t.rootDone {
		_ = syscall.Kill(-t.root.pid, syscall.SIGKILL)
	}
}

// exited records that os/exec has reaped the go command.
func (t *tree) exited() {
	t.rootDone = true
	if m := t.members[t.root.pid]; m != nil && m.id == t.root {
		delete(t.members, t.root.pid)
	}
}

// cleanup kills whatever of the step outlived the go command and waits until
// all of it is gone: dead and reaped, by the workbook or by a parent of the
// step that is itself dying.
func (t *tree) cleanup() error {
	deadline := time.Now().Add(30 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		t.walk()
		if len(t.members) == 0 {
			return nil
		}
		t.signal(syscall.SIGKILL, false)
		if time.Now().After(deadline) {
			var left []int
			for pid := range t.members {
				left = append(left, pid)
			}
			slices.Sort(left)
			return fmt.Errorf("processes %v of the step would not stop", left)
		}
		time.Sleep(wait)
	}
}

// hitMemoryLimit reports a memory bound the system enforced by itself; on
// Linux the workbook enforces it in poll.
func (t *tree) hitMemoryLimit() bool { return false }

func (t *tree) close() {}

// signalProc sends sig to the process id, and to no other process that has
// come to have its pid: a pidfd pins the pid, and the start time read after
// it was opened proves which process it pins.
func signalProc(id procID, sig syscall.Signal, buf *procBuf) {
	fd, err := unix.PidfdOpen(id.pid, 0)
	if errors.Is(err, unix.ENOSYS) {
		// Before Linux 5.3: the window between the check and the kill is a
		// few microseconds, and the pid would have to be reaped and reused
		// within it.
		if st, ok := buf.read(id.pid); ok && st.id == id {
			_ = syscall.Kill(id.pid, sig)
		}
		return
	}
	if err != nil {
		return // gone
	}
	defer unix.Close(fd)
	if st, ok := buf.read(id.pid); ok && st.id == id {
		_ = unix.PidfdSendSignal(fd, sig, nil, 0)
	}
}
