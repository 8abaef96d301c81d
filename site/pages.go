package site

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

func (s *Server) parseTemplates() error {
	t, err := template.New("").Funcs(template.FuncMap{
		"percent": func(done, total int) int {
			if total == 0 {
				return 0
			}
			return done * 100 / total
		},
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return fmt.Errorf("site templates: %w", err)
	}
	s.tmpl = t
	return nil
}

// render writes a page; a template error is a bug, shown as a 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		// A lesson's highlighted code is a few hundred KiB of spans.
		h.Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		_, _ = zw.Write(b.Bytes())
		_ = zw.Close()
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// exerciseItem is an exercise in a list, with the learner's status.
type exerciseItem struct {
	*exercises.Exercise
	Status string // "done", "started" (checked, not passed yet) or "pending"
	Now    bool   // the one to resume
}

// topicItem is a topic of the curriculum: its lesson and exercises.
type topicItem struct {
	ID        string
	Lesson    *lessons.Lesson // nil if the topic has no lesson yet
	Exercises []exerciseItem
	Done      int
}

// curriculum returns the topics with the learner's progress, in order, and the
// exercise to resume.
func (s *Server) curriculum() ([]*topicItem, *exercises.Exercise, *workspace.Progress, error) {
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		return nil, nil, nil, err
	}
	resume := s.resume(p)
	byID := make(map[string]*topicItem)
	var topics []*topicItem
	for _, ex := range s.cfg.Catalog.List {
		t := byID[ex.Topic]
		if t == nil {
			t = &topicItem{ID: ex.Topic, Lesson: s.lessonOf(ex.Topic)}
			byID[ex.Topic] = t
			topics = append(topics, t)
		}
		it := exerciseItem{Exercise: ex, Status: "pending", Now: ex == resume}
		if st := p.Exercises[ex.Name]; st != nil && st.Done {
			it.Status = "done"
			t.Done++
		} else if st != nil && st.Checks > 0 {
			it.Status = "started"
		}
		t.Exercises = append(t.Exercises, it)
	}
	// Topics in the order of their lessons; topics without one at the end.
	slices.SortStableFunc(topics, func(a, b *topicItem) int {
		order := func(t *topicItem) int {
			if t.Lesson == nil {
				return 1 << 30
			}
			return t.Lesson.Order
		}
		return cmp.Compare(order(a), order(b))
	})
	return topics, resume, p, nil
}

// resume is the exercise to go on with: the current one unless it is done,
// else the first one not done; nil when everything is done.
func (s *Server) resume(p *workspace.Progress) *exercises.Exercise {
	if ex, err := s.cfg.Catalog.Lookup(p.Current); err == nil && !p.Done(ex.Name) {
		return ex
	}
	for _, ex := range s.cfg.Catalog.List {
		if !p.Done(ex.Name) {
			return ex
		}
	}
	return nil
}

func (s *Server) lessonOf(topic string) *lessons.Lesson {
	for _, l := range s.cfg.Lessons {
		if l.Topic == topic {
			return l
		}
	}
	return nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	topics, resume, _, err := s.curriculum()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	done := 0
	for _, t := range topics {
		done += t.Done
	}
	s.render(w, r, http.StatusOK, "home.html", map[string]any{
		"Title":  "Go Blind Spots Workbook",
		"Topics": topics,
		"Resume": resume,
		"Done":   done,
		"Total":  len(s.cfg.Catalog.List),
	})
}

func (s *Server) lesson(w http.ResponseWriter, r *http.Request) {
	topic := r.PathValue("topic")
	i := slices.IndexFunc(s.cfg.Lessons, func(l *lessons.Lesson) bool { return l.Topic == topic })
	if i < 0 {
		s.notFound(w, r, fmt.Sprintf("There is no lesson %q.", topic))
		return
	}
	l := s.cfg.Lessons[i]
	body, err := markdownHTML(s.md, l.Body)
	if err != nil {
		http.Error(w, fmt.Sprintf("render lesson %s: %v", l.File, err), http.StatusInternalServerError)
		return
	}
	topics, _, _, err := s.curriculum()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var mine *topicItem
	for _, t := range topics {
		if t.ID == topic {
			mine = t
		}
	}
	data := map[string]any{"Title": l.Title, "Lesson": l, "Body": template.HTML(body), "Topic": mine,
		"Diagrams": strings.Contains(body, `<pre class="mermaid">`)}
	if i > 0 {
		data["Prev"] = s.cfg.Lessons[i-1]
	}
	if i+1 < len(s.cfg.Lessons) {
		data["Next"] = s.cfg.Lessons[i+1]
	}
	s.render(w, r, http.StatusOK, "lesson.html", data)
}

