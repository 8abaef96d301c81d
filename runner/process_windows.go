package runner

import (
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows a step's processes are held in a Job Object: every process the
// go command starts is in the job from its first instruction (the go command
// starts suspended and is resumed only once it is in the job, and children
// inherit the job), TerminateJobObject ends all of them at once, and the job
// kills them when its last handle closes, so even a killed workbook leaves
// nothing running. The memory bound is the job's: each process may commit at
// most MemoryLimit, and the whole job MemoryLimit plus what the toolchain may
// need (toolchainMemory), so the compiler is not bounded by the learner's limit.
// There is no interrupt on Windows: a stopped step is terminated at once.
// This file is verified by compilation only (see doc.go).

// toolchainMemory is what the go command and its compilers may commit on top
// of the learner's programs before the job's own bound stops them all.
const toolchainMemory = 2 << 30

type tree struct {
	cmd *exec.Cmd
	lim limits
	job windows.Handle
	err error // the job could not be made
}

func newTree(cmd *exec.Cmd, lim limits) *tree {
	t := &tree{cmd: cmd, lim: lim}
	t.job, t.err = newJob(lim.memory)
	// Suspended until it is in the job; its own console group, so that a
	// Ctrl-C reaches the workbook alone, which then stops the step.
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_SUSPENDED | windows.CREATE_NEW_PROCESS_GROUP}
	return t
}

// newJob makes a job that kills its processes when its last handle closes,
// with the memory bounds when memory > 0.
func newJob(memory int64) (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, err
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if memory > 0 {
		info.BasicLimitInformation.LimitFlags |= windows.JOB_OBJECT_LIMIT_PROCESS_MEMORY | windows.JOB_OBJECT_LIMIT_JOB_MEMORY
		info.ProcessMemoryLimit = clampUintptr(uint64(memory))
		info.JobMemoryLimit = clampUintptr(uint64(memory) + toolchainMemory)
	}
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return 0, err
	}
	return job, nil
}

func clampUintptr(n uint64) uintptr {
	if uint64(uintptr(n)) != n {
		return ^uintptr(0)
	}
	return uintptr(n)
}

// started puts the suspended go command in the job and resumes it.
func (t *tree) started() error {
	pid := t.cmd.Process.Pid
	err := t.err
	if err == nil {
		err = t.assign(pid)
	}
	if err == nil {
		err = resume(pid)
	}
	if err != nil {
		_ = t.cmd.Process.Kill()
		return fmt.Errorf("cannot hold the step's processes in a Job Object: %w", err)
	}
	return nil
}

func (t *tree) assign(pid int) error {
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	return windows.AssignProcessToJobObject(t.job, h)
}

// resume resumes the threads of a process started suspended (os/exec closes
// the handle of its first thread, so it is found among all threads).
func resume(pid int) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(snap)
	var te windows.ThreadEntry32
	te.Size = uint32(unsafe.Sizeof(te))
	resumed := 0
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != uint32(pid) {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if err != nil {
			return err
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return err
		}
		resumed++
	}
	if resumed == 0 {
		return errors.New("no thread to resume")
	}
	return nil
}

func (t *tree) poll() int64  { return 0 } // the job enforces the bound itself
func (t *tree) interrupt()   { t.kill() }
func (t *tree) killLearner() { t.kill() }
func (t *tree) kill()        { _ = windows.TerminateJobObject(t.job, 1) }
func (t *tree) exited()      {}

// jobAccounting is JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.
type jobAccounting struct {
	TotalUserTime, TotalKernelTime  int64
	ThisPeriodTotalUserTime         int64
	ThisPeriodTotalKernelTime       int64
	TotalPageFaultCount             uint32
	TotalProcesses, ActiveProcesses uint32
	TotalTerminatedProcesses        uint32
}

// cleanup terminates what is left in the job and waits until it is empty.
func (t *tree) cleanup() error {
	t.kill()
	deadline := time.Now().Add(30 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var acct jobAccounting
		err := windows.QueryInformationJobObject(t.job, windows.JobObjectBasicAccountingInformation,
			uintptr(unsafe.Pointer(&acct)), uint32(unsafe.Sizeof(acct)), nil)
		if err != nil || acct.ActiveProcesses == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d processes of the step would not stop", acct.ActiveProcesses)
		}
		time.Sleep(wait)
	}
}

// hitMemoryLimit reports whether a process of the step, or the whole job,
// came within an allocation of its bound: the system refused it memory, and
// a Go program then dies with "out of memory".
func (t *tree) hitMemoryLimit() bool {
	if t.lim.memory <= 0 {
		return false
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	if err := windows.QueryInformationJobObject(t.job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil); err != nil {
		return false
	}
	near := func(used, limit uintptr) bool { return limit > 0 && used >= limit-limit/8 }
	return near(info.PeakProcessMemoryUsed, info.ProcessMemoryLimit) || near(info.PeakJobMemoryUsed, info.JobMemoryLimit)
}

func (t *tree) close() {
	if t.job != 0 {
		windows.CloseHandle(t.job)
	}
}

func becomeSubreaper() {}
