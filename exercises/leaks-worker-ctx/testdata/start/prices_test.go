package pricing

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"testing/synctest"
	"time"
)

// fakeSource is the pricing service: it answers after latency, like a call
// across the network, knows every SKU except "SKU-RETIRED", and gives up when
// ctx is done, like a real client.
type fakeSource struct {
	latency time.Duration
}

func (s fakeSource) Price(ctx context.Context, sku string) (Price, error) {
	select {
	case <-time.After(s.latency):
	case <-ctx.Done():
		return Price{}, ctx.Err()
	}
	if sku == "SKU-RETIRED" {
		return Price{}, fmt.Errorf("pricing: %s: not found", sku)
	}
	return Price{SKU: sku, Cents: 1999, Currency: "EUR"}, nil
}

// page returns the SKUs of a catalog page of n products.
func page(n int) []string {
	skus := make([]string, n)
	for i := range skus {
		skus[i] = fmt.Sprintf("SKU-%04d", 1000+i)
	}
	return skus
}

// prices calls f.Prices inside a synctest bubble, where time is fake and a
// latency of 100ms takes no real time, with a request that times out after
// timeout. It returns Prices' results and the fake time it took. The bubble
// then lets a minute pass, long after every lookup could have finished; if a
// goroutine started by Prices is still blocked when the bubble ends,
// synctest.Test fails the test with "deadlock: main bubble goroutine has
// exited but blocked goroutines remain" and prints that goroutine's stack.
func prices(t *testing.T, f *Fetcher, skus []string, timeout time.Duration) (got map[string]Price, took time.Duration, err error) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		defer cancel()
		start := time.Now()
		got, err = f.Prices(ctx, skus)
		took = time.Since(start)
		time.Sleep(time.Minute)
	})
	return got, took, err
}

func TestPricesOfAPage(t *testing.T) {
	skus := append(page(9), "SKU-RETIRED")
	f := &Fetcher{Source: fakeSource{latency: 10 * time.Millisecond}, Workers: 4}

	got, took, err := prices(t, f, skus, time.Second)
	want := make(map[string]Price)
	for _, sku := range skus[:9] {
		want[sku] = Price{SKU: sku, Cents: 1999, Currency: "EUR"}
	}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("Prices = %v, %v;\nwant %v, nil (every SKU but the retired one)", got, err, want)
	}
	// 10 SKUs, 4 at a time, 10ms each: 3 rounds.
	if took != 30*time.Millisecond {
		t.Errorf("Prices took %v, want 30ms (4 workers, 10 lookups of 10ms)", took)
	}
}

// The shopper navigates away (or the API gateway's timeout fires) while the
// pricing service is slow: Prices must give up at once, and everything it
// started must stop too.
func TestPricesRequestCancelled(t *testing.T) {
	f := &Fetcher{Source: fakeSource{latency: 100 * time.Millisecond}, Workers: 3}

	got, took, err := prices(t, f, page(12), 150*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || got != nil {
		t.Errorf("Prices = %d prices (nil map: %v), %v; want a nil map and context deadline exceeded", len(got), got == nil, err)
	}
	if took != 150*time.Millisecond {
		t.Errorf("Prices returned after %v, want 150ms (the request's timeout)", took)
	}
}
