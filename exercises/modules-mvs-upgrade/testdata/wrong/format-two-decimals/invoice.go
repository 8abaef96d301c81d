// Package invoicing computes the totals of the shop's invoices and credit
// notes, and books them to the general ledger.
package invoicing

import (
	"fmt"
	"strconv"

	"example.com/money"
)

// Line is one line of an invoice: Qty units at UnitPrice, net of VAT. A
// credit note has lines with a negative Qty.
type Line struct {
	SKU       string
	Qty       int64
	UnitPrice money.Amount // net, in cents
	VATRate   int64        // percent: 19 (standard) or 7 (reduced)
}

// Totals are what an invoice shows at the bottom.
type Totals struct {
	Net, VAT, Gross money.Amount
}

// LineVAT returns the VAT of one line: its net amount times the rate,
// rounded to the cent. A half cent is rounded away from zero (commercial
// rounding): 3.50 at 19% is 0.665, which the invoice shows as 0.67, and a
// credit of -3.50 gets -0.67.
func LineVAT(l Line) money.Amount {
	net := l.UnitPrice * money.Amount(l.Qty)
	// Round the VAT in euros to two decimals, as the invoice prints it,
	// instead of relying on the money package's rounding, which changed.
	euros := float64(net) * float64(l.VATRate) / 100 / 100
	rounded, _ := strconv.ParseFloat(fmt.Sprintf("%.2f", euros), 64)
	return money.Amount(rounded*100 + copysign(0.5, rounded))
}

func copysign(x, sign float64) float64 {
	if sign < 0 {
		return -x
	}
	return x
}

// Compute returns the totals of an invoice. Each line's VAT is rounded on
// its own (the invoice prints it per line), and the VAT total is the sum of
// the lines' VAT.
func Compute(lines []Line) Totals {
	var t Totals
	for _, l := range lines {
		net := l.UnitPrice * money.Amount(l.Qty)
		vat := LineVAT(l)
		t.Net += net
		t.VAT += vat
	}
	t.Gross = t.Net + t.VAT
	return t
}
