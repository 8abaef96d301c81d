package site

import (
	"net"
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

// cookieName is the page cookie's name. Cookies do not tell ports apart, so
// two servers on one machine need names of their own.
func cookieName(r *http.Request) string {
	_, port, _ := net.SplitHostPort(r.Host)
	return "workbook_page_" + port
}

// tokenOK reports whether the request carries the server's token outside
// any cookie: in the X-Workbook-Token header or in ?token=.
func (s *Server) tokenOK(r *http.Request) bool {
	got := r.Header.Get(TokenHeader)
	if got == "" {
		got = r.URL.Query().Get("token")
	}
	return guard.Equal(got, s.cfg.Token)
}

// pageOK reports whether a page request may be served: it carries the
// token, or the page cookie. The cookie is sent to every port of the host
// (cookies ignore ports), so it is not the token: it opens pages and
// nothing else, and a page's script needs the token for all the rest.
func (s *Server) pageOK(r *http.Request) bool {
	if s.tokenOK(r) {
		return true
	}
	c, err := r.Cookie(cookieName(r))
	return err == nil && guard.Equal(c.Value, s.pageKey)
}

// authed guards the websocket and the API: the token (never a cookie), the
// origin, and for requests that change state, a JSON body of bounded size.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		isWS := r.URL.Path == "/ws"
		switch {
		case !s.tokenOK(r):
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

// page guards a page. A request with ?token= (the printed URL) gets the page
// cookie and is redirected to the same page with the token moved into the
// fragment, where only the page's script sees it (it keeps it in
// localStorage and removes it from the address bar); a request without the
// token or the cookie gets a page saying what to open.
func (s *Server) page(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.pageOK(r) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			_ = s.tmpl.ExecuteTemplate(w, "denied.html", nil)
			return
		}
		if r.URL.Query().Has("token") {
			http.SetCookie(w, &http.Cookie{
				Name: cookieName(r), Value: s.pageKey, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode,
			})
			u := *r.URL
			q := u.Query()
			q.Del("token")
			u.RawQuery = q.Encode()
			u.Fragment = "token=" + s.cfg.Token
			http.Redirect(w, r, u.RequestURI()+"#"+u.Fragment, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}
