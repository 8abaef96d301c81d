// Package shipping picks the carrier for every parcel the warehouse ships:
// before a label is printed, every carrier is asked for a quote, and the
// cheapest one gets the parcel.
package shipping

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
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

// Quotes asks every carrier for a quote and returns the quotes, cheapest
// first. A carrier that fails is left out, and its error is returned along
// with the other carriers' quotes.
//
// The carriers are asked one after the other: no goroutine, no WaitGroup,
// no quote can go missing.
func Quotes(ctx context.Context, p Parcel, carriers []Carrier) ([]Quote, error) {
	var (
		quotes []Quote
		errs   []error
	)
	for _, c := range carriers {
		q, err := c.Quote(ctx, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name(), err))
			continue
		}
		quotes = append(quotes, q)
	}
	slices.SortFunc(quotes, func(a, b Quote) int { return cmp.Compare(a.Cents, b.Cents) })
	return quotes, errors.Join(errs...)
}
