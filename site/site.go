// Package site is the workbook's local web server: the curriculum, the lessons
// and the exercises in the browser, with checks streamed live over a websocket.
//
// It runs code, so it is guarded (see guard): it answers only to loopback Host
// names unless told otherwise, accepts websocket and state-changing requests
// only from its own origin and with the per-launch token, and writes only the
// exercise's own files inside the workspace.
package site

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
	"github.com/yuin/goldmark"
)

// Config is what a Server serves and how it runs checks.
type Config struct {
	Catalog   *exercises.Catalog
	Lessons   []*lessons.Lesson
	Workspace *workspace.Workspace

	// Token guards the server; see NewToken.
	Token string
	// Remote allows Host names other than loopback ones: the server was bound
	// to a non-loopback address on purpose.
	Remote bool

	// Check checks the learner's code of ex, sending the events to sink, and
	// records the result in the workspace's progress.
	Check func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error)
	// Run runs a lesson program (a Run button), sending the events to sink.
	Run func(ctx context.Context, c runner.Check, sink runner.Sink) runner.Result
	// Warm reports the background warm of the build cache, if one is running.
	Warm func() (done, total int, running bool)
}

// Server serves the site. Its zero value is not usable; call New.
type Server struct {
	cfg    Config
	md     goldmark.Markdown
	tmpl   *template.Template
	mux    *http.ServeMux
	latest runner.Latest

	// ctx ends every run when the server shuts down.
	ctx    context.Context
	cancel context.CancelFunc
	runs   sync.WaitGroup
}

// Limits on what a page may send.
const (
	maxFileSize    = 256 << 10 // one source file
	maxRequestSize = 1 << 20   // a request body or websocket message
)

// NewToken returns a random per-launch token.
func NewToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Token == "" {
		return nil, fmt.Errorf("site: no token")
	}
	s := &Server{cfg: cfg, md: newMarkdown(), mux: http.NewServeMux()}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.parseTemplates(); err != nil {
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
	s.mux.HandleFunc("GET /ws", s.authed(s.websocket))
	s.mux.HandleFunc("GET /api/status", s.authed(s.apiStatus))
	s.mux.HandleFunc("GET /api/files", s.authed(s.apiFiles))
	s.mux.HandleFunc("GET /api/solution", s.authed(s.apiSolution))
	s.mux.HandleFunc("POST /api/save", s.authed(s.apiSave))
	s.mux.HandleFunc("POST /api/format", s.authed(s.apiFormat))
	s.mux.HandleFunc("POST /api/reset", s.authed(s.apiReset))
	s.mux.HandleFunc("POST /api/hint", s.authed(s.apiHint))
}

// Token returns the server's token, for the URL to print.
func (s *Server) Token() string { return s.cfg.Token }
