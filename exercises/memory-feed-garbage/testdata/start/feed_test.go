package feeds

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
)

func catalog(n int) []Product {
	ps := make([]Product, n)
	for i := range ps {
		ps[i] = Product{
			SKU:   fmt.Sprintf("SKU-%07d", i),
			Title: fmt.Sprintf("Trekking tent, %d persons, green", 2+i%4),
			Cents: int64(9900 + 37*i),
			Stock: i % 50,
		}
	}
	return ps
}

func TestRender(t *testing.T) {
	var b bytes.Buffer
	err := Render(&b, []Product{
		{SKU: "TENT-0207", Title: "Tent, 2 persons", Cents: 24900, Stock: 3},
		{SKU: "MUG-0001", Title: `The "Camp" mug`, Cents: 905, Stock: 120},
	})
	want := "sku,title,price,stock\nTENT-0207,\"Tent, 2 persons\",249.00,3\nMUG-0001,\"The \"\"Camp\"\" mug\",9.05,120\n"
	if err != nil || b.String() != want {
		t.Errorf("Render:\ngot  %q, %v\nwant %q", b.String(), err, want)
	}
}

// allocatedBytes is every byte the program has allocated so far.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func TestRenderAllocatesAboutTheFeedsSize(t *testing.T) {
	products := catalog(2000)
	var size strings.Builder
	Render(&size, products)
	runtime.GC()
	before := allocatedBytes()
	if err := Render(io.Discard, products); err != nil {
		t.Fatal(err)
	}
	got := allocatedBytes() - before
	if limit := uint64(8 * size.Len()); got > limit {
		t.Errorf("rendering a feed of 2,000 products (%d KiB) allocated %d KiB, want at most %d KiB (8 times the feed)", size.Len()>>10, got>>10, limit>>10)
	}
}
