// Package profiles serves the profile page's data: from the kvstore cache
// when it can, from the profiles database on a cache miss.
package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"example.com/kvstore/v2"
)

// Profile is what the profile page shows.
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Plan string `json:"plan"`
}

// ErrNoProfile is returned by a DB for an id that has no profile.
var ErrNoProfile = errors.New("no such profile")

// DB is the profiles database: the source of truth, and too small to take
// the page's traffic without the cache in front of it.
type DB interface {
	Profile(ctx context.Context, id string) (Profile, error)
}

// Service serves GET /profiles/{id}.
type Service struct {
	Cache *kvstore.Client
	DB    DB
}

// Load returns the profile with the given id: from the cache, or on a cache
// miss from the database, and then it caches it. When the cache fails for
// any other reason, Load fails too, without asking the database: a cache
// outage must not send the whole page's traffic to the database.
func (s *Service) Load(ctx context.Context, id string) (Profile, error) {
	key := "profile:" + id
	data, err := s.cached(ctx, key)
	switch {
	case err == nil:
		var p Profile
		if err := json.Unmarshal(data, &p); err != nil {
			return Profile{}, fmt.Errorf("profile %s: cached value: %w", id, err)
		}
		return p, nil
	case !isMiss(err):
		return Profile{}, &CacheError{Err: err}
	}
	p, err := s.DB.Profile(ctx, id)
	if err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", id, err)
	}
	data, err = json.Marshal(p)
	if err != nil {
		return Profile{}, err
	}
	if err := s.Cache.Set(ctx, key, data); err != nil {
		return Profile{}, &CacheError{Err: err}
	}
	return p, nil
}

// cached returns the cached value of key, errMiss when the key is not in the
// cache, or the cache's error.
func (s *Service) cached(ctx context.Context, key string) ([]byte, error) {
	data, found, err := s.Cache.Lookup(ctx, key)
	switch {
	case err != nil:
		return nil, err
	case !found:
		return nil, errMiss
	}
	return data, nil
}

// CacheError is a failure of the cache other than a miss.
type CacheError struct{ Err error }

func (e *CacheError) Error() string { return "cache unavailable: " + e.Err.Error() }
func (e *CacheError) Unwrap() error { return e.Err }

// ServeHTTP answers GET /profiles/{id}: 200 with the profile as JSON, 404
// for an unknown id, 503 when the cache or the database fails.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := s.Load(r.Context(), id)
	var cacheErr *CacheError
	switch {
	case errors.Is(err, ErrNoProfile):
		http.Error(w, "no such profile", http.StatusNotFound)
		return
	case errors.As(err, &cacheErr):
		http.Error(w, "profile cache unavailable", http.StatusServiceUnavailable)
		return
	case err != nil:
		http.Error(w, "profiles database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(p)
}

// Handler routes the service's requests.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /profiles/{id}", s)
	return mux
}
