package invoicing

import (
	"testing"

	"example.com/ledger"
	"example.com/money"
)

func TestLineVAT(t *testing.T) {
	tests := []struct {
		line Line
		want money.Amount
	}{
		{Line{"COFFEE-250", 1, 1000, 19}, 190}, // 1.90 exactly
		{Line{"MUG-WHITE", 1, 350, 19}, 67},    // 0.665 -> 0.67
		{Line{"MUG-WHITE", -1, 350, 19}, -67},  // a credit note: -0.665 -> -0.67
		{Line{"BOOK-GO", 1, 2450, 7}, 172},     // 1.715 -> 1.72
		{Line{"FILTER-100", 3, 199, 19}, 113},  // 1.1343 -> 1.13
	}
	for _, tt := range tests {
		if got := LineVAT(tt.line); got != tt.want {
			t.Errorf("VAT of %d x %s at %d%%: got %s, want %s", tt.line.Qty, tt.line.UnitPrice, tt.line.VATRate, got, tt.want)
		}
	}
}

func TestComputeAndBook(t *testing.T) {
	tot := Compute([]Line{
		{"COFFEE-250", 2, 1000, 19},
		{"MUG-WHITE", 1, 350, 19},
		{"BOOK-GO", 1, 2450, 7},
	})
	want := Totals{Net: 4800, VAT: 619, Gross: 5419}
	if tot != want {
		t.Errorf("Compute: got net %s, VAT %s, gross %s; want net %s, VAT %s, gross %s", tot.Net, tot.VAT, tot.Gross, want.Net, want.VAT, want.Gross)
	}
	var j ledger.Journal
	Book(&j, tot)
	var sum money.Amount
	for _, v := range j.Balance() {
		sum += v
	}
	if sum != 0 {
		t.Errorf("the journal does not balance: the postings add up to %s, want 0.00", sum)
	}
}
