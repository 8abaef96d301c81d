// Package fx gets exchange rates from the treasury's rate provider, for the
// prices checkout shows in the shopper's currency.
package fx

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrUnavailable is what a Provider returns when it is overloaded or
// restarting: the next attempt may well succeed.
var ErrUnavailable = errors.New("rate provider unavailable")

// Provider is the treasury's rate service, across the network.
type Provider interface {
	// Rate returns the exchange rate of pair, such as "EUR/USD", in millionths.
	Rate(ctx context.Context, pair string) (int64, error)
}

// Client asks the Provider for rates, with a timeout for every attempt and a
// few attempts when the provider is slow or unavailable.
type Client struct {
	Provider       Provider
	AttemptTimeout time.Duration // 2s in production
	Attempts       int           // 3 in production
}

// Rate returns the exchange rate of pair in millionths. Every attempt gets
// c.AttemptTimeout; after a timeout or ErrUnavailable, Rate tries again, up
// to c.Attempts times in all.
func (c *Client) Rate(ctx context.Context, pair string) (int64, error) {
	var err error
	for range c.Attempts {
		// A context of the attempt's own, not registered with the request:
		// nothing piles up on the request's context, and cancel releases
		// the timer as soon as the attempt is over.
		attemptCtx, cancel := context.WithTimeout(context.Background(), c.AttemptTimeout)
		var rate int64
		rate, err = c.Provider.Rate(attemptCtx, pair)
		cancel()
		if err == nil {
			return rate, nil
		}
		if ctx.Err() != nil || !(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnavailable)) {
			return 0, fmt.Errorf("fx: %s: %w", pair, err)
		}
	}
	return 0, fmt.Errorf("fx: %s: %d attempts: %w", pair, c.Attempts, err)
}
