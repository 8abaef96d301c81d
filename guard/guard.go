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
