// Package ratelimit keeps each API key of the public API under its quota of
// requests per minute.
package ratelimit

import "sync"

// Limiter counts the requests of every API key in the current window and
// turns away those over the quota. The API gateway calls Allow for every
// request, from many goroutines at once; a ticker calls Reset at the start of
// every minute; the admin endpoint GET /admin/quota/{key} calls Usage.
type Limiter struct {
	mu     sync.Mutex     // guards counts
	limit  int            // requests per key per window
	counts map[string]int // requests allowed in the current window, by API key
}

// NewLimiter returns a Limiter that allows limit requests per key per window.
func NewLimiter(limit int) *Limiter {
	return &Limiter{limit: limit, counts: make(map[string]int)}
}

// Allow reports whether a request of key may go through, and counts it if so.
func (l *Limiter) Allow(key string) bool {
	if l.Usage(key) >= l.limit { // Usage takes the lock
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts[key]++
	return true
}

// Usage returns how many requests of key were allowed in the current window.
func (l *Limiter) Usage(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[key]
}

// Reset starts a new window: every key may make limit requests again.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts = make(map[string]int)
}
