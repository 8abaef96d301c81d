// Package notify sends the platform's SMS. Customers buy credits in advance:
// one credit per segment of 160 characters.
package notify

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrNoCredits is returned when an account cannot pay for a message.
var ErrNoCredits = errors.New("not enough credits")

// Provider is the SMS gateway. It bills us for every message it accepts; a
// call takes about 200 ms.
type Provider interface {
	Send(ctx context.Context, to, body string) error
}

// Balance holds an account's prepaid credits. Every method is one atomic
// operation: *atomic.Int64 is a Balance, and every account keeps its credits
// in one. (Account takes the interface so that the billing tests can watch
// each operation on a balance.)
type Balance interface {
	Load() int64
	Store(val int64)
	Add(delta int64) (new int64)
	CompareAndSwap(old, new int64) (swapped bool)
}

// NewBalance returns a Balance of n credits, for NewAccount.
func NewBalance(n int64) *atomic.Int64 {
	b := new(atomic.Int64)
	b.Store(n)
	return b
}

// Account is a customer's prepaid SMS account. A campaign calls Send from many
// goroutines at once, one per recipient.
type Account struct {
	ID       string
	provider Provider
	credits  Balance
}

// NewAccount returns an account whose credits are kept in credits, sending
// through provider: NewAccount("acme-retail", NewBalance(50), provider).
func NewAccount(id string, credits Balance, provider Provider) *Account {
	return &Account{ID: id, provider: provider, credits: credits}
}

// Credits returns the credits left.
func (a *Account) Credits() int64 { return a.credits.Load() }

// Segments returns the credits that body costs: one per 160 bytes, at least one.
func Segments(body string) int64 { return max(1, (int64(len(body))+159)/160) }

// Send sends body to the phone number to and charges the account for it. A
// message the account cannot pay for is not sent; a message the provider
// rejects costs nothing.
func (a *Account) Send(ctx context.Context, to, body string) error {
	cost := Segments(body)
	if a.credits.Load() < cost {
		return fmt.Errorf("account %s: %w for %d segments", a.ID, ErrNoCredits, cost)
	}
	if err := a.provider.Send(ctx, to, body); err != nil {
		return fmt.Errorf("account %s: send to %s: %w", a.ID, to, err)
	}
	// Check again: other messages may have used the credits in the meantime.
	if a.credits.Load() < cost {
		return fmt.Errorf("account %s: %w for %d segments", a.ID, ErrNoCredits, cost)
	}
	a.credits.Add(-cost)
	return nil
}
