// Package guard holds the HTTP guards that the workbook's local servers share:
// the site of `workbook serve` and the dashboard of `workbook room`. Both are
// reached by a browser on the same computer, so both answer only to loopback
// Host names (a DNS-rebinding page, evil.example resolving to 127.0.0.1, gets
// nothing), refuse requests from other origins, compare secrets in constant
// time, use a random token per launch, and send the same security headers.
package guard

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// loopbackHosts are the Host names a loopback server answers to.
var loopbackHosts = []string{"localhost", "127.0.0.1", "::1"}

// LoopbackHost reports whether the request's Host (without its port) is a
// loopback name, or one of extra: more loopback IP literals (127.0.0.2) a
// server listens on and prints.
func LoopbackHost(r *http.Request, extra []string) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	return slices.Contains(loopbackHosts, host) || slices.Contains(extra, host)
}

// SameOrigin reports whether the request comes from one of the server's own
// pages. Browsers send Origin with every websocket handshake and POST; tools
// like curl send none, and required says whether to refuse those.
func SameOrigin(r *http.Request, required bool) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return !required
	}
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.Host == r.Host
}

// Keys are a local server's two secrets. The token opens everything and
// travels outside cookies: in the header named Header, or in ?token= (a
// websocket handshake cannot set headers). The page key is the value of the
// page cookie, which the printed URL sets: cookies do not tell ports apart,
// so every local server the browser visits on the same host receives it,
// and it opens pages that hold no secrets, nothing else.
type Keys struct {
	Token   string
	PageKey string
	Header  string // the request header that carries the token
	Cookie  string // the page cookie's name, before the port
}

// NewKeys returns the keys of a server whose token is token, with a new
// random page key.
func NewKeys(token, header, cookie string) Keys {
	return Keys{Token: token, PageKey: NewToken(), Header: header, Cookie: cookie}
}

// TokenOK reports whether the request carries the token outside any cookie.
func (k Keys) TokenOK(r *http.Request) bool {
	got := r.Header.Get(k.Header)
	if got == "" {
		got = r.URL.Query().Get("token")
	}
	return Equal(got, k.Token)
}

// cookieName is the page cookie's name: the prefix and the port, so that
// two servers on one host keep cookies of their own.
func (k Keys) cookieName(r *http.Request) string {
	_, port, _ := net.SplitHostPort(r.Host)
	return k.Cookie + port
}

// PageOK reports whether a page may be served: the request carries the
// token, or the page cookie.
func (k Keys) PageOK(r *http.Request) bool {
	if k.TokenOK(r) {
		return true
	}
	c, err := r.Cookie(k.cookieName(r))
	return err == nil && Equal(c.Value, k.PageKey)
}

// Page guards a page. A request with neither the token nor the page cookie
// gets denied's answer. A request with ?token= (the printed URL) gets the
// page cookie and is redirected to the same page with the token moved into
// the fragment, where only the page's script sees it (it keeps it and
// removes it from the address bar).
func (k Keys) Page(next, denied http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !k.PageOK(r) {
			denied(w, r)
			return
		}
		if r.URL.Query().Has("token") {
			http.SetCookie(w, &http.Cookie{
				Name: k.cookieName(r), Value: k.PageKey, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode,
			})
			u := *r.URL
			q := u.Query()
			q.Del("token")
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI()+"#token="+k.Token, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// Equal compares secrets in constant time.
func Equal(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// NewToken returns a random per-launch token: 32 hex digits.
func NewToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// SetHeaders sets the headers every response of a guarded server carries:
// no content sniffing, no Referer (printed URLs carry the token), and a
// content security policy that allows the server's own scripts only.
func SetHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
}
