// Package shipping picks the carrier for every parcel the warehouse ships:
// before a label is printed, every carrier is asked for a quote, and the
// cheapest one gets the parcel.
package shipping

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// Parcel is what the carriers quote for.
type Parcel struct {
	WeightGrams int
	FromZip     string
	ToZip       string
}

// Quote is one carrier's price for a parcel.
type Quote struct {
	Carrier string
	Cents   int64
}

// Carrier is the rating API of one carrier.
type Carrier interface {
	Name() string
	Quote(ctx context.Context, p Parcel) (Quote, error)
}

// Quotes asks every carrier for a quote at once and returns the quotes,
// cheapest first. A carrier that fails is left out, and its error is
// returned along with the other carriers' quotes.
func Quotes(ctx context.Context, p Parcel, carriers []Carrier) ([]Quote, error) {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex // guards quotes and errs
		quotes []Quote
		errs   []error
	)
	for _, c := range carriers {
		go func() {
			wg.Add(1)
			defer wg.Done()
			q, err := c.Quote(ctx, p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", c.Name(), err))
				return
			}
			quotes = append(quotes, q)
		}()
		runtime.Gosched() // let the goroutine start and call wg.Add before the next one
	}
	wg.Wait()

	slices.SortFunc(quotes, func(a, b Quote) int { return cmp.Compare(a.Cents, b.Cents) })
	return quotes, errors.Join(errs...)
}
