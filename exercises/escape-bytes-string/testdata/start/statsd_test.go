package statsd

import (
	"errors"
	"testing"
)

func TestIngestSumsCounters(t *testing.T) {
	a := NewAggregator()
	for _, line := range []string{
		"checkout.orders.created:1|c",
		"checkout.orders.created:2|c",
		"checkout.payments.declined:1|c",
		"checkout.orders.created:-1|c",
	} {
		if err := a.Ingest([]byte(line)); err != nil {
			t.Fatalf("Ingest(%q): %v", line, err)
		}
	}
	for name, want := range map[string]int64{
		"checkout.orders.created":    2,
		"checkout.payments.declined": 1,
	} {
		if got, ok := a.Total(name); !ok || got != want {
			t.Errorf("Total(%q) = %d, %v; want %d, true", name, got, ok, want)
		}
	}
	if a.Names() != 2 {
		t.Errorf("Names() = %d, want 2", a.Names())
	}
}

// The UDP reader reads every packet into the same buffer.
func TestIngestSurvivesBufferReuse(t *testing.T) {
	a := NewAggregator()
	buf := make([]byte, 64)
	for _, line := range []string{
		"checkout.orders.created:1|c",
		"checkout.cart.abandoned:5|c",
		"checkout.orders.created:1|c",
		"checkout.orders.created:1|c",
	} {
		n := copy(buf, line)
		if err := a.Ingest(buf[:n]); err != nil {
			t.Fatalf("Ingest(%q): %v", line, err)
		}
		clear(buf) // the next read overwrites the packet
	}
	if got, ok := a.Total("checkout.orders.created"); !ok || got != 3 {
		t.Errorf(`Total("checkout.orders.created") = %d, %v; want 3, true`, got, ok)
	}
	if got, ok := a.Total("checkout.cart.abandoned"); !ok || got != 5 {
		t.Errorf(`Total("checkout.cart.abandoned") = %d, %v; want 5, true`, got, ok)
	}
	if a.Names() != 2 {
		t.Errorf("Names() = %d, want 2", a.Names())
	}
}

func TestIngestRejectsMalformed(t *testing.T) {
	a := NewAggregator()
	for _, line := range []string{
		"",
		"checkout.orders.created",
		":1|c",
		"checkout.orders.created:1",
		"checkout.orders.created:1|g", // a gauge, not a counter
		"checkout.orders.created:one|c",
		"checkout.orders.created|c:1",
	} {
		if err := a.Ingest([]byte(line)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Ingest(%q): err = %v, want ErrMalformed", line, err)
		}
	}
	if a.Names() != 0 {
		t.Errorf("malformed lines created %d counters", a.Names())
	}
}

// BenchmarkIngest measures the per-line cost for a counter the gateway has
// already seen, which is nearly every line. Run it with:
// go test -bench=Ingest -benchmem
func BenchmarkIngest(b *testing.B) {
	a := NewAggregator()
	line := []byte("checkout.orders.created:1|c")
	b.ReportAllocs()
	for b.Loop() {
		a.Ingest(line)
	}
}
