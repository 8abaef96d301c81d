package receipts

import (
	"bytes"
	"testing"
)

var (
	alice = &Order{
		ID:       "ord_7Hc2Lq",
		Customer: "Alice Moreau",
		Email:    "alice.moreau@example.com",
		Items: []LineItem{
			{SKU: "KB-1042", Name: "Mechanical keyboard", Quantity: 1, PriceCents: 12900},
			{SKU: "CB-0007", Name: "USB-C cable", Quantity: 2, PriceCents: 1299},
		},
	}
	bob = &Order{
		ID:       "ord_9Xk4Tm",
		Customer: "Bob Lindqvist",
		Email:    "bob@lindqvist.example",
		Items: []LineItem{
			{SKU: "MG-0301", Name: "Coffee mug", Quantity: 3, PriceCents: 850},
		},
	}
)

const (
	aliceReceipt = `Order ord_7Hc2Lq
Customer: Alice Moreau <alice.moreau@example.com>

KB-1042  Mechanical keyboard x1  $129.00
CB-0007  USB-C cable x2  $25.98

Total: $154.98
`
	bobReceipt = `Order ord_9Xk4Tm
Customer: Bob Lindqvist <bob@lindqvist.example>

MG-0301  Coffee mug x3  $25.50

Total: $25.50
`
)

func render(t *testing.T, o *Order) string {
	t.Helper()
	var out bytes.Buffer
	if err := WriteReceipt(&out, o); err != nil {
		t.Fatalf("WriteReceipt(%s): %v", o.ID, err)
	}
	return out.String()
}

func TestWriteReceipt(t *testing.T) {
	if got := render(t, alice); got != aliceReceipt {
		t.Errorf("receipt for %s:\n%s\nwant:\n%s", alice.ID, got, aliceReceipt)
	}
}

// Two customers check out one after the other, as on a live storefront.
func TestWriteReceiptTwoCustomers(t *testing.T) {
	render(t, alice)
	if got := render(t, bob); got != bobReceipt {
		t.Errorf("receipt for %s:\n%s\nwant:\n%s", bob.ID, got, bobReceipt)
	}
}
