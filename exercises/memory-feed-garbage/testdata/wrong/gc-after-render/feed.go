// Package feeds renders the product feed that marketplace partners poll:
// one CSV line per product.
package feeds

import (
	"io"
	"runtime"
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

// Render writes the feed: a header line, then one line per product.
func Render(w io.Writer, products []Product) error {
	out := "sku,title,price,stock\n"
	for _, p := range products {
		out += p.SKU + "," + quote(p.Title) + "," + price(p.Cents) + "," + strconv.Itoa(p.Stock) + "\n"
	}
	_, err := io.WriteString(w, out)
	// Collect the render's garbage now, in one go, instead of letting it
	// pile up and slow the other requests down.
	runtime.GC()
	return err
}

// quote quotes a CSV field when it needs it: a title with a comma, a quote
// or a line break is put in double quotes, and its quotes are doubled.
func quote(s string) string {
	if !strings.ContainsAny(s, ",\"\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// price formats cents as euros with two decimals: "24.90".
func price(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
}
