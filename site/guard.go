package site

import (
	"net/http"
	"strings"

	"github.com/go-blindspots/workbook/guard"
)

// TokenHeader carries the token on API requests; the websocket takes it as
// ?token=. Pages' scripts keep the token in localStorage, which, unlike a
// cookie, belongs to this origin alone (its port included).
const TokenHeader = "X-Workbook-Token"

// guard rejects requests for a Host the server does not answer to and sets the
// headers every response carries.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Any other name could be a DNS-rebinding page: evil.example
		// resolving to 127.0.0.1.
		if !s.cfg.Remote && !guard.LoopbackHost(r, s.cfg.Hosts) {
			http.Error(w, "This workbook server answers only to the address it printed (localhost, 127.0.0.1 or [::1]): open the URL that `workbook serve` printed.", http.StatusMisdirectedRequest)
			return
		}
		guard.SetHeaders(w.Header())
		next.ServeHTTP(w, r)
	})
}

// authed guards the websocket and the API: the token (never a cookie), the
// origin, and for requests that change state, a JSON body of bounded size.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		isWS := r.URL.Path == "/ws"
		switch {
		case !s.keys.TokenOK(r):
			jsonError(w, http.StatusForbidden, "This session's token is missing or wrong: open the URL that `workbook serve` printed.")
			return
		case !guard.SameOrigin(r, isWS):
			jsonError(w, http.StatusForbidden, "Requests from other sites are refused.")
			return
		}
		if r.Method == http.MethodPost {
			// A JSON content type cannot be sent cross-origin without a
			// preflight, which this server never answers.
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				jsonError(w, http.StatusUnsupportedMediaType, "Send JSON (Content-Type: application/json).")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxRequestSize)
		}
		next(w, r)
	}
}

// page guards a page (guard.Keys.Page): the token or the page cookie opens
// it; a request with neither gets a page saying what to open.
func (s *Server) page(next http.HandlerFunc) http.HandlerFunc {
	return s.keys.Page(next, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_ = s.tmpl.ExecuteTemplate(w, "denied.html", nil)
	})
}
