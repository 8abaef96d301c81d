package payments

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// fakeGateway answers after latency: "tok_declined" is declined, any other
// card authorized.
type fakeGateway struct{ latency time.Duration }

func (g fakeGateway) Authorize(ctx context.Context, cardToken string, amountCents int64, currency string) (string, error) {
	time.Sleep(g.latency)
	if cardToken == "tok_declined" {
		return "", fmt.Errorf("gateway: %w (insufficient funds)", ErrDeclined)
	}
	return "auth_" + cardToken, nil
}

// fakeLedger records a receipt in latency.
type fakeLedger struct{ latency time.Duration }

func (l fakeLedger) Record(ctx context.Context, r Receipt) error {
	time.Sleep(l.latency)
	return nil
}

// metricsRecorder keeps the observations as "outcome duration".
type metricsRecorder struct{ observed []string }

func (m *metricsRecorder) ObserveCharge(outcome string, took time.Duration) {
	m.observed = append(m.observed, fmt.Sprintf("%s %v", outcome, took))
}

// The synctest bubble has a fake clock: the fakes' sleeps take no real time,
// and time.Since measures exactly what the charge waited for.
func TestChargeObservesOutcomeAndDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		metrics := &metricsRecorder{}
		s := &Service{
			Gateway: fakeGateway{latency: 300 * time.Millisecond},
			Ledger:  fakeLedger{latency: 40 * time.Millisecond},
			Metrics: metrics,
		}
		ctx := context.Background()

		if _, err := s.Charge(ctx, ChargeRequest{OrderID: "SO-1042", CardToken: "tok_visa", AmountCents: 4999, Currency: "EUR"}); err != nil {
			t.Errorf("charge SO-1042: %v", err)
		}
		if _, err := s.Charge(ctx, ChargeRequest{OrderID: "SO-1043", CardToken: "tok_declined", AmountCents: 12900, Currency: "EUR"}); err == nil {
			t.Errorf("charge SO-1043 with a declined card: no error")
		}

		want := []string{"ok 340ms", "declined 300ms"}
		if !slices.Equal(metrics.observed, want) {
			t.Errorf("observed %q, want %q", metrics.observed, want)
		}
	})
}
