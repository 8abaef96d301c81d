//go:build unix && !linux

package runner

import "syscall"

// processAttr puts the command in a new process group.
func processAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
