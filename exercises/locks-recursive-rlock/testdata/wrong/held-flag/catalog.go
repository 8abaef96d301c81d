// Package pricing serves the storefront's prices: the list prices of the
// nightly feed, minus the running promotions, in the shopper's currency.
package pricing

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Converter converts prices from euro cents to cents of another currency.
// The storefront's converter keeps the treasury's exchange rates in memory.
type Converter interface {
	Convert(euroCents int64, currency string) (int64, error)
}

// Product is one line of the price feed.
type Product struct {
	SKU       string
	Category  string // "shoes", "outdoor", ...
	ListCents int64  // list price in euro cents
}

// Catalog holds the current list prices and promotions. Every product page
// calls Price and the promotion banner calls Discount, thousands of times a
// second; the feed importer calls Update a few times a day.
type Catalog struct {
	mu       sync.RWMutex
	held     atomic.Bool        // set while Price holds the read lock
	products map[string]Product // by SKU
	promos   map[string]int     // percent off, by category
	fx       Converter
}

// NewCatalog returns an empty Catalog that converts prices with fx.
func NewCatalog(fx Converter) *Catalog {
	return &Catalog{products: make(map[string]Product), promos: make(map[string]int), fx: fx}
}

// Update applies a price feed: new list prices and the new promotions, all at
// once, so that no shopper sees a new price with an old promotion.
func (c *Catalog) Update(products []Product, promos map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range products {
		c.products[p.SKU] = p
	}
	c.promos = promos
}

// Discount returns the percentage off for category, 0 if it has no promotion.
// When Price calls it, Price already holds the read lock: taking it again
// would wait behind a waiting writer, so Discount skips it then.
func (c *Catalog) Discount(category string) int {
	if !c.held.Load() {
		c.mu.RLock()
		defer c.mu.RUnlock()
	}
	return c.promos[category]
}

// Price returns the price of sku in currency, with its category's promotion.
func (c *Catalog) Price(sku, currency string) (int64, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.held.Store(true)
	defer c.held.Store(false)
	p, ok := c.products[sku]
	if !ok {
		return 0, fmt.Errorf("pricing: unknown SKU %q", sku)
	}
	cents, err := c.fx.Convert(p.ListCents, currency)
	if err != nil {
		return 0, fmt.Errorf("pricing: %s: %w", sku, err)
	}
	return cents - cents*int64(c.Discount(p.Category))/100, nil
}
