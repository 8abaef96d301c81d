//go:build unix

package filelock

import (
	"os"

	"golang.org/x/sys/unix"
)

func lock(f *os.File, lt lockType, wait bool) error {
	how := unix.LOCK_SH
	if lt == exclusive {
		how = unix.LOCK_EX
	}
	if !wait {
		how |= unix.LOCK_NB
	}
	err := control(f, func(fd int) error { return unix.Flock(fd, how) })
	if err == unix.EWOULDBLOCK {
		return ErrLocked
	}
	return err
}

func unlock(f *os.File) error {
	return control(f, func(fd int) error { return unix.Flock(fd, unix.LOCK_UN) })
}

// control calls fn with f's descriptor, retrying when a signal interrupts it.
// Unlike f.Fd, it leaves the file in non-blocking mode.
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var opErr error
	err = rc.Control(func(fd uintptr) {
		for {
			if opErr = fn(int(fd)); opErr != unix.EINTR {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	return opErr
}
