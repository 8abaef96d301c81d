// Package feeds renders the product feed that marketplace partners poll:
// one CSV line per product.
package feeds

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Product is one line of the feed.
type Product struct {
	SKU   string
	Title string
	Cents int64 // price, in euro cents
	Stock int
}

// Render writes the feed: a header line, then one line per product,
// straight to w through a small buffer: the feed is never in memory as a
// whole, and a line costs no allocation.
func Render(w io.Writer, products []Product) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString("sku,title,price,stock\n")
	var line []byte
	for _, p := range products {
		line = append(line[:0], p.SKU...)
		line = append(line, ',')
		line = appendQuoted(line, p.Title)
		line = append(line, ',')
		line = strconv.AppendInt(line, p.Cents/100, 10)
		line = append(line, '.', byte('0'+p.Cents%100/10), byte('0'+p.Cents%10), ',')
		line = strconv.AppendInt(line, int64(p.Stock), 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendQuoted appends s as a CSV field to b.
func appendQuoted(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
