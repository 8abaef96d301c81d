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
		var rate int64
		rate, err = c.attempt(ctx, pair)
		if err == nil {
			return rate, nil
		}
		if ctx.Err() != nil || !(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnavailable)) {
			return 0, fmt.Errorf("fx: %s: %w", pair, err)
		}
	}
	return 0, fmt.Errorf("fx: %s: %d attempts: %w", pair, c.Attempts, err)
}

// attempt asks the provider once, with c.AttemptTimeout. Its deferred cancel
// runs when the attempt returns, not when Rate does: the attempt's context
// and its timer are released as soon as the attempt is over.
func (c *Client) attempt(ctx context.Context, pair string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, c.AttemptTimeout)
	defer cancel()
	return c.Provider.Rate(ctx, pair)
}
