package runner

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/go-blindspots/workbook/filelock"
)

// A learner's check holds a shared lock on WorkRoot/active.lock while it
// runs, so that background work in any process (the warm-up) can tell that
// a check is running and keep out of its way. Background checks take none.

func (r *Runner) activeLock() string { return filepath.Join(r.WorkRoot, "active.lock") }

// markActive holds the shared lock until the returned func is called. A
// failure only means the warm-up cannot see this check.
func (r *Runner) markActive() func() {
	if err := os.MkdirAll(r.WorkRoot, 0o777); err != nil {
		return func() {}
	}
	f, err := os.OpenFile(r.activeLock(), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return func() {}
	}
	if err := filelock.RLock(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { f.Close() }
}

// ChecksActive reports whether a learner's check (not a background one) is
// running in any process that shares this runner's WorkRoot.
func (r *Runner) ChecksActive() bool {
	f, err := os.OpenFile(r.activeLock(), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return false
	}
	defer f.Close()
	return errors.Is(filelock.TryLock(f), filelock.ErrLocked)
}
