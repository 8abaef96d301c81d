package warm

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// detached starts a process without a console of its own, in a new process
// group: Ctrl-C in the learner's console does not reach it.
func detached() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP | windows.DETACHED_PROCESS, HideWindow: true}
}
