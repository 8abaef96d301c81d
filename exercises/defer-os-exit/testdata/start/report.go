package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// An Order is one line of the shop database's nightly dump.
type Order struct {
	ID         string    `json:"id"`
	Customer   string    `json:"customer"`
	TotalCents int64     `json:"total_cents"`
	Currency   string    `json:"currency"`
	PlacedAt   time.Time `json:"placed_at"`
}

// currencies are the currencies finance books orders in.
var currencies = map[string]bool{"EUR": true, "USD": true, "GBP": true, "CHF": true}

// writeReport reads the dump and writes one CSV record per order, after a
// header. It returns the number of orders written.
func writeReport(w *csv.Writer, dump io.Reader) (int, error) {
	if err := w.Write([]string{"order_id", "customer", "total", "currency", "placed_on"}); err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(dump)
	n := 0
	for line := 1; sc.Scan(); line++ {
		var o Order
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			return n, fmt.Errorf("line %d: %v", line, err)
		}
		if !currencies[o.Currency] {
			return n, fmt.Errorf("line %d: order %s: unknown currency %q", line, o.ID, o.Currency)
		}
		total := fmt.Sprintf("%d.%02d", o.TotalCents/100, o.TotalCents%100)
		if err := w.Write([]string{o.ID, o.Customer, total, o.Currency, o.PlacedAt.Format(time.DateOnly)}); err != nil {
			return n, err
		}
		n++
	}
	return n, sc.Err()
}

// lock creates the lock file at path, which must not exist yet, and returns
// the function that removes it.
func lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("another export is running (lock file %s exists)", path)
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := f.Close(); err != nil {
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}
