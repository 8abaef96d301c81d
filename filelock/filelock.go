// Package filelock locks whole files between processes: flock(2) on Unix,
// LockFileEx on Windows.
//
// A lock belongs to the open file (the *os.File), not to the process: two
// files opened on the same path in one process exclude each other just as two
// processes do, and closing the file releases its lock. A process that dies,
// even by SIGKILL, releases every lock it held, which is what makes a lock file
// tell a live user of a directory from a stale one.
//
// On Windows the lock is mandatory: while one file holds it, reading or
// writing the locked bytes through another handle fails. Lock files should
// therefore hold no data that others read.
package filelock

import (
	"errors"
	"io/fs"
	"os"
)

// ErrLocked is returned (wrapped in an *fs.PathError) by TryLock and TryRLock
// when another open file holds a conflicting lock.
var ErrLocked = errors.New("locked by another open file")

// Lock places an exclusive lock on f, waiting until no other file holds a lock.
func Lock(f *os.File) error { return wrap("lock", f, lock(f, exclusive, true)) }

// RLock places a shared lock on f, waiting until no other file holds an
// exclusive one.
func RLock(f *os.File) error { return wrap("rlock", f, lock(f, shared, true)) }

// TryLock places an exclusive lock on f if no other file holds a lock, and
// returns an error wrapping ErrLocked otherwise.
func TryLock(f *os.File) error { return wrap("trylock", f, lock(f, exclusive, false)) }

// TryRLock places a shared lock on f if no other file holds an exclusive
// lock, and returns an error wrapping ErrLocked otherwise.
func TryRLock(f *os.File) error { return wrap("tryrlock", f, lock(f, shared, false)) }

// Unlock releases the lock f holds. Closing f releases it too.
func Unlock(f *os.File) error { return wrap("unlock", f, unlock(f)) }

type lockType int

const (
	shared lockType = iota
	exclusive
)

func wrap(op string, f *os.File, err error) error {
	if err == nil {
		return nil
	}
	return &fs.PathError{Op: op, Path: f.Name(), Err: err}
}
