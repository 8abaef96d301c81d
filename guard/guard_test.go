package guard

import (
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
