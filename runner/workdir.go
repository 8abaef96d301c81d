package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-blindspots/workbook/filelock"
)

// A work directory WorkRoot/KEY is in use exactly while its lock file
// WorkRoot/KEY.lock is locked, which is what lets the sweep (sweep.go) tell the
// directory of a running check from one a killed workbook left behind. When
// another process holds KEY, a check works in a temporary directory
// WorkRoot/KEY.tmp-N, locked the same way by WorkRoot/KEY.tmp-N.lock, which
// goes when the check ends.
const tempMark = ".tmp-"

// workDir returns the work root for key: a stable path when no other process
// is using it (so the build cache hits), else a fresh temporary one. unlock,
// called after the directory has been removed, lets others have it.
func (r *Runner) workDir(key string) (root string, unlock func(), err error) {
	if err := os.MkdirAll(r.WorkRoot, 0o777); err != nil {
		return "", nil, err
	}
	root = filepath.Join(r.WorkRoot, key)
	lock, err := tryLockPath(root + ".lock")
	temp := errors.Is(err, filelock.ErrLocked)
	if temp {
		lock, root, err = r.tempWorkDir(key)
	}
	if err != nil {
		return "", nil, err
	}
	unlock = func() {
		lock.Close()
		if temp {
			os.Remove(lock.Name())
		}
	}
	// A previous run that was killed may have left its directory behind.
	if err := os.RemoveAll(root); err != nil {
		unlock()
		return "", nil, err
	}
	if err := os.Mkdir(root, 0o777); err != nil {
		unlock()
		return "", nil, err
	}
	return root, unlock, nil
}

// tempWorkDir makes and locks the lock file of a temporary work directory for
// key, before the directory itself exists, so that no sweep takes the
// directory for a stale one.
func (r *Runner) tempWorkDir(key string) (lock *os.File, root string, err error) {
	for range 10 {
		f, err := os.CreateTemp(r.WorkRoot, key+tempMark+"*.lock")
		if err != nil {
			return nil, "", err
		}
		// A sweep may lock and remove the new file before it is locked here.
		if filelock.TryLock(f) == nil && stillAt(f, f.Name()) {
			return f, strings.TrimSuffix(f.Name(), ".lock"), nil
		}
		f.Close()
	}
	return nil, "", fmt.Errorf("cannot lock a temporary work directory in %s", r.WorkRoot)
}

// tryLockPath opens the lock file at path, creating it if need be, and locks
// it without waiting; the error wraps filelock.ErrLocked when another open file
// holds it. A lock file can be removed by a sweep between the open and the
// lock, so it makes sure that the file it locked is still the one at path.
func tryLockPath(path string) (*os.File, error) {
	for range 10 {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			return nil, err
		}
		if err := filelock.TryLock(f); err != nil {
			f.Close()
			return nil, err
		}
		if stillAt(f, path) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("cannot lock %s: it keeps being removed", path)
}

// stillAt reports whether path still names the open file f.
func stillAt(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// removeIfUnlocked removes the lock file at path when no one holds it: it
// belonged to a process that is gone. On Windows a file another process has
// open cannot be removed, which keeps a file its creator is about to lock.
func removeIfUnlocked(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	if filelock.TryLock(f) != nil {
		f.Close()
		return
	}
	f.Close()
	os.Remove(path)
}
