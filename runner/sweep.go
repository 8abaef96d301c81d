package runner

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/filelock"
)

// legacyAge is how old a work directory without a lock file must be before
// the sweep takes it for stale. Workbooks before lock files made temporary
// work directories without one; a check never runs longer than its bound, so
// such a directory older than twice the default bound is left over.
const legacyAge = 2 * DefaultCheckTimeout

// sweep clears what the checks of workbooks that died (killed with SIGKILL,
// a closed laptop lid that never came back) left under WorkRoot: work
// directories whose lock no one holds, with every process still running in
// them, the lock files of temporary work directories, and queue tickets. It
// is best effort: what it cannot remove now, the next sweep tries again.
func (r *Runner) sweep() {
	entries, err := os.ReadDir(r.WorkRoot)
	if err != nil {
		return
	}
	type staleDir struct {
		dir  string
		lock *os.File // nil for a directory without a lock file
	}
	var stale []staleDir
	for _, e := range entries {
		path := filepath.Join(r.WorkRoot, e.Name())
		switch name := e.Name(); {
		case e.IsDir():
			if lock, ok := staleWorkDir(path); ok {
				stale = append(stale, staleDir{path, lock})
			}
		case isTicket(name):
			removeIfUnlocked(path)
		case strings.Contains(name, tempMark) && strings.HasSuffix(name, ".lock"):
			if _, err := os.Stat(strings.TrimSuffix(path, ".lock")); errors.Is(err, fs.ErrNotExist) {
				removeIfUnlocked(path)
			}
		}
	}
	if len(stale) == 0 {
		return
	}
	dirs := make([]string, len(stale))
	for i, s := range stale {
		dirs[i] = s.dir
	}
	killStale(dirs)
	for _, s := range stale {
		os.RemoveAll(s.dir)
		if s.lock == nil {
			continue
		}
		s.lock.Close()
		if strings.Contains(filepath.Base(s.dir), tempMark) {
			os.Remove(s.lock.Name())
		}
	}
}

// staleWorkDir reports whether dir is a work directory that no check uses,
// and if so returns its lock file, locked, which the caller closes once the
// directory is gone.
func staleWorkDir(dir string) (*os.File, bool) {
	lock, err := os.Open(dir + ".lock")
	if errors.Is(err, fs.ErrNotExist) {
		// Only a work directory (it has the check's script) of an older workbook.
		fi, err := os.Stat(filepath.Join(dir, "check.txtar"))
		return nil, err == nil && time.Since(fi.ModTime()) > legacyAge
	}
	if err != nil {
		return nil, false
	}
	if filelock.TryLock(lock) != nil {
		lock.Close()
		return nil, false
	}
	return lock, true
}

// contain prepares the workbook process to hold its checks' processes (on
// Linux it becomes a child subreaper) and sweeps what the checks of killed
// workbooks left under WorkRoot. New calls it.
func (r *Runner) contain() {
	becomeSubreaper()
	r.sweep()
}
