// Package export writes the nightly order export that finance imports: one
// gzip-compressed CSV object per day in the object store.
package export

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Order is one order of the day, as the staging database holds it. Amounts
// are never negative: refunds have an export of their own.
type Order struct {
	ID       string
	Customer string
	Amount   int64 // in the currency's minor unit: cents, or yen for JPY
	Currency string
}

// ErrUnknownCurrency is the error for an order in a currency the export
// cannot format.
var ErrUnknownCurrency = errors.New("unknown currency")

// Store is the object store client.
type Store interface {
	// Create starts the upload of the object key. Writes are buffered; Close
	// sends them and commits the object. The object exists only once Close
	// has returned nil.
	Create(key string) (io.WriteCloser, error)
}

// WriteOrders writes the orders to the object key as gzip-compressed CSV.
// Once it returns nil, the nightly job writes the day's _SUCCESS marker and
// purges the orders from staging; on an error, the job retries later.
func WriteOrders(store Store, key string, orders []Order) error {
	w, err := store.Create(key)
	if err != nil {
		return err
	}
	defer w.Close() // on the error paths; its error is moot once another is returned

	zw := gzip.NewWriter(w)
	cw := csv.NewWriter(zw)
	cw.Write([]string{"order_id", "customer", "amount", "currency"})
	for _, o := range orders {
		amount, err := formatAmount(o.Amount, o.Currency)
		if err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
		cw.Write([]string{o.ID, o.Customer, amount, o.Currency})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	// On the good path, Close commits the upload and its error is the
	// export's. (The deferred Close that follows fails harmlessly.)
	return w.Close()
}

// formatAmount formats an amount given in the currency's minor unit:
// 199990 EUR is "1999.90", 4500 JPY is "4500".
func formatAmount(minor int64, currency string) (string, error) {
	switch currency {
	case "EUR", "USD", "GBP", "CHF":
		return fmt.Sprintf("%d.%02d", minor/100, minor%100), nil
	case "JPY":
		return strconv.FormatInt(minor, 10), nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownCurrency, currency)
}
