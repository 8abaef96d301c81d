// Package ratelimit keeps each API key of the public API under its quota of
// requests per minute.
package ratelimit

import "sync"

// Limiter counts the requests of every API key in the current window and
// turns away those over the quota. The API gateway calls Allow for every
// request, from many goroutines at once; a ticker calls Reset at the start of
// every minute; the admin endpoint GET /admin/quota/{key} calls Usage.
//
// A Limiter is a small handle to the state it guards: its methods may copy
// it (they have value receivers), and every copy locks the same mutex and
// counts in the same map.
type Limiter struct {
	limit int // requests per key per window
	state *window
}

// window is the state every copy of a Limiter shares.
type window struct {
	mu     sync.Mutex     // guards counts
	counts map[string]int // requests allowed in the current window, by API key
}

// NewLimiter returns a Limiter that allows limit requests per key per window.
func NewLimiter(limit int) *Limiter {
	return &Limiter{limit: limit, state: &window{counts: make(map[string]int)}}
}

// Allow reports whether a request of key may go through, and counts it if so.
func (l Limiter) Allow(key string) bool {
	l.state.mu.Lock()
	defer l.state.mu.Unlock()
	if l.state.counts[key] >= l.limit {
		return false
	}
	l.state.counts[key]++
	return true
}

// Usage returns how many requests of key were allowed in the current window.
func (l Limiter) Usage(key string) int {
	l.state.mu.Lock()
	defer l.state.mu.Unlock()
	return l.state.counts[key]
}

// Reset starts a new window: every key may make limit requests again.
func (l Limiter) Reset() {
	l.state.mu.Lock()
	defer l.state.mu.Unlock()
	l.state.counts = make(map[string]int)
}
