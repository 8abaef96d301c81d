// Package receipts renders the plain-text order receipts that the storefront
// shows after checkout and attaches to the confirmation email.
package receipts

import (
	"bytes"
	"io"
	"strconv"
	"sync"
)

// LineItem is one line of an order.
type LineItem struct {
	SKU        string
	Name       string
	Quantity   int
	PriceCents int64 // unit price
}

// Order is a placed order, as the order service returns it.
type Order struct {
	ID       string
	Customer string
	Email    string
	Items    []LineItem
}

// bufPool keeps receipt buffers between requests: the receipt endpoint serves
// thousands of receipts a second, and growing a fresh buffer for each one was
// the top entry of the allocation profile.
var bufPool = sync.Pool{
	New: func() any { return new(bytes.Buffer) },
}

// WriteReceipt renders the receipt for o and writes it to w in a single
// Write, so that a failed render never sends half a receipt.
func WriteReceipt(w io.Writer, o *Order) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	// The pool may hand back a buffer that still holds an earlier receipt:
	// remember where this one starts, and send only that part.
	start := buf.Len()

	buf.WriteString("Order ")
	buf.WriteString(o.ID)
	buf.WriteString("\nCustomer: ")
	buf.WriteString(o.Customer)
	buf.WriteString(" <")
	buf.WriteString(o.Email)
	buf.WriteString(">\n\n")

	var total int64
	for _, item := range o.Items {
		line := item.PriceCents * int64(item.Quantity)
		total += line
		buf.WriteString(item.SKU)
		buf.WriteString("  ")
		buf.WriteString(item.Name)
		buf.WriteString(" x")
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(item.Quantity), 10))
		buf.WriteString("  ")
		writeAmount(buf, line)
		buf.WriteByte('\n')
	}
	buf.WriteString("\nTotal: ")
	writeAmount(buf, total)
	buf.WriteByte('\n')

	_, err := w.Write(buf.Bytes()[start:])
	return err
}

// writeAmount writes cents as dollars, e.g. 1999 as $19.99.
func writeAmount(buf *bytes.Buffer, cents int64) {
	b := append(buf.AvailableBuffer(), '$')
	b = strconv.AppendInt(b, cents/100, 10)
	b = append(b, '.', byte('0'+cents%100/10), byte('0'+cents%10))
	buf.Write(b)
}
