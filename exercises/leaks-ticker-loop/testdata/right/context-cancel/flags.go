// Package flags is the feature-flag client that every service of the shop
// embeds. It keeps the flags in memory and refreshes them in the background,
// so that Enabled never waits for the network.
package flags

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Conn is a connection to the feature-flag service.
type Conn interface {
	// Fetch returns the current value of every flag.
	Fetch(ctx context.Context) (map[string]bool, error)
	// Close closes the connection.
	Close() error
}

// Client answers flag queries from memory. The checkout service creates one
// per tenant, with the tenant's connection, and closes it when the tenant is
// offboarded or moved to another shard.
type Client struct {
	conn   Conn
	cancel context.CancelFunc // ends the refresh loop, and a refresh in progress
	loop   sync.WaitGroup     // the refresh loop

	mu    sync.RWMutex
	flags map[string]bool
}

// New fetches the flags once, then refreshes them every interval in the
// background until Close is called.
func New(ctx context.Context, conn Conn, every time.Duration) (*Client, error) {
	c := &Client{conn: conn}
	if err := c.refresh(ctx); err != nil {
		return nil, err
	}
	// The loop's context is the client's lifetime, not the caller's: New's
	// ctx is only for the first fetch.
	loopCtx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.loop.Go(func() { c.refreshLoop(loopCtx, every) })
	return c, nil
}

// refreshLoop refreshes the flags every interval. When a refresh fails, the
// client keeps the flags it has.
func (c *Client) refreshLoop(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			if err := c.refresh(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("feature flags: refresh failed, keeping the last flags", "err", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

func (c *Client) refresh(ctx context.Context) error {
	flags, err := c.conn.Fetch(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.flags = flags
	c.mu.Unlock()
	return nil
}

// Enabled reports whether the flag name is on. Unknown flags are off.
func (c *Client) Enabled(name string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.flags[name]
}

// Close stops the background refresh and closes the connection. The client
// makes no request after Close has returned.
func (c *Client) Close() error {
	c.cancel()
	c.loop.Wait() // the loop has returned: no request after this
	return c.conn.Close()
}
