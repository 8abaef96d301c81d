// Package authz decides, for the API gateway, whether a caller may perform an
// action. The answers come from the policy service and are cached: the same
// few thousand (subject, action) pairs are asked about all day long.
package authz

import (
	"context"
	"fmt"
	"sync"
)

// PolicyService answers one authorization question over the network. In
// production a call takes about 5 ms; the gateway serves 20,000 requests a
// second.
type PolicyService interface {
	Allowed(ctx context.Context, subject, action string) (bool, error)
}

// Authorizer answers Allowed for every request the gateway serves. net/http
// serves each request on its own goroutine, so Allowed and Revoke are called
// from many goroutines at once.
type Authorizer struct {
	policies PolicyService
	// decisions maps a decision to its cached answer (a bool). A sync.Map is
	// safe for concurrent use, and made for caches like this one, whose keys
	// are written once and then read many times.
	decisions sync.Map
}

// decision is the question a cached answer belongs to.
type decision struct{ subject, action string }

// NewAuthorizer returns an Authorizer that asks policies and caches the answers.
func NewAuthorizer(policies PolicyService) *Authorizer {
	return &Authorizer{policies: policies}
}

// Allowed reports whether subject may perform action, such as "orders:refund".
// The first question about a pair goes to the policy service; the answer is
// cached until Revoke.
func (a *Authorizer) Allowed(ctx context.Context, subject, action string) (bool, error) {
	key := decision{subject, action}
	if allowed, ok := a.decisions.Load(key); ok {
		return allowed.(bool), nil
	}
	allowed, err := a.policies.Allowed(ctx, subject, action)
	if err != nil {
		return false, fmt.Errorf("authz: may %s %s: %w", subject, action, err)
	}
	a.decisions.Store(key, allowed)
	return allowed, nil
}

// Revoke forgets every cached answer about subject. The identity service calls
// it when the subject's roles change, so that the next question asks the
// policy service again.
func (a *Authorizer) Revoke(subject string) {
	a.decisions.Range(func(k, _ any) bool {
		if k.(decision).subject == subject {
			a.decisions.Delete(k)
		}
		return true
	})
}
