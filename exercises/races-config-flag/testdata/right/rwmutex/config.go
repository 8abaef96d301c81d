// Package edgeconf holds the routing configuration of the edge proxy. The
// operators change it without a restart: on SIGHUP the proxy reads
// /etc/edge/routes.json again and applies it, while it keeps serving.
package edgeconf

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// Config is one version of the routing configuration.
type Config struct {
	Version   int      `json:"version"`    // shown on the dashboards
	Upstreams []string `json:"upstreams"`  // the backends, e.g. "orders-7.internal:8443"
	RateLimit int      `json:"rate_limit"` // requests per second per client
	TimeoutMS int      `json:"timeout_ms"` // per upstream request
}

// Store holds the configuration in force. Apply runs on the reload goroutine;
// every request calls Current, from its own goroutine, at the same time.
//
// mu orders every access: Apply writes the fields under the write lock,
// Current copies them under the read lock, so a copy is all of one version.
type Store struct {
	mu      sync.RWMutex
	cfg     Config
	applied int64 // how many configs have been applied: 0 until the first one
}

// Apply parses and validates a routes.json and puts it in force. An invalid
// file is rejected and the configuration in force stays as it is.
func (s *Store) Apply(data []byte) error {
	var next Config
	if err := json.Unmarshal(data, &next); err != nil {
		return fmt.Errorf("routes.json: %w", err)
	}
	if len(next.Upstreams) == 0 || next.RateLimit <= 0 || next.TimeoutMS <= 0 {
		return errors.New("routes.json: upstreams, rate_limit and timeout_ms are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.Version = next.Version
	s.cfg.Upstreams = next.Upstreams
	s.cfg.RateLimit = next.RateLimit
	s.cfg.TimeoutMS = next.TimeoutMS
	s.applied++
	return nil
}

// Current returns the configuration in force, and false while no config has
// been applied yet (the proxy answers 503 until then).
func (s *Store) Current() (Config, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.applied == 0 {
		return Config{}, false
	}
	return s.cfg, true
}
