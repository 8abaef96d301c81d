package site

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// loopbackHosts are the Host names a loopback server answers to. Any other
// name could be a DNS-rebinding page: evil.example resolving to 127.0.0.1.
var loopbackHosts = map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}

// guard rejects requests for a Host the server does not answer to and sets the
// headers every response carries.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
		if !s.cfg.Remote && !loopbackHosts[strings.ToLower(strings.Trim(host, "[]"))] {
			http.Error(w, "This workbook server answers only to localhost, 127.0.0.1 and [::1]: open the URL that `workbook serve` printed.", http.StatusMisdirectedRequest)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		// The printed URL carries the token: never send it on as a Referer.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

// cookieName is the token cookie's name. Cookies do not tell ports apart, so
// two servers on one machine need names of their own.
func cookieName(r *http.Request) string {
	_, port, _ := net.SplitHostPort(r.Host)
	return "workbook_token_" + port
}

// tokenOK reports whether the request carries the server's token, in its
// cookie or in ?token=.
func (s *Server) tokenOK(r *http.Request) bool {
	got := r.URL.Query().Get("token")
	if c, err := r.Cookie(cookieName(r)); err == nil && got == "" {
		got = c.Value
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.Token)) == 1
}

// sameOrigin reports whether the request comes from one of the server's own
// pages. Browsers send Origin with every websocket handshake and POST; tools
// like curl send none, and they need the token all the same.
func sameOrigin(r *http.Request, required bool) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return !required
	}
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.Host == r.Host
}

// authed guards the websocket and the API: the token, the origin, and for
// requests that change state, a JSON body of bounded size.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		isWS := r.URL.Path == "/ws"
		switch {
		case !s.tokenOK(r):
			jsonError(w, http.StatusForbidden, "This session's token is missing or wrong: open the URL that `workbook serve` printed.")
			return
		case !sameOrigin(r, isWS):
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

// page guards a page: a request with ?token= sets the cookie and is redirected
// to the same page without it, so the token does not stay in the address bar
// or the history; a request without a valid cookie gets a page saying what to open.
func (s *Server) page(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.tokenOK(r) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			_ = s.tmpl.ExecuteTemplate(w, "denied.html", nil)
			return
		}
		if r.URL.Query().Has("token") {
			http.SetCookie(w, &http.Cookie{
				Name: cookieName(r), Value: s.cfg.Token, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode,
			})
			u := *r.URL
			q := u.Query()
			q.Del("token")
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}
