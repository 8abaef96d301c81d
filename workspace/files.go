package workspace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
)

// Every read and write of the learner's files goes through an os.Root opened
// at the workspace: a path that leaves the workspace — "..", an absolute
// path, a symbolic link (an exercise directory, a package directory or a
// file) that points outside — is refused by the operating system's own
// checks, not by string matching.

// MaxSourceSize is the largest source file the workbook reads or writes:
// a learner's file is a few KiB; anything bigger is not code to check.
const MaxSourceSize = 1 << 20

// openRoot opens the workspace as an os.Root.
func (w *Workspace) openRoot() (*os.Root, error) {
	r, err := os.OpenRoot(w.Root)
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", w.Root, err)
	}
	return r, nil
}

// outsideError turns the error of an os.Root operation that tried to leave
// the workspace into one sentence.
func outsideError(name string, err error) error {
	if err != nil && strings.Contains(err.Error(), "escapes from parent") {
		return fmt.Errorf("%s leads outside the workspace (a symbolic link?): the workbook reads and writes only inside %s; replace the link with a directory of its own", name, "the workspace")
	}
	return err
}

// Files returns the learner's Go files of the exercise: every .go file under
// its directory (not in hidden directories or testdata), keyed by slash path.
// A file larger than MaxSourceSize is an error naming it.
func (w *Workspace) Files(name string) (map[string][]byte, error) {
	root, err := w.openRoot()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	fsys := root.FS()
	files := make(map[string][]byte)
	err = fs.WalkDir(fsys, name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return outsideError(p, err)
		}
		if d.IsDir() {
			if p != name && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := readLimited(root, p)
		if err != nil {
			return err
		}
		files[strings.TrimPrefix(p, name+"/")] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read exercise %s: %w", name, err)
	}
	return files, nil
}

// ReadFiles reads the named files of ex (slash paths within its directory);
// a file that is missing is left out.
func (w *Workspace) ReadFiles(ex *exercises.Exercise, names []string) (map[string][]byte, error) {
	root, err := w.openRoot()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	files := make(map[string][]byte)
	for _, name := range names {
		data, err := readLimited(root, path.Join(ex.Name, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", ex.Name, err)
		}
		files[name] = data
	}
	return files, nil
}

// readLimited reads a file through root, refusing one over MaxSourceSize.
func readLimited(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, outsideError(name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSourceSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSourceSize {
		return nil, fmt.Errorf("%s is larger than %d KiB: the workbook does not read files that big", name, MaxSourceSize>>10)
	}
	return data, nil
}

// writeFile writes data to name (a slash path within the workspace) through
// a temporary file in the same directory, synced and renamed over it:
// readers see the old or the new content, never a mix, even if the process
// dies half way.
func writeFile(root *os.Root, name string, data []byte) (err error) {
	dir := path.Dir(name)
	if err := root.MkdirAll(dir, 0o777); err != nil {
		return outsideError(name, err)
	}
	perm := fs.FileMode(0o644)
	if st, err := root.Stat(name); err == nil {
		perm = st.Mode().Perm()
	}
	tmp := path.Join(dir, fmt.Sprintf(".%s.tmp%d", path.Base(name), time.Now().UnixNano()))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return outsideError(name, err)
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		return outsideError(name, err)
	}
	// The rename itself must reach the disk, or a crash could undo it.
	if d, err := root.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// SaveResult says what a save did.
type SaveResult struct {
	Saved  []string `json:"saved"`
	Backup string   `json:"backup,omitempty"` // where a version changed on disk went
}

// BadFileError is a file a front end may not write: not one of the
// exercise's own files, or too large.
type BadFileError struct{ msg string }

func (e *BadFileError) Error() string { return e.msg }

// Hash is the SHA-256 of a file's text, in hex: what a page sends as the base
// of a file it saves.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Save writes the exercise's files from a front end (the site's editor):
// only its own editable files, each at most maxSize bytes, atomically. base
// maps a file to the Hash of the text the front end last loaded; a file that
// changed on disk since (another editor saved it) is backed up first, so
// that the learner's code is never lost.
func (w *Workspace) Save(ex *exercises.Exercise, files, base map[string]string, maxSize int) (SaveResult, error) {
	res := SaveResult{Saved: []string{}}
	allowed := ex.EditableNames()
	for name, text := range files {
		switch {
		case !slices.Contains(allowed, name):
			return res, &BadFileError{fmt.Sprintf("%q is not one of the files of %s (%s): only those may be written.", exercises.Shorten(name), ex.Name, strings.Join(allowed, ", "))}
		case len(text) > maxSize:
			return res, &BadFileError{fmt.Sprintf("%s is larger than %d KiB.", name, maxSize>>10)}
		}
	}
	disk, err := w.ReadFiles(ex, allowed)
	if err != nil {
		return res, err
	}
	changedOnDisk := make(map[string][]byte)
	for name, sum := range base {
		if cur, ok := disk[name]; ok && files[name] != "" && Hash(cur) != sum && string(cur) != files[name] {
			changedOnDisk[name] = cur
		}
	}
	if len(changedOnDisk) > 0 {
		if res.Backup, err = w.Backup(ex.Name, changedOnDisk); err != nil {
			return res, err
		}
	}
	root, err := w.openRoot()
	if err != nil {
		return res, err
	}
	defer root.Close()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		data := []byte(files[name])
		if cur, ok := disk[name]; ok && bytes.Equal(cur, data) {
			continue
		}
		if err := writeFile(root, path.Join(ex.Name, name), data); err != nil {
			return res, fmt.Errorf("save %s: %w", name, err)
		}
		res.Saved = append(res.Saved, name)
	}
	return res, nil
}
