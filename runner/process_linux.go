package runner

import "syscall"

// processAttr puts the command in a new process group and kills it if the
// workbook dies without cleaning up.
func processAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
