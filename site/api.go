package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"net/http"

	"github.com/go-blindspots/workbook/diff"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/warm"
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

// statusReply is GET /api/status.
type statusReply struct {
	Done  int          `json:"done"`
	Total int          `json:"total"`
	Warm  *warm.Status `json:"warm,omitempty"` // while the build cache warms
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) {
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	sum := p.Summary(s.cfg.Catalog)
	st := statusReply{Done: sum.Done, Total: sum.Total}
	if s.cfg.Runner != nil {
		if ws, running := warm.Progress(s.cfg.Runner); running {
			st.Warm = &ws
		}
	}
	writeJSON(w, http.StatusOK, st)
}

// apiFiles returns the exercise's editable files as they are on disk, so that
// a page sees the edits made in another editor. It reads those files only,
// each within the size bound.
func (s *Server) apiFiles(w http.ResponseWriter, r *http.Request) {
	ex := s.lookup(w, r.URL.Query().Get("exercise"))
	if ex == nil {
		return
	}
	disk, err := s.cfg.Workspace.ReadFiles(ex, ex.EditableNames())
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	files := make(map[string]string)
	for _, name := range ex.EditableNames() {
		files[name] = string(disk[name])
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": files})
}

// saveRequest is what a page sends to save, and with a check.
type saveRequest struct {
	Exercise string            `json:"exercise"`
	Files    map[string]string `json:"files"`
	// Base maps a file to the SHA-256 (hex) of the text the page last loaded
	// from disk (see workspace.Save).
	Base map[string]string `json:"base,omitempty"`
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
	res, err := s.cfg.Workspace.Save(ex, req.Files, req.Base, maxFileSize)
	if err != nil {
		var bad *workspace.BadFileError
		if errors.As(err, &bad) {
			jsonError(w, http.StatusBadRequest, err.Error())
			return
		}
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
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
	for _, name := range ex.EditableNames() {
		files[name] = string(ex.Start[name])
	}
	writeJSON(w, http.StatusOK, map[string]any{"backup": backup, "files": files})
}

func (s *Server) apiHint(w http.ResponseWriter, r *http.Request) {
	ex := s.exerciseOf(w, r)
	if ex == nil {
		return
	}
	shown, err := s.cfg.Workspace.RevealHint(ex)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	// hints: the Markdown; html: as the page shows it.
	writeJSON(w, http.StatusOK, map[string]any{"hints": shown, "html": s.hints[ex.Name][:len(shown)], "total": len(ex.Hints)})
}

// solutionFile is a file of the reference solution, with the lines of its
// diff against the learner's code on disk.
type solutionFile struct {
	Name string    `json:"name"`
	Text string    `json:"text"`
	Diff []diff.Op `json:"diff"`
}

// apiSolution returns the reference solution's files, once the learner's
// check has passed (a reset since then does not take it away).
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
	files, err := p.Solution(ex)
	if errors.Is(err, workspace.ErrSolutionLocked) {
		jsonError(w, http.StatusForbidden, "The solution opens once your check passes.")
		return
	}
	mine, err := s.cfg.Workspace.ReadFiles(ex, ex.EditableNames())
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	var out []solutionFile
	for _, name := range ex.EditableNames() {
		sol, ok := files[name]
		if !ok {
			continue
		}
		out = append(out, solutionFile{Name: name, Text: string(sol), Diff: diff.Lines(string(mine[name]), string(sol))})
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": out})
}
