package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/go-blindspots/workbook/filelock"
)

// Progress is the learner's progress, kept in .workbook/progress.json.
type Progress struct {
	Version   int                `json:"version"`
	Current   string             `json:"current,omitempty"` // the exercise the learner works on
	Exercises map[string]*Status `json:"exercises"`
}

// Status is the progress on one exercise.
type Status struct {
	Done       bool      `json:"done"`
	PassedAt   time.Time `json:"passed_at,omitzero"`
	Checks     int       `json:"checks"`
	LastCheck  time.Time `json:"last_check,omitzero"`
	LastPass   bool      `json:"last_pass"`
	HintsShown int       `json:"hints_shown"`
	Resets     int       `json:"resets"`
	ResetAt    time.Time `json:"reset_at,omitzero"` // the last reset
}

// Status returns the status of the named exercise, adding it if new.
func (p *Progress) Status(name string) *Status {
	if p.Exercises == nil {
		p.Exercises = make(map[string]*Status)
	}
	st := p.Exercises[name]
	if st == nil {
		st = &Status{}
		p.Exercises[name] = st
	}
	return st
}

// Done reports whether the named exercise has passed since its last reset.
func (p *Progress) Done(name string) bool {
	st := p.Exercises[name]
	return st != nil && st.Done
}

// Progress reads the progress file; a missing file is an empty progress.
func (w *Workspace) Progress() (*Progress, error) {
	p := &Progress{Version: 1, Exercises: make(map[string]*Status)}
	data, err := os.ReadFile(w.state("progress.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("read progress %s: %w (the file is damaged; move it away to start counting afresh)", w.state("progress.json"), err)
	}
	if p.Exercises == nil {
		p.Exercises = make(map[string]*Status)
	}
	return p, nil
}

// Update changes the progress under a lock, so that a browser tab, a watch
// and a check running at once do not lose each other's updates, and writes
// it atomically, so that a crash or a kill never leaves a torn file.
func (w *Workspace) Update(change func(*Progress) error) error {
	lock, err := os.OpenFile(w.state("lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return fmt.Errorf("lock progress: %w", err)
	}
	defer lock.Close()
	if err := filelock.Lock(lock); err != nil {
		return fmt.Errorf("lock progress: %w", err)
	}
	p, err := w.Progress()
	if err != nil {
		return err
	}
	if err := change(p); err != nil {
		return err
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(w.state("progress.json"), append(data, '\n'))
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory, synced and renamed over path: readers see the old or the new
// content, never a mix, even if the process dies half way.
func WriteFileAtomic(path string, data []byte) error {
	root, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer root.Close()
	return writeFile(root, filepath.Base(path), data)
}
