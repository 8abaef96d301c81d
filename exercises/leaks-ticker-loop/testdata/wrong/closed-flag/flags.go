// Package flags is the feature-flag client that every service of the shop
// embeds. It keeps the flags in memory and refreshes them in the background,
// so that Enabled never waits for the network.
package flags

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
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
	closed atomic.Bool // set by Close: the refresh loop returns at its next tick

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
	go c.refreshLoop(every)
	return c, nil
}

// refreshLoop refreshes the flags every interval. When a refresh fails, the
// client keeps the flags it has.
func (c *Client) refreshLoop(every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for range ticker.C {
		if c.closed.Load() {
			return
		}
		if err := c.refresh(context.Background()); err != nil {
			slog.Warn("feature flags: refresh failed, keeping the last flags", "err", err)
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
	c.closed.Store(true)
	return c.conn.Close()
}
