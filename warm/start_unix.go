//go:build unix

package warm

import "syscall"

// detached starts a process in a session of its own: closing the terminal
// (SIGHUP to its session) does not end it.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
