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

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/markdown"
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

// page is what every page's template gets.
type page struct {
	Title string
}

// exerciseItem is an exercise in a list, with the learner's state.
type exerciseItem struct {
	*exercises.Exercise
	State string // workspace.StateDone, StateFailing or StatePending
	Now   bool   // the one to resume
}

// topicItem is a topic of the curriculum: its lesson and exercises.
type topicItem struct {
	ID        string
	Lesson    *lessons.Lesson // nil if the topic has no lesson yet
	Exercises []exerciseItem
	Done      int
}

// homePage is the curriculum.
type homePage struct {
	page
	Topics      []*topicItem
	Resume      *exercises.Exercise
	Done, Total int
	Room        roomLink // the Join box
}

// lessonPage is one lesson.
type lessonPage struct {
	page
	Lesson     *lessons.Lesson
	Body       template.HTML
	Topic      *topicItem
	Prev, Next *lessons.Lesson
	Diagrams   bool
}

// exercisePage is one exercise's workbench.
type exercisePage struct {
	page
	Exercise   *exercises.Exercise
	Task       template.HTML
	Done       bool
	Hints      []template.HTML // the hints shown so far
	Lesson     *lessons.Lesson
	Anchor     string
	Prev, Next *exercises.Exercise
	Path       string   // where the files are on disk
	Data       pageData // for the script
}

// pageData is what an exercise page's script starts from.
type pageData struct {
	Exercise   string       `json:"exercise"`
	Files      []sourceFile `json:"files"`
	Done       bool         `json:"done"`
	Solution   bool         `json:"solution"` // the solution is open
	Hints      int          `json:"hints"`
	HintsShown int          `json:"hintsShown"`
	Room       bool         `json:"room"` // the workspace joined a workshop room: Raise hand shows
}

// JS returns the data for a <script type="application/json">.
func (d pageData) JS() template.JS {
	data, _ := json.Marshal(d) // json.Marshal escapes <, > and &: safe inside <script>
	return template.JS(data)
}

// curriculum returns the topics with the learner's progress, in order, and the
// exercise to resume.
func (s *Server) curriculum(p *workspace.Progress) ([]*topicItem, *exercises.Exercise) {
	resume := p.Resume(s.cfg.Catalog)
	byID := make(map[string]*topicItem)
	var topics []*topicItem
	for _, ex := range s.cfg.Catalog.List {
		t := byID[ex.Topic]
		if t == nil {
			t = &topicItem{ID: ex.Topic, Lesson: s.lessonOf(ex.Topic)}
			byID[ex.Topic] = t
			topics = append(topics, t)
		}
		it := exerciseItem{Exercise: ex, State: p.State(ex.Name), Now: ex == resume}
		if it.State == workspace.StateDone {
			t.Done++
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
	return topics, resume
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
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	topics, resume := s.curriculum(p)
	sum := p.Summary(s.cfg.Catalog)
	s.render(w, r, http.StatusOK, "home.html", homePage{page: page{Title: "Go Blind Spots Workbook"},
		Topics: topics, Resume: resume, Done: sum.Done, Total: sum.Total, Room: s.roomLink()})
}

func (s *Server) lesson(w http.ResponseWriter, r *http.Request) {
	topic := r.PathValue("topic")
	i := slices.IndexFunc(s.cfg.Lessons, func(l *lessons.Lesson) bool { return l.Topic == topic })
	if i < 0 {
		s.notFound(w, r, fmt.Sprintf("There is no lesson %q.", exercises.Shorten(topic)))
		return
	}
	l := s.cfg.Lessons[i]
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	topics, _ := s.curriculum(p)
	data := lessonPage{page: page{Title: l.Title}, Lesson: l, Body: s.lessons[topic],
		Diagrams: strings.Contains(string(s.lessons[topic]), `<pre class="mermaid">`)}
	for _, t := range topics {
		if t.ID == topic {
			data.Topic = t
		}
	}
	if i > 0 {
		data.Prev = s.cfg.Lessons[i-1]
	}
	if i+1 < len(s.cfg.Lessons) {
		data.Next = s.cfg.Lessons[i+1]
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
	// Opening an exercise is where to resume.
	if err := s.cfg.Workspace.SetCurrent(ex); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, solErr := p.Solution(ex)
	hints := s.hints[ex.Name][:len(p.Hints(ex))]
	data := exercisePage{
		page:     page{Title: ex.Title},
		Exercise: ex,
		Task:     s.tasks[ex.Name],
		Done:     p.Done(ex.Name),
		Hints:    hints,
		Lesson:   s.lessonOf(ex.Topic),
		Anchor:   strings.TrimPrefix(ex.Lesson, ex.Topic),
		Path:     s.cfg.Workspace.Dir(ex.Name),
		Data: pageData{Exercise: ex.Name, Files: files, Done: p.Done(ex.Name), Solution: solErr == nil,
			Hints: len(ex.Hints), HintsShown: len(hints), Room: s.roomLink().URL != ""},
	}
	list := s.cfg.Catalog.List
	if i := slices.Index(list, ex); i > 0 {
		data.Prev = list[i-1]
	}
	if i := slices.Index(list, ex); i+1 < len(list) {
		data.Next = list[i+1]
	}
	s.render(w, r, http.StatusOK, "exercise.html", data)
}

// editorFiles returns the files of the exercise's editor tabs: the learner's
// editable files as they are on disk, then the shipped tests and read-only
// files, as shipped.
func (s *Server) editorFiles(ex *exercises.Exercise) ([]sourceFile, error) {
	disk, err := s.cfg.Workspace.ReadFiles(ex, ex.EditableNames())
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

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusNotFound, "notfound.html", struct {
		page
		Message string
	}{page{Title: "Not found"}, msg})
}

// asset is a static file, ready to serve: gzipped when that is smaller.
type asset struct {
	data, gz []byte
	etag     string
	ctype    string
}

// loadAssets reads the embedded static files, with the highlighter's
// chroma.css, and gzips them.
func loadAssets() (map[string]*asset, error) {
	m := make(map[string]*asset)
	add := func(name string, data []byte) {
		sum := sha256.Sum256(data)
		a := &asset{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: mime.TypeByExtension(path.Ext(name))}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(data)
		_ = zw.Close()
		if b.Len() < len(data) {
			a.gz = b.Bytes()
		}
		m[name] = a
	}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		add(path.Base(p), data)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("site assets: %w", err)
	}
	add("chroma.css", markdown.CSS())
	return m, nil
}

// static serves the embedded assets, revalidated by ETag.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	a := s.assets[r.PathValue("file")]
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

// EditorBundle returns the code editor's script (site/static/editor.js,
// CodeMirror, which defines WorkbookEditor): the room's dashboard shows
// raised hands' code in the same editor, read-only.
func EditorBundle() []byte {
	data, _ := staticFS.ReadFile("static/editor.js")
	return data
}

// favicon answers /favicon.ico, which browsers ask for on every page, with
// the site's icon.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	r.SetPathValue("file", "favicon.svg")
	s.static(w, r)
}
