package authz

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

var errUnavailable = errors.New("policy service unavailable")

// fakePolicies lets everyone read orders and admins do anything. It is down
// for the subject "svc-flaky", and counts the questions it is asked.
type fakePolicies struct{ calls atomic.Int64 }

func (p *fakePolicies) Allowed(ctx context.Context, subject, action string) (bool, error) {
	p.calls.Add(1)
	if subject == "svc-flaky" {
		return false, errUnavailable
	}
	return action == "orders:read" || strings.HasPrefix(subject, "admin-"), nil
}

var (
	subjects = []string{"admin-ops", "user-1042", "user-77", "svc-billing", "admin-sre", "user-5"}
	actions  = []string{"orders:read", "orders:refund", "orders:cancel", "users:delete"}
)

func want(subject, action string) bool {
	return action == "orders:read" || strings.HasPrefix(subject, "admin-")
}

// TestAllowedDuringTraffic asks from several request goroutines at once, as
// the gateway does at peak, while the identity service revokes a subject.
func TestAllowedDuringTraffic(t *testing.T) {
	a := NewAuthorizer(&fakePolicies{})
	ctx := context.Background()

	start := make(chan struct{}) // every goroutine starts asking at once
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			<-start
			for i := range 100 {
				s, act := subjects[(g+i)%len(subjects)], actions[(g*i+i/len(subjects))%len(actions)]
				got, err := a.Allowed(ctx, s, act)
				if err != nil || got != want(s, act) {
					t.Errorf("Allowed(%s, %s) = %v, %v; want %v, nil", s, act, got, err, want(s, act))
					return
				}
				runtime.Gosched() // interleave the requests, even on one CPU
			}
		})
	}
	wg.Go(func() {
		<-start
		for range 20 {
			a.Revoke("user-1042")
		}
	})
	close(start)
	wg.Wait()
}

// TestAllowedCachesAnswers checks that the policy service is asked once per
// question until Revoke, and that errors are not cached.
func TestAllowedCachesAnswers(t *testing.T) {
	policies := &fakePolicies{}
	a := NewAuthorizer(policies)
	ctx := context.Background()

	for range 3 {
		for _, s := range subjects {
			for _, act := range actions {
				if got, err := a.Allowed(ctx, s, act); err != nil || got != want(s, act) {
					t.Fatalf("Allowed(%s, %s) = %v, %v; want %v, nil", s, act, got, err, want(s, act))
				}
			}
		}
	}
	if n, want := policies.calls.Load(), int64(len(subjects)*len(actions)); n != want {
		t.Errorf("the policy service was asked %d times for %d distinct questions", n, want)
	}

	a.Revoke("user-77")
	policies.calls.Store(0)
	for _, act := range actions {
		a.Allowed(ctx, "user-77", act)
		a.Allowed(ctx, "user-5", act)
	}
	if n := policies.calls.Load(); n != int64(len(actions)) {
		t.Errorf("after Revoke(user-77): the policy service was asked %d times, want %d (user-77's questions only)", n, len(actions))
	}

	for i := range 2 {
		if _, err := a.Allowed(ctx, "svc-flaky", "orders:read"); !errors.Is(err, errUnavailable) {
			t.Errorf("Allowed(svc-flaky) #%d: error %v, want %v", i+1, err, errUnavailable)
		}
	}
}
