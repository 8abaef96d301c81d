package shipping

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// fakeCarrier answers after a fixed latency, like a carrier's API across the
// network, and gives up when ctx is done.
type fakeCarrier struct {
	name    string
	latency time.Duration
	cents   int64
	err     error
}

func (f fakeCarrier) Name() string { return f.name }

func (f fakeCarrier) Quote(ctx context.Context, p Parcel) (Quote, error) {
	select {
	case <-time.After(f.latency):
	case <-ctx.Done():
		return Quote{}, ctx.Err()
	}
	if f.err != nil {
		return Quote{}, f.err
	}
	return Quote{Carrier: f.name, Cents: f.cents}, nil
}

var parcel = Parcel{WeightGrams: 2300, FromZip: "10115", ToZip: "80331"}

// quotes calls Quotes inside a synctest bubble, where time is fake: a
// carrier's 300ms latency takes no real time, and the test measures exactly
// how long Quotes took.
func quotes(t *testing.T, carriers ...Carrier) (qs []Quote, took time.Duration, err error) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		qs, err = Quotes(t.Context(), parcel, carriers)
		took = time.Since(start)
	})
	return qs, took, err
}

func TestQuotesCheapestFirst(t *testing.T) {
	qs, took, err := quotes(t,
		fakeCarrier{name: "DHL", latency: 120 * time.Millisecond, cents: 690},
		fakeCarrier{name: "UPS", latency: 300 * time.Millisecond, cents: 540},
		fakeCarrier{name: "GLS", latency: 80 * time.Millisecond, cents: 610},
	)
	want := []Quote{{"UPS", 540}, {"GLS", 610}, {"DHL", 690}}
	if err != nil || !slices.Equal(qs, want) {
		t.Errorf("Quotes = %v, %v; want %v, nil: every carrier's quote, cheapest first", qs, err, want)
	}
	if took != 300*time.Millisecond {
		t.Errorf("Quotes took %v; want 300ms, the latency of the slowest carrier", took)
	}
}

func TestQuotesSkipsFailingCarrier(t *testing.T) {
	qs, took, err := quotes(t,
		fakeCarrier{name: "DHL", latency: 120 * time.Millisecond, cents: 690},
		fakeCarrier{name: "UPS", latency: 30 * time.Millisecond, err: errors.New("503 Service Unavailable")},
		fakeCarrier{name: "GLS", latency: 80 * time.Millisecond, cents: 610},
	)
	want := []Quote{{"GLS", 610}, {"DHL", 690}}
	if !slices.Equal(qs, want) {
		t.Errorf("Quotes = %v; want %v: the quotes of the carriers that answered", qs, want)
	}
	if err == nil || !strings.Contains(err.Error(), "UPS: 503 Service Unavailable") {
		t.Errorf("Quotes error = %v; want UPS's error, %q", err, "UPS: 503 Service Unavailable")
	}
	if took != 120*time.Millisecond {
		t.Errorf("Quotes took %v; want 120ms, the latency of the slowest carrier", took)
	}
}
