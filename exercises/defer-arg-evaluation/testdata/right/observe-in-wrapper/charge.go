// Package payments charges the customer's card at checkout.
package payments

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors a charge can fail with, besides the gateway's and the ledger's own.
var (
	ErrInvalid  = errors.New("invalid charge")
	ErrDeclined = errors.New("card declined")
)

// A ChargeRequest asks to charge an order's total to a card.
type ChargeRequest struct {
	OrderID     string
	CardToken   string // from the payment form; the card number never reaches us
	AmountCents int64
	Currency    string
}

// A Receipt is the proof of a successful charge.
type Receipt struct {
	OrderID         string
	AuthorizationID string
	AmountCents     int64
	Currency        string
}

// Gateway is the card processor's API.
type Gateway interface {
	Authorize(ctx context.Context, cardToken string, amountCents int64, currency string) (authorizationID string, err error)
}

// Ledger keeps every receipt for accounting.
type Ledger interface {
	Record(ctx context.Context, r Receipt) error
}

// Metrics receives one observation per charge. In production it feeds the
// histogram payments_charge_duration_seconds{outcome="..."} behind the
// checkout dashboard and the "declines above 5%" alert.
type Metrics interface {
	ObserveCharge(outcome string, took time.Duration)
}

// Service charges cards.
type Service struct {
	Gateway Gateway
	Ledger  Ledger
	Metrics Metrics
}

// Charge authorizes the request's amount on the card and records the receipt.
// Every call is observed in Metrics, whichever way it ends, with its outcome
// (see outcome) and the time it took.
func (s *Service) Charge(ctx context.Context, req ChargeRequest) (Receipt, error) {
	start := time.Now()
	receipt, err := s.charge(ctx, req)
	s.Metrics.ObserveCharge(outcome(err), time.Since(start))
	return receipt, err
}

// charge does the work of Charge: every way it returns goes through the one
// observation in Charge.
func (s *Service) charge(ctx context.Context, req ChargeRequest) (Receipt, error) {
	if err := req.validate(); err != nil {
		return Receipt{}, err
	}
	authID, err := s.Gateway.Authorize(ctx, req.CardToken, req.AmountCents, req.Currency)
	if err != nil {
		return Receipt{}, fmt.Errorf("charge %s: %w", req.OrderID, err)
	}
	receipt := Receipt{OrderID: req.OrderID, AuthorizationID: authID, AmountCents: req.AmountCents, Currency: req.Currency}
	if err := s.Ledger.Record(ctx, receipt); err != nil {
		return Receipt{}, fmt.Errorf("charge %s: recording receipt: %w", req.OrderID, err)
	}
	return receipt, nil
}

// outcome is the label of a charge that ended with err.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrDeclined):
		return "declined"
	default:
		return "error"
	}
}

func (r ChargeRequest) validate() error {
	switch {
	case r.OrderID == "" || r.CardToken == "":
		return fmt.Errorf("%w: order %q, card token %q", ErrInvalid, r.OrderID, r.CardToken)
	case r.AmountCents <= 0:
		return fmt.Errorf("%w: order %s: amount %d", ErrInvalid, r.OrderID, r.AmountCents)
	}
	return nil
}