// sourceFile is a file shown on an exercise page.
type sourceFile struct {
	Name     string `json:"name"`
	Text     string `json:"text"`
	ReadOnly bool   `json:"readonly"`
}

func (s *Server) exercise(w http.ResponseWriter, r *http.Request) {
	ex, err := s.cfg.Catalog.Lookup(r.PathValue("name"))
	if err != nil {
		s.notFound(w, r, err.Error()+".")
		return
	}
	files, err := s.editorFiles(ex)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	task, err := markdownHTML(s.md, []byte(ex.Task))
	if err != nil {
		http.Error(w, fmt.Sprintf("render exercise %s: %v", ex.Name, err), http.StatusInternalServerError)
		return
	}
	var st workspace.Status
	err = s.cfg.Workspace.Update(func(p *workspace.Progress) error {
		p.Current = ex.Name // opening an exercise is where to resume
		st = *p.Status(ex.Name)
		return nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	list := s.cfg.Catalog.List
	i := slices.Index(list, ex)
	page := map[string]any{
		"Exercise": ex,
		"Title":    ex.Title,
		"Task":     template.HTML(task),
		"Status":   st,
		"Hints":    ex.Hints[:min(st.HintsShown, len(ex.Hints))],
		"Lesson":   s.lessonOf(ex.Topic),
		"Anchor":   strings.TrimPrefix(ex.Lesson, ex.Topic),
	}
	if i > 0 {
		page["Prev"] = list[i-1]
	}
	if i+1 < len(list) {
		page["Next"] = list[i+1]
	}
	data, _ := json.Marshal(map[string]any{
		"exercise": ex.Name, "files": files, "done": st.Done,
		"hints": len(ex.Hints), "hintsShown": min(st.HintsShown, len(ex.Hints)),
	})
	page["Data"] = template.JS(data) // json.Marshal escapes <, > and &: safe inside <script>
	s.render(w, r, http.StatusOK, "exercise.html", page)
}

// editorFiles returns the files of the exercise's editor tabs: the learner's
// editable files as they are on disk, then the shipped tests and read-only
// files, as shipped.
func (s *Server) editorFiles(ex *exercises.Exercise) ([]sourceFile, error) {
	disk, err := s.cfg.Workspace.Files(ex.Name)
	if err != nil {
		return nil, err
	}
	var files []sourceFile
	for _, name := range ex.EditableNames() {
		files = append(files, sourceFile{Name: name, Text: string(disk[name])})
	}
	for _, name := range ex.ShippedNames() {
		files = append(files, sourceFile{Name: name, Text: string(ex.Start[name]), ReadOnly: true})
	}
	return files, nil
}

// editableNames lists the files of an exercise a page may write.
func editableNames(ex *exercises.Exercise) []string { return ex.EditableNames() }

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusNotFound, "notfound.html", map[string]any{"Title": "Not found", "Message": msg})
}

// asset is a static file, ready to serve: gzipped when that is smaller.
type asset struct {
	data, gz []byte
	etag     string
	ctype    string
}

// assets are the embedded static files plus the generated chroma.css.
var assets = sync.OnceValue(func() map[string]*asset {
	m := make(map[string]*asset)
	add := func(name string, data []byte) {
		sum := sha256.Sum256(data)
		a := &asset{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: mime.TypeByExtension(path.Ext(name))}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		if b.Len() < len(data) {
			a.gz = b.Bytes()
		}
		m[name] = a
	}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := staticFS.ReadFile(p)
			add(path.Base(p), data)
		}
		return nil
	})
	add("chroma.css", chromaCSS())
	return m
})

// static serves the embedded assets, revalidated by ETag.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	a := assets()[r.PathValue("file")]
	if a == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if a.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		_, _ = w.Write(a.gz)
		return
	}
	_, _ = w.Write(a.data)
}
