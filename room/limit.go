package room

import (
	"sync"
	"time"
)

// limiter bounds the requests of each address: a token bucket per address,
// refilled at rate tokens a second up to burst. A push costs one token; a
// push with a wrong room code costs wrongCodeCost, so that guessing codes is
// slow long before it could succeed.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const (
	wrongCodeCost = 10
	maxBuckets    = 4096 // addresses remembered; full buckets are forgotten first
)

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: make(map[string]*bucket)}
}

// allow takes cost tokens from addr's bucket at now, and reports whether it
// had them. A request it refuses takes nothing.
func (l *limiter) allow(addr string, cost float64, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[addr]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.forget(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[addr] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < cost {
		return false
	}
	b.tokens -= cost
	return true
}

// charge takes cost tokens from addr's bucket, even into debt: the price of
// a wrong code, paid after the request was let in.
func (l *limiter) charge(addr string, cost float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[addr]; b != nil {
		b.tokens -= cost
	}
}

// forget drops the buckets that have refilled: their addresses start afresh
// anyway. If none has, it drops them all rather than grow without bound.
func (l *limiter) forget(now time.Time) {
	for addr, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, addr)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}
