package importer

import (
	"fmt"
	"strconv"
	"strings"
)

// Invoice is one line of a partner's export, for example
//
//	INV-1042;ACME GmbH;1999.90;EUR
type Invoice struct {
	Number      string
	Customer    string
	AmountCents int64
	Currency    string
}

// ParseInvoice parses one line of a partner's semicolon-separated export.
func ParseInvoice(line string) (Invoice, error) {
	f := strings.Split(line, ";")
	cents, err := parseCents(f[2])
	if err != nil {
		return Invoice{}, fmt.Errorf("invoice %s: %w", f[0], err)
	}
	return Invoice{Number: f[0], Customer: f[1], AmountCents: cents, Currency: f[3]}, nil
}

// parseCents parses an amount such as "1999.90" or "12.5" into cents.
func parseCents(s string) (int64, error) {
	units, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q has more than 2 decimals", s)
	}
	n, err := strconv.ParseInt(units+frac+"00"[len(frac):], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	return n, nil
}
