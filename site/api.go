package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/workspace"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jsonError answers with {"error": msg}: one sentence a page can show as is.
func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readJSON decodes a request body; its error is a sentence for the page.
func readJSON(r *http.Request, v any) error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("the request is larger than %d KiB", maxRequestSize>>10)
		}
		return fmt.Errorf("the request is not valid JSON: %v", err)
	}
	return nil
}

// lookup finds the exercise a request names; its error says "did you mean".
func (s *Server) lookup(w http.ResponseWriter, name string) *exercises.Exercise {
	ex, err := s.cfg.Catalog.Lookup(name)
	if err != nil {
		jsonError(w, http.StatusNotFound, err.Error()+".")
		return nil
	}
	return ex
}

// exerciseOf reads a request body {"exercise": NAME} and finds the exercise;
// when it cannot, it has answered.
func (s *Server) exerciseOf(w http.ResponseWriter, r *http.Request) *exercises.Exercise {
	var req struct {
		Exercise string `json:"exercise"`
	}
	if err := readJSON(r, &req); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return nil
	}
	return s.lookup(w, req.Exercise)
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) {
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	done := 0
	for _, ex := range s.cfg.Catalog.List {
		if p.Done(ex.Name) {
			done++
		}
	}
	st := map[string]any{"done": done, "total": len(s.cfg.Catalog.List)}
	if s.cfg.Warm != nil {
		if d, t, running := s.cfg.Warm(); running {
			st["warm"] = map[string]int{"done": d, "total": t}
		}
	}
	writeJSON(w, http.StatusOK, st)
}

// apiFiles returns the exercise's editable files as they are on disk, so that
// a page sees the edits made in another editor.
func (s *Server) apiFiles(w http.ResponseWriter, r *http.Request) {
	ex := s.lookup(w, r.URL.Query().Get("exercise"))
	if ex == nil {
		return
	}
	disk, err := s.cfg.Workspace.Files(ex.Name)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	files := make(map[string]string)
	for _, name := range editableNames(ex) {
		files[name] = string(disk[name])
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": files})
}

// saveRequest is what a page sends to save, and with a check.
type saveRequest struct {
	Exercise string            `json:"exercise"`
	Files    map[string]string `json:"files"`
	// Base maps a file to the SHA-256 (hex) of the text the page last loaded
	// from disk. When the file on disk is no longer that text, someone else
	// changed it: it is backed up before it is overwritten.
	Base map[string]string `json:"base,omitempty"`
}

// saveResult says what a save did.
type saveResult struct {
	Saved  []string `json:"saved"`
	Backup string   `json:"backup,omitempty"` // where a version changed on disk went
}

func (s *Server) apiSave(w http.ResponseWriter, r *http.Request) {
	var req saveRequest
	if err := readJSON(r, &req); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	ex := s.lookup(w, req.Exercise)
	if ex == nil {
		return
	}
	res, err := s.save(ex, req.Files, req.Base)
	if err != nil {
		var bad *badFileError
		if errors.As(err, &bad) {
			jsonError(w, http.StatusBadRequest, err.Error())
			return
		}
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// badFileError is a file a page may not write.
type badFileError struct{ msg string }

func (e *badFileError) Error() string { return e.msg }

// hash is the SHA-256 of a file's text, in hex, as the page computes it.
func hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// save writes the exercise's files: only its own editable files, inside its
// directory, each at most maxFileSize, atomically. A file changed on disk
// since the page loaded it (per base) is backed up first.
func (s *Server) save(ex *exercises.Exercise, files map[string]string, base map[string]string) (saveResult, error) {
	res := saveResult{Saved: []string{}}
	allowed := editableNames(ex)
	for name, text := range files {
		switch {
		case !slices.Contains(allowed, name):
			return res, &badFileError{fmt.Sprintf("%q is not one of the files of %s (%s): a page may write only those.", name, ex.Name, strings.Join(allowed, ", "))}
		case len(text) > maxFileSize:
			return res, &badFileError{fmt.Sprintf("%s is larger than %d KiB.", name, maxFileSize>>10)}
		}
	}
	dir := s.cfg.Workspace.Dir(ex.Name)
	disk, err := s.cfg.Workspace.Files(ex.Name)
	if err != nil {
		return res, err
	}
	changedOnDisk := make(map[string][]byte)
	for name, sum := range base {
		if cur, ok := disk[name]; ok && files[name] != "" && hash(cur) != sum && string(cur) != files[name] {
			changedOnDisk[name] = cur
		}
	}
	if len(changedOnDisk) > 0 {
		if res.Backup, err = s.cfg.Workspace.Backup(ex.Name, changedOnDisk); err != nil {
			return res, err
		}
	}
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
		p := filepath.Join(dir, filepath.FromSlash(name))
		if rel, err := filepath.Rel(dir, p); err != nil || strings.HasPrefix(rel, "..") {
			return res, &badFileError{fmt.Sprintf("%q is outside the exercise.", name)}
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return res, fmt.Errorf("save %s: %w", name, err)
		}
		if err := workspace.WriteFileAtomic(p, data); err != nil {
			return res, fmt.Errorf("save %s: %w", name, err)
		}
		res.Saved = append(res.Saved, name)
	}
	return res, nil
}

// apiFormat formats Go source as gofmt does (go/format is gofmt's printer).
func (s *Server) apiFormat(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Source string `json:"source"`
	}
	if err := readJSON(r, &req); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	out, err := format.Source([]byte(req.Source))
	if err != nil {
		jsonError(w, http.StatusUnprocessableEntity, "gofmt: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"source": string(out)})
}

func (s *Server) apiReset(w http.ResponseWriter, r *http.Request) {
	ex := s.exerciseOf(w, r)
	if ex == nil {
		return
	}
	backup, err := s.cfg.Workspace.Reset(ex)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	files := make(map[string]string)
	for _, name := range editableNames(ex) {
		files[name] = string(ex.Start[name])
	}
	writeJSON(w, http.StatusOK, map[string]any{"backup": backup, "files": files})
}

func (s *Server) apiHint(w http.ResponseWriter, r *http.Request) {
	ex := s.exerciseOf(w, r)
	if ex == nil {
		return
	}
	var shown int
	err := s.cfg.Workspace.Update(func(p *workspace.Progress) error {
		st := p.Status(ex.Name)
		st.HintsShown = min(st.HintsShown+1, len(ex.Hints))
		shown = st.HintsShown
		return nil
	})
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"hints": ex.Hints[:shown], "total": len(ex.Hints)})
}

// apiSolution returns the reference solution's files, once the learner's
// check has passed.
func (s *Server) apiSolution(w http.ResponseWriter, r *http.Request) {
	ex := s.lookup(w, r.URL.Query().Get("exercise"))
	if ex == nil {
		return
	}
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if !p.Done(ex.Name) {
		jsonError(w, http.StatusForbidden, "The solution opens once your check passes.")
		return
	}
	files := make(map[string]string)
	for name, data := range ex.Solution {
		if ex.Editable(name) {
			files[name] = string(data)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": files})
}
