package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestAllowUpToTheQuota(t *testing.T) {
	l := NewLimiter(3)
	var got []bool
	for range 5 {
		got = append(got, l.Allow("key-acme"))
	}
	want := []bool{true, true, true, false, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("5 requests of key-acme with a quota of 3: Allow returned %v, want %v", got, want)
		}
	}
	if n := l.Usage("key-acme"); n != 3 {
		t.Errorf("Usage(key-acme) = %d, want 3", n)
	}
	if !l.Allow("key-globex") {
		t.Error("Allow(key-globex) = false: key-acme's requests must not use up key-globex's quota")
	}
}

func TestResetStartsANewWindow(t *testing.T) {
	l := NewLimiter(2)
	l.Allow("key-acme")
	l.Allow("key-acme")

	l.Reset()

	if n := l.Usage("key-acme"); n != 0 {
		t.Errorf("after Reset, Usage(key-acme) = %d, want 0: a new window starts empty", n)
	}
	if !l.Allow("key-acme") {
		t.Error("after Reset, Allow(key-acme) = false, want true: the new window has room for 2 requests")
	}
}

// TestConcurrentRequests plays a burst of traffic from one API key, the way
// the gateway calls Allow: from many goroutines at once, while the admin
// endpoint reads Usage.
func TestConcurrentRequests(t *testing.T) {
	const quota, clients, perClient = 100, 8, 50
	l := NewLimiter(quota)

	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for range perClient {
				if l.Allow("key-acme") {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			if n := l.Usage("key-acme"); n > quota {
				t.Errorf("Usage(key-acme) = %d during the burst, over the quota of %d", n, quota)
				return
			}
		}
	})
	wg.Wait()

	if n := allowed.Load(); n != quota {
		t.Errorf("%d requests of key-acme with a quota of %d: Allow let %d through, want exactly %d", clients*perClient, quota, n, quota)
	}
	if n := l.Usage("key-acme"); n != quota {
		t.Errorf("after the burst, Usage(key-acme) = %d, want %d", n, quota)
	}
}
