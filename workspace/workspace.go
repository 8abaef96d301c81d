// Package workspace manages a learner's workspace: a directory of exercise
// copies they edit with any editor, plus the workbook's own state in
// .workbook/ (progress, backups), found from any directory inside it like git
// finds a repository.
package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
)

// StateDir is the directory that marks a workspace and holds its state.
const StateDir = ".workbook"

// EnvVar names the environment variable that selects a workspace.
const EnvVar = "WORKBOOK_WORKSPACE"

// ErrNotFound is returned by Find when no workspace contains the directory.
var ErrNotFound = errors.New("no workbook workspace here")

// Workspace is a learner's workspace.
type Workspace struct {
	Root string // absolute
	// Reporter, if set, hears of the learner's activity: exercises opened,
	// checks and their verdicts, hints (see activity.go).
	Reporter Reporter
}

// Open returns the workspace rooted at dir.
func Open(dir string) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, StateDir, "workspace.json")); err != nil {
		return nil, fmt.Errorf("%s is not a workbook workspace (no %s/workspace.json): run `workbook init %s` to make one", abs, StateDir, dir)
	}
	return &Workspace{Root: abs}, nil
}

// Find returns the workspace that contains dir or one of its parents.
func Find(dir string) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, StateDir, "workspace.json")); err == nil {
			return &Workspace{Root: d}, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil, ErrNotFound
		}
		d = parent
	}
}

// Create makes a workspace at root with a copy of every exercise. It refuses a
// directory that has files in it, unless it is already a workspace, in which
// case it only adds the exercises that it lacks.
func Create(root string, cat *exercises.Catalog) (*Workspace, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Root: abs}
	if _, err := os.Stat(w.state("workspace.json")); err != nil {
		entries, _ := os.ReadDir(abs)
		if len(entries) > 0 {
			return nil, fmt.Errorf("create workspace: %s is not empty; pick a new directory", abs)
		}
	}
	if err := os.MkdirAll(w.state("backups"), 0o777); err != nil {
		return nil, fmt.Errorf("create workspace: %w", err)
	}
	if err := w.Sync(cat); err != nil {
		return nil, err
	}
	meta := fmt.Sprintf("{\n  \"version\": 1,\n  \"created\": %q\n}\n", time.Now().UTC().Format(time.RFC3339))
	if err := writeIfMissing(w.state("workspace.json"), []byte(meta)); err != nil {
		return nil, fmt.Errorf("create workspace: %w", err)
	}
	return w, nil
}

// Sync adds the exercises of cat that the workspace lacks (after an upgrade of
// the workbook, say) and rewrites go.work and README.md. It never touches an
// exercise the learner already has.
func (w *Workspace) Sync(cat *exercises.Catalog) error {
	var uses []string
	goLine := exercises.DefaultGo
	for _, ex := range cat.List {
		uses = append(uses, "\t./"+ex.Name+"\n")
		if versionLess(goLine, ex.Go) {
			goLine = ex.Go
		}
		if _, err := os.Stat(w.Dir(ex.Name)); err == nil {
			continue
		}
		if err := w.writeStart(ex); err != nil {
			return fmt.Errorf("create exercise %s: %w", ex.Name, err)
		}
	}
	w.sweep(cat)
	goWork := "go " + goLine + "\n\nuse (\n" + strings.Join(uses, "") + ")\n"
	if err := writeIfChanged(filepath.Join(w.Root, "go.work"), []byte(goWork)); err != nil {
		return err
	}
	return writeIfChanged(filepath.Join(w.Root, "README.md"), []byte(readme))
}

// sweep removes the temporary files of saves that a killed workbook left
// (".router.go.tmp123"), once they are a minute old: a save in progress
// takes milliseconds.
func (w *Workspace) sweep(cat *exercises.Catalog) {
	cutoff := time.Now().Add(-time.Minute)
	dirs := []string{w.Root, filepath.Join(w.Root, StateDir)}
	for _, ex := range cat.List {
		dirs = append(dirs, w.Dir(ex.Name))
	}
	for _, dir := range dirs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(name, ".") || !strings.Contains(name, ".tmp") || e.IsDir() {
				continue
			}
			if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
				_ = os.Remove(filepath.Join(dir, name))
			}
		}
	}
}

// writeIfChanged leaves an identical file alone, so that editors watching it
// do not reload for nothing.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return WriteFileAtomic(path, data)
}

// Dir returns the directory of the named exercise in the workspace.
func (w *Workspace) Dir(name string) string { return filepath.Join(w.Root, name) }

