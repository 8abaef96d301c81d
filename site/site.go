// Package site is the workbook's local web server: the curriculum, the lessons
// and the exercises in the browser, with checks streamed live over a websocket.
//
// Everything that does not change while it runs — every lesson and task
// rendered to HTML, the templates, the static assets with their gzipped forms
// — is made once, by New, which fails naming the file when one is broken;
// requests then only fill templates with the learner's progress.
//
// It runs code, so it is guarded (see guard.go): it answers only to loopback
// Host names unless told otherwise; the websocket and every request that
// reads the learner's files or changes anything need the per-launch token
// outside any cookie (the page's script sends it), and come from the
// server's own origin; the cookie serves only pages; and it writes only the
// exercise's own files inside the workspace (package workspace, through
// os.Root).
package site

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/guard"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/roomclient"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// Config is what a Server serves and how it runs checks.
type Config struct {
	Catalog   *exercises.Catalog
	Lessons   []*lessons.Lesson
	Workspace *workspace.Workspace
	// Runner runs the checks and the lessons' programs.
	Runner *runner.Runner

	// Token guards the server; see NewToken.
	Token string
	// Remote allows Host names other than loopback ones: the server was bound
	// to a non-loopback address on purpose.
	Remote bool
	// Hosts are more Host names (IP literals) the server answers to: the
	// loopback address it listens on, when it is not 127.0.0.1 or ::1.
	Hosts []string
	// Room is the workspace's link to a workshop room (the Workspace's
	// Reporter): the home page's Join box and the exercise page's Raise
	// hand use it. Nil: neither is shown.
	Room *roomclient.Client

	// Check, when set, stands in for Workspace.Check: the browser tests
	// replay recorded checks (browsertest.ReplayCheck) instead of running
	// them. Nil in the workbook itself.
	Check func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error)
}

// Server serves the site. Its zero value is not usable; call New.
type Server struct {
	cfg      Config
	keys     guard.Keys // the token, and the page cookie's key
	tmpl     *template.Template
	mux      *http.ServeMux
	latest   runner.Latest
	assets   map[string]*asset
	lessons  map[string]template.HTML   // rendered lesson bodies, by topic
	programs map[string]template.JS     // lessons' programs for the playground, by topic
	tasks    map[string]template.HTML   // rendered task texts, by exercise
	hints    map[string][]template.HTML // rendered hints, by exercise
	// questions are the predictions' questions, rendered (see predict.go).
	questions map[string]template.HTML

	// ctx ends every run when the server shuts down.
	ctx    context.Context
	cancel context.CancelFunc
	runs   sync.WaitGroup
}

// Limits on what a page may send.
const (
	maxFileSize    = 256 << 10 // one source file
	maxProgramSize = 64 << 10  // a lesson's program as edited in the page
	maxRequestSize = 1 << 20   // a request body or websocket message
)

// NewToken returns a random per-launch token (guard.NewToken).
func NewToken() string { return guard.NewToken() }

// New returns a server for cfg, with every page's Markdown rendered.
func New(cfg Config) (*Server, error) {
	if cfg.Token == "" {
		return nil, fmt.Errorf("site: no token")
	}
	s := &Server{cfg: cfg, keys: guard.NewKeys(cfg.Token, TokenHeader, "workbook_page_"), mux: http.NewServeMux(),
		lessons: make(map[string]template.HTML), programs: make(map[string]template.JS), tasks: make(map[string]template.HTML),
		hints: make(map[string][]template.HTML)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	md := markdown.New(markdown.Default)
	for _, l := range cfg.Lessons {
		body, err := md.HTML(l.Body, markdown.HTMLOptions{Runnable: true})
		if err != nil {
			return nil, fmt.Errorf("render lesson %s: %w", l.File, err)
		}
		s.lessons[l.Topic] = template.HTML(body)
		s.programs[l.Topic] = lessonPrograms(l)
	}
	for _, ex := range cfg.Catalog.List {
		task, err := md.HTML([]byte(ex.Task), markdown.HTMLOptions{})
		if err != nil {
			return nil, fmt.Errorf("render exercise %s: exercise.md: %w", ex.Name, err)
		}
		s.tasks[ex.Name] = template.HTML(task)
		for i, h := range ex.Hints {
			html, err := md.HTML([]byte(h), markdown.HTMLOptions{})
			if err != nil {
				return nil, fmt.Errorf("render exercise %s: hint %d: %w", ex.Name, i+1, err)
			}
			s.hints[ex.Name] = append(s.hints[ex.Name], template.HTML(html))
		}
	}
	if err := s.renderQuestions(md); err != nil {
		return nil, err
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// ServeHTTP serves the site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.guard(s.mux).ServeHTTP(w, r)
}

// Close stops every run the server started and waits until their processes
// are gone.
func (s *Server) Close() {
	s.cancel()
	s.runs.Wait()
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.page(s.home))
	s.mux.HandleFunc("GET /lesson/{topic}", s.page(s.lesson))
	s.mux.HandleFunc("GET /exercise/{name}", s.page(s.exercise))
	s.mux.HandleFunc("GET /static/{file}", s.static)
	s.mux.HandleFunc("GET /favicon.ico", s.favicon)
	s.mux.HandleFunc("GET /ws", s.authed(s.websocket))
	s.mux.HandleFunc("GET /api/status", s.authed(s.apiStatus))
	s.mux.HandleFunc("GET /api/files", s.authed(s.apiFiles))
	s.mux.HandleFunc("GET /api/solution", s.authed(s.apiSolution))
	s.mux.HandleFunc("POST /api/save", s.authed(s.apiSave))
	s.mux.HandleFunc("POST /api/format", s.authed(s.apiFormat))
	s.mux.HandleFunc("POST /api/reset", s.authed(s.apiReset))
	s.mux.HandleFunc("POST /api/hint", s.authed(s.apiHint))
	s.mux.HandleFunc("POST /api/room/join", s.authed(s.apiRoomJoin))
	s.mux.HandleFunc("POST /api/room/hand", s.authed(s.apiRoomHand))
}

// Token returns the server's token, for the URL to print.
func (s *Server) Token() string { return s.cfg.Token }

// check runs the learner's check of ex and records it.
func (s *Server) check(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
	if s.cfg.Check != nil {
		return s.cfg.Check(ctx, ex, sink)
	}
	return s.cfg.Workspace.Check(ctx, s.cfg.Runner, ex, sink)
}
