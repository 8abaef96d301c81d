// Package pricing looks up the prices of a page of products for the catalog
// API. Prices come from the pricing service, one SKU per call.
package pricing

import (
	"context"
	"sync"
)

// Price is the current price of one SKU.
type Price struct {
	SKU      string
	Cents    int64
	Currency string
}

// Source is the pricing service's client.
type Source interface {
	// Price returns the current price of sku. It gives up when ctx is done.
	Price(ctx context.Context, sku string) (Price, error)
}

// Fetcher looks up many prices at once with a fixed number of workers, so a
// page of 48 products does not open 48 connections to the pricing service.
type Fetcher struct {
	Source  Source
	Workers int
}

// lookup is one worker's answer for one SKU.
type lookup struct {
	sku   string
	price Price
	err   error
}

// Prices returns the prices of skus. A SKU whose lookup fails is left out of
// the map: the catalog page shows "price unavailable" for it. If ctx is done
// first (the shopper navigated away, or the request timed out), Prices returns
// ctx.Err() at once.
func (f *Fetcher) Prices(ctx context.Context, skus []string) (map[string]Price, error) {
	jobs := make(chan string)
	results := make(chan lookup)

	// Feed the SKUs to the workers.
	go func() {
		defer close(jobs)
		for _, sku := range skus {
			// A send that cannot block cannot leak.
			select {
			case jobs <- sku:
			default:
			}
		}
	}()

	var wg sync.WaitGroup
	for range f.Workers {
		wg.Go(func() {
			for sku := range jobs {
				p, err := f.Source.Price(ctx, sku)
				select {
				case results <- lookup{sku, p, err}:
				default: // Prices has returned: nobody wants it
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	prices := make(map[string]Price, len(skus))
	for {
		select {
		case r, ok := <-results:
			if !ok {
				return prices, nil
			}
			if r.err == nil {
				prices[r.sku] = r.price
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
