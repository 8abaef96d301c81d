// Package edgeconf holds the routing configuration of the edge proxy. The
// operators change it without a restart: on SIGHUP the proxy reads
// /etc/edge/routes.json again and applies it, while it keeps serving.
package edgeconf

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
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
// A Config is never modified once it is in force: Apply publishes a new one
// with a single atomic store, and a request that loads the pointer sees all of
// the Config it points to (the store is synchronized before the load that
// observes it), and only that Config, however many reloads follow.
type Store struct {
	cfg atomic.Pointer[Config] // nil until the first Apply
}

// Apply parses and validates a routes.json and puts it in force. An invalid
// file is rejected and the configuration in force stays as it is.
func (s *Store) Apply(data []byte) error {
	// Start from the config in force, so that a file that leaves a field out
	// keeps its current value.
	var next Config
	if cur := s.cfg.Load(); cur != nil {
		next = *cur
	}
	if err := json.Unmarshal(data, &next); err != nil {
		return fmt.Errorf("routes.json: %w", err)
	}
	if len(next.Upstreams) == 0 || next.RateLimit <= 0 || next.TimeoutMS <= 0 {
		return errors.New("routes.json: upstreams, rate_limit and timeout_ms are required")
	}
	s.cfg.Store(&next)
	return nil
}

// Current returns the configuration in force, and false while no config has
// been applied yet (the proxy answers 503 until then).
func (s *Store) Current() (Config, bool) {
	cfg := s.cfg.Load()
	if cfg == nil {
		return Config{}, false
	}
	return *cfg, true
}
