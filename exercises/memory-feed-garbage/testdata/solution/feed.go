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

// Render writes the feed: a header line, then one line per product. It
// builds the feed in one buffer, grown once to about its final size: each
// += of a string copies everything before it, so a feed of n lines built
// that way allocates n²/2 lines' worth of garbage.
func Render(w io.Writer, products []Product) error {
	var b strings.Builder
	b.Grow(len("sku,title,price,stock\n") + 64*len(products))
	b.WriteString("sku,title,price,stock\n")
	for _, p := range products {
		b.WriteString(p.SKU)
		b.WriteByte(',')
		b.WriteString(quote(p.Title))
		b.WriteByte(',')
		b.WriteString(price(p.Cents))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(p.Stock))
		b.WriteByte('\n')
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
