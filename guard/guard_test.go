package guard

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestLoopbackHost(t *testing.T) {
	tests := []struct {
		host  string
		extra []string
		want  bool
	}{
		{"127.0.0.1:8321", nil, true},
		{"localhost:8321", nil, true},
		{"LOCALHOST", nil, true},
		{"[::1]:8321", nil, true},
		{"127.0.0.2:8321", nil, false},
		{"127.0.0.2:8321", []string{"127.0.0.2"}, true},
		{"evil.example:8321", nil, false},
		{"127.0.0.1.evil.example", nil, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		if got := LoopbackHost(r, tt.extra); got != tt.want {
			t.Errorf("LoopbackHost(%q, %v) = %v, want %v", tt.host, tt.extra, got, tt.want)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		origin   string
		required bool
		want     bool
	}{
		{"http://127.0.0.1:8321", true, true},
		{"", false, true},
		{"", true, false},
		{"http://127.0.0.1:9999", false, false},
		{"https://127.0.0.1:8321", false, false},
		{"http://evil.example", false, false},
		{"null", false, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = "127.0.0.1:8321"
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		if got := SameOrigin(r, tt.required); got != tt.want {
			t.Errorf("SameOrigin(%q, required %v) = %v, want %v", tt.origin, tt.required, got, tt.want)
		}
	}
}

func TestEqualAndToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if len(a) != 32 || a == b || !Equal(a, a) || Equal(a, b) || Equal(a, "") {
		t.Errorf("tokens %q %q", a, b)
	}
}

func TestKeys(t *testing.T) {
	k := Keys{Token: "tok", PageKey: "page", Header: "X-Token", Cookie: "c_"}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	denied := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	tests := []struct {
		name      string
		url       string
		edit      func(*http.Request)
		token     bool // TokenOK
		status    int  // of Page
		redirect  string
		setCookie bool
	}{
		{"nothing", "/x", nil, false, http.StatusForbidden, "", false},
		{"the token in the header", "/x", func(r *http.Request) { r.Header.Set("X-Token", "tok") }, true, http.StatusOK, "", false},
		{"a wrong token in the header", "/x", func(r *http.Request) { r.Header.Set("X-Token", "bad") }, false, http.StatusForbidden, "", false},
		{"the printed URL", "/x?a=1&token=tok", nil, true, http.StatusSeeOther, "/x?a=1#token=tok", true},
		{"the page cookie", "/x", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "c_8321", Value: "page"}) }, false, http.StatusOK, "", false},
		{"the page cookie of another port", "/x", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "c_9999", Value: "page"}) }, false, http.StatusForbidden, "", false},
		{"the token in the cookie", "/x", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "c_8321", Value: "tok"}) }, false, http.StatusForbidden, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://127.0.0.1:8321"+tt.url, nil)
			if tt.edit != nil {
				tt.edit(r)
			}
			if got := k.TokenOK(r); got != tt.token {
				t.Errorf("TokenOK = %v, want %v", got, tt.token)
			}
			w := httptest.NewRecorder()
			k.Page(ok, denied)(w, r)
			if w.Code != tt.status {
				t.Errorf("Page answered %d, want %d", w.Code, tt.status)
			}
			if loc := w.Header().Get("Location"); loc != tt.redirect {
				t.Errorf("redirected to %q, want %q", loc, tt.redirect)
			}
			cookies := w.Result().Cookies()
			if tt.setCookie != (len(cookies) == 1) {
				t.Fatalf("cookies set: %v", cookies)
			}
			if tt.setCookie {
				if c := cookies[0]; c.Name != "c_8321" || c.Value != "page" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
					t.Errorf("the cookie set is %+v: want the page key, HttpOnly, SameSite=Strict, named for the port", c)
				}
			}
		})
	}
}
