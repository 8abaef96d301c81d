package room

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/go-blindspots/workbook/guard"
	"github.com/gorilla/websocket"
)

// The dashboard: the lead's pages, on loopback, guarded like the site of
// `workbook serve` (package guard). The token opens everything: in ?token=
// (the printed URL), in the X-Workbook-Token header, or in the cookie that
// the printed URL sets. Changes (marking a hand answered) need it outside
// the cookie, and come from the dashboard's own origin; so does the
// websocket.

// TokenHeader carries the dashboard's token on API requests.
const TokenHeader = "X-Workbook-Token"

// maxRequestSize bounds what the dashboard's page may send.
const maxRequestSize = 16 << 10

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

func (s *Server) parseTemplates() error {
	t, err := template.New("").Funcs(template.FuncMap{
		"duration": func(secs int64) string { return (time.Duration(secs) * time.Second).String() },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return fmt.Errorf("room templates: %w", err)
	}
	s.tmpl = t
	return nil
}

func (s *Server) dashboardRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page(s.dashboard))
	mux.HandleFunc("GET /summary", s.reader(s.summary))
	mux.HandleFunc("GET /static/{file}", s.static)
	mux.HandleFunc("GET /api/room", s.reader(s.apiRoom))
	mux.HandleFunc("GET /room.csv", s.reader(s.exportCSV))
	mux.HandleFunc("GET /room.json", s.reader(s.exportJSON))
	mux.HandleFunc("GET /ws", s.websocket)
	mux.HandleFunc("POST /api/answer", s.writer(s.apiAnswer))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		guard.SetHeaders(w.Header())
		if !guard.LoopbackHost(r, s.cfg.Hosts) {
			http.Error(w, "The dashboard answers only to the address `workbook room` printed (127.0.0.1).", http.StatusMisdirectedRequest)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// page guards the dashboard's page (guard.Keys.Page): the token or the page
// cookie opens it. The page holds no learner data: its script needs the
// token for everything else.
func (s *Server) page(next http.HandlerFunc) http.HandlerFunc {
	return s.keys.Page(next, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_ = s.tmpl.ExecuteTemplate(w, "denied.html", nil)
	})
}

// reader guards a request that only reads the room: the token (never the
// cookie: it holds learners' names and code), from the dashboard's own
// origin when a browser says where it comes from.
func (s *Server) reader(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !s.keys.TokenOK(r):
			jsonError(w, http.StatusForbidden, "The dashboard's token is missing or wrong: open the URL that `workbook room` printed.")
		case !guard.SameOrigin(r, false):
			jsonError(w, http.StatusForbidden, "Requests from other sites are refused.")
		default:
			next(w, r)
		}
	}
}

// writer guards a request that changes the room: the token outside the
// cookie, the dashboard's own origin, a JSON body of bounded size.
func (s *Server) writer(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !s.keys.TokenOK(r):
			jsonError(w, http.StatusForbidden, "The dashboard's token is missing or wrong: open the URL that `workbook room` printed.")
			return
		case !guard.SameOrigin(r, false):
			jsonError(w, http.StatusForbidden, "Requests from other sites are refused.")
			return
		case r.Header.Get("Content-Type") != "application/json":
			// A JSON content type cannot be sent cross-origin without a
			// preflight, which this server never answers.
			jsonError(w, http.StatusUnsupportedMediaType, "Send JSON (Content-Type: application/json).")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestSize)
		next(w, r)
	}
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// dashboardPage is what the dashboard's template gets.
type dashboardPage struct {
	JoinURL, Code string
	Stuck         StuckRule
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	s.render(w, "dashboard.html", dashboardPage{JoinURL: s.cfg.JoinURL, Code: s.cfg.Code,
		Stuck: StuckRule{Minutes: int(s.cfg.Stuck.After / time.Minute), Checks: s.cfg.Stuck.Checks}})
}

func (s *Server) summary(w http.ResponseWriter, r *http.Request) {
	s.render(w, "summary.html", s.report())
}

// render writes a page; a template error is a bug, shown as a 500.
func (s *Server) render(w http.ResponseWriter, name string, data any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// static serves the dashboard's script and style, and the editor bundle.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	var data []byte
	ctype := "text/javascript; charset=utf-8"
	switch name := r.PathValue("file"); name {
	case "editor.js":
		data = s.cfg.Editor
	case "room.js", "room.css":
		data, _ = staticFS.ReadFile("static/" + name)
		if name == "room.css" {
			ctype = "text/css; charset=utf-8"
		}
	}
	if data == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(data)
}

func (s *Server) apiRoom(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Snapshot())
}

// snapshotJSON is the dashboard's websocket message: the whole room.
func (s *Server) snapshotJSON() []byte {
	data, _ := json.Marshal(s.Snapshot())
	return data
}

func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		jsonError(w, http.StatusBadRequest, "The request is not valid JSON.")
		return
	}
	if !s.state.answer(req.ID, s.cfg.now()) {
		jsonError(w, http.StatusNotFound, "There is no such raised hand.")
		return
	}
	s.hub.changed()
	writeJSON(w, http.StatusOK, map[string]bool{"answered": true})
}

var upgrader = websocket.Upgrader{
	CheckOrigin: func(r *http.Request) bool { return guard.SameOrigin(r, true) },
}

// writeWait bounds one write to a dashboard: one that stopped reading is
// cut off after it.
const writeWait = 10 * time.Second

// websocket sends the dashboard the room, at once and after every change.
// A reader goroutine notices the page going; the handler alone writes.
func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	if !s.keys.TokenOK(r) {
		jsonError(w, http.StatusForbidden, "The dashboard's token is missing or wrong: open the URL that `workbook room` printed.")
		return
	}
	if !guard.SameOrigin(r, true) {
		jsonError(w, http.StatusForbidden, "Requests from other sites are refused.")
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	defer ws.Close()
	ws.SetReadLimit(maxRequestSize)
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	updates, stop := s.hub.watch(s.ctx)
	defer stop()
	for {
		select {
		case data, ok := <-updates:
			if !ok {
				return // the room is closing
			}
			_ = ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := ws.WriteMessage(websocket.TextMessage, data); err != nil {
				return
			}
		case <-gone:
			return
		}
	}
}
