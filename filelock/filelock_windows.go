//go:build windows

package filelock

import (
	"os"

	"golang.org/x/sys/windows"
)

// The lock covers every byte a file can have, so that it is a lock on the
// whole file whatever its size.
const allBytes = ^uint32(0)

func lock(f *os.File, lt lockType, wait bool) error {
	var flags uint32
	if lt == exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	if !wait {
		flags |= windows.LOCKFILE_FAIL_IMMEDIATELY
	}
	err := control(f, func(h windows.Handle) error {
		// LockFileEx needs an OVERLAPPED, whose offset (zero) is where the
		// range starts, even on a handle for synchronous I/O.
		return windows.LockFileEx(h, flags, 0, allBytes, allBytes, new(windows.Overlapped))
	})
	if err == windows.ERROR_LOCK_VIOLATION || err == windows.ERROR_IO_PENDING {
		return ErrLocked
	}
	return err
}

func unlock(f *os.File) error {
	return control(f, func(h windows.Handle) error {
		return windows.UnlockFileEx(h, 0, allBytes, allBytes, new(windows.Overlapped))
	})
}

func control(f *os.File, fn func(h windows.Handle) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var opErr error
	if err := rc.Control(func(h uintptr) { opErr = fn(windows.Handle(h)) }); err != nil {
		return err
	}
	return opErr
}
