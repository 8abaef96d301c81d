// Package feeds renders the product feed that marketplace partners poll:
// one CSV line per product.
package feeds

import (
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

// Render writes the feed: a header line, then one line per product. Each
// line is appended to one builder: the lines are still built with +, which
// costs a few small allocations per line, but nothing is copied twice.
func Render(w io.Writer, products []Product) error {
	var b strings.Builder
	b.WriteString("sku,title,price,stock\n")
	for _, p := range products {
		b.WriteString(p.SKU + "," + quote(p.Title) + "," + price(p.Cents) + "," + strconv.Itoa(p.Stock) + "\n")
	}
	_, err := io.WriteString(w, b.String())
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