func (w *Workspace) state(elem ...string) string {
	return filepath.Join(append([]string{w.Root, StateDir}, elem...)...)
}

// writeStart writes the exercise's shipped files, go.mod and go.sum.
func (w *Workspace) writeStart(ex *exercises.Exercise) error {
	files := make(map[string][]byte, len(ex.Start)+2)
	for name, data := range ex.Start {
		files[name] = data
	}
	files["go.mod"], files["go.sum"] = ex.GoMod()
	root, err := w.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()
	for name, data := range files {
		if err := writeFile(root, path.Join(ex.Name, name), data); err != nil {
			return err
		}
	}
	return nil
}

// Reset copies the exercise's current files to a new backup directory and
// restores the shipped files. It returns the backup directory. It reads the
// progress first, so that a damaged progress file stops it before any file
// is touched.
func (w *Workspace) Reset(ex *exercises.Exercise) (backup string, err error) {
	if _, err := w.Progress(); err != nil {
		return "", err
	}
	files, err := w.Files(ex.Name)
	if err != nil {
		return "", err
	}
	backup, err = w.Backup(ex.Name, files)
	if err != nil {
		return "", err
	}
	// Remove the Go files the learner added, then write the shipped files back.
	root, err := w.openRoot()
	if err != nil {
		return backup, err
	}
	defer root.Close()
	for name := range files {
		if _, shipped := ex.Start[name]; !shipped {
			if err := root.Remove(path.Join(ex.Name, name)); err != nil {
				return backup, fmt.Errorf("reset %s: %w", ex.Name, outsideError(name, err))
			}
		}
	}
	if err := w.writeStart(ex); err != nil {
		return backup, fmt.Errorf("reset %s: %w", ex.Name, err)
	}
	return backup, w.Update(func(p *Progress) error {
		st := p.Status(ex.Name)
		st.Done = false
		st.Resets++
		st.ResetAt = time.Now().UTC()
		return nil
	})
}

// Backup saves files under .workbook/backups/NAME/TIMESTAMP and returns that directory.
func (w *Workspace) Backup(name string, files map[string][]byte) (string, error) {
	stamp := time.Now().UTC().Format("20060102T150405.000Z")
	rel := path.Join(StateDir, "backups", name, stamp)
	root, err := w.openRoot()
	if err != nil {
		return "", err
	}
	defer root.Close()
	for file, data := range files {
		if err := writeFile(root, path.Join(rel, file), data); err != nil {
			return "", fmt.Errorf("back up %s: %w", name, err)
		}
	}
	return filepath.Join(w.Root, filepath.FromSlash(rel)), nil
}

// Backups lists the backup directories of an exercise, oldest first.
func (w *Workspace) Backups(name string) []string {
	entries, _ := os.ReadDir(w.state("backups", name))
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, w.state("backups", name, e.Name()))
	}
	sort.Strings(dirs)
	return dirs
}

// Changed reports whether the learner's editable files differ from the shipped ones.
func Changed(ex *exercises.Exercise, files map[string][]byte) bool {
	for name, data := range files {
		if ex.Editable(name) && !bytes.Equal(data, ex.Start[name]) {
			return true
		}
	}
	for name := range ex.Start {
		if _, ok := files[name]; !ok && ex.Editable(name) {
			return true
		}
	}
	return false
}

func writeIfMissing(path string, data []byte) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	return WriteFileAtomic(path, data)
}

// versionLess compares go versions like "1.21" and "1.26".
func versionLess(a, b string) bool {
	var a1, a2, b1, b2 int
	fmt.Sscanf(a, "%d.%d", &a1, &a2)
	fmt.Sscanf(b, "%d.%d", &b1, &b2)
	return a1 < b1 || a1 == b1 && a2 < b2
}

const readme = `# Go Blind Spots workspace

Each directory here is one exercise: a small Go program with one production bug.
Open this directory in your editor (gopls loads every exercise through go.work),
fix the code, and let the workbook prove the fix:

    workbook next           # the next exercise to do, and its task
    workbook check          # check it (or: workbook check NAME)
    workbook hint           # one more hint
    workbook watch          # re-check on every save, then move on
    workbook list           # every exercise and its status

(From a clone of the repository, use ` + "`go run . <command>`" + ` in the clone instead.)

The checks use the shipped *_test.go files, not your edits of them: change the
program, not its tests. ` + "`workbook reset NAME`" + ` restores an exercise and keeps your
code in .workbook/backups/.
`
