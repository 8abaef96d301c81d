package flags

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// rollout is when checkout-v2 is switched on: one minute after the synctest
// bubble's fake clock starts, at midnight UTC on 1 January 2000.
var rollout = time.Date(2000, 1, 1, 0, 1, 0, 0, time.UTC)

// fakeConn is the feature-flag service: each Fetch takes latency, like a
// request across the network. It counts the fetches made before and after
// Close.
type fakeConn struct {
	latency time.Duration

	mu         sync.Mutex
	closed     bool
	fetches    int // before Close
	afterClose int
}

func (f *fakeConn) Fetch(ctx context.Context) (map[string]bool, error) {
	time.Sleep(f.latency)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		f.afterClose++
		return nil, errors.New("flagd: use of closed connection")
	}
	f.fetches++
	return map[string]bool{"checkout-v2": !time.Now().Before(rollout), "dark-mode": true}, nil
}

func (f *fakeConn) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

// counts returns the number of fetches made before and after Close.
func (f *fakeConn) counts() (before, after int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches, f.afterClose
}

// The tests run in a synctest bubble, where time is fake: minutes of
// refreshes take no real time. When the function given to synctest.Test
// returns, every goroutine started in the bubble must have ended; if one is
// still blocked, synctest.Test fails the test with "deadlock: main bubble
// goroutine has exited but blocked goroutines remain" and prints its stack.

func TestClientRefreshesUntilClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := &fakeConn{latency: 50 * time.Millisecond}
		c, err := New(t.Context(), conn, 30*time.Second)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if !c.Enabled("dark-mode") || c.Enabled("checkout-v2") {
			t.Errorf("at start: dark-mode %v, checkout-v2 %v; want true, false", c.Enabled("dark-mode"), c.Enabled("checkout-v2"))
		}

		// Refreshed after 30s, 60s and 90s; checkout-v2 is on since 60s.
		time.Sleep(95 * time.Second)
		if !c.Enabled("checkout-v2") {
			t.Errorf("after 95s: checkout-v2 is still off, want on (switched on after 60s)")
		}
		if before, _ := conn.counts(); before != 4 {
			t.Errorf("after 95s: %d fetches, want 4 (at start, then every 30s)", before)
		}

		// The tenant is offboarded.
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		time.Sleep(10 * time.Minute)
		if before, after := conn.counts(); before != 4 || after != 0 {
			t.Errorf("in the 10 minutes after Close: %d more fetches and %d fetches on the closed connection; want none", before-4, after)
		}
	})
}

func TestCloseRightAway(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := &fakeConn{latency: 50 * time.Millisecond}
		c, err := New(t.Context(), conn, 30*time.Second)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		time.Sleep(10 * time.Minute)
		if before, after := conn.counts(); before != 1 || after != 0 {
			t.Errorf("in the 10 minutes after Close: %d more fetches and %d fetches on the closed connection; want none", before-1, after)
		}
	})
}
