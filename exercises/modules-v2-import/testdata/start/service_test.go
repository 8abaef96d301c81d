package profiles

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"example.com/kvstore/v2"
)

// fakeDB serves profiles from a map and counts its queries.
type fakeDB struct {
	mu       sync.Mutex
	profiles map[string]Profile
	queries  int
}

func (db *fakeDB) Profile(ctx context.Context, id string) (Profile, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.queries++
	p, ok := db.profiles[id]
	if !ok {
		return Profile{}, ErrNoProfile
	}
	return p, nil
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, strings.TrimSpace(rec.Body.String())
}

func TestCacheMissLoadsFromTheDatabase(t *testing.T) {
	db := &fakeDB{profiles: map[string]Profile{"42": {ID: "42", Name: "Ada Lovelace", Plan: "team"}}}
	s := &Service{Cache: kvstore.New(kvstore.NewMemory("profiles"), "profiles"), DB: db}
	h := s.Handler()

	code, body := get(t, h, "/profiles/42")
	if code != http.StatusOK || !strings.Contains(body, "Ada Lovelace") {
		t.Fatalf("first GET /profiles/42 (not cached yet): got %d %q, want 200 and the profile from the database", code, body)
	}
	code, body = get(t, h, "/profiles/42")
	if code != http.StatusOK || !strings.Contains(body, "Ada Lovelace") {
		t.Fatalf("second GET /profiles/42: got %d %q, want 200 and the profile", code, body)
	}
	if db.queries != 1 {
		t.Errorf("two GETs of the same profile queried the database %d times, want 1 (the second comes from the cache)", db.queries)
	}
	if code, _ := get(t, h, "/profiles/7"); code != http.StatusNotFound {
		t.Errorf("GET /profiles/7 (no such profile): got %d, want 404", code)
	}
}
