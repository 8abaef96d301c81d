// Package invoicing runs the monthly billing batch of the platform: one
// invoice per tenant. Each invoice needs a usage query that takes a few
// seconds, so the tenants are invoiced concurrently.
package invoicing

import (
	"context"
	"errors"
	"fmt"
)

// Tenant is a customer account.
type Tenant struct {
	ID   string // "acme-corp"
	Plan string // "starter", "business" or "enterprise"
}

// Invoice is what a tenant owes for a period.
type Invoice struct {
	TenantID    string
	Period      string // "2026-10"
	APICalls    int64
	AmountCents int64
}

// UsageStore reports how many API calls a tenant made in a period.
type UsageStore interface {
	APICalls(ctx context.Context, tenantID, period string) (int64, error)
}

// plans are the monthly base price and the price of 1,000 API calls, in cents.
var plans = map[string]struct{ base, perThousand int64 }{
	"starter":    {base: 2900, perThousand: 40},
	"business":   {base: 19900, perThousand: 25},
	"enterprise": {base: 99900, perThousand: 10},
}

// Price returns what a tenant on plan owes for calls API calls.
func Price(plan string, calls int64) int64 {
	p := plans[plan]
	return p.base + (calls+999)/1000*p.perThousand
}

// RunBatch invoices every tenant for period. invoices[i] is the invoice of
// tenants[i]; a tenant whose usage cannot be read gets no invoice (the zero
// Invoice) and its error is part of the returned error.
//
// One tenant after the other: no goroutine can read a loop variable that the
// next iteration has already changed.
func RunBatch(ctx context.Context, usage UsageStore, period string, tenants []Tenant) ([]Invoice, error) {
	invoices := make([]Invoice, len(tenants))
	errs := make([]error, len(tenants))
	for i, tenant := range tenants {
		calls, err := usage.APICalls(ctx, tenant.ID, period)
		if err != nil {
			errs[i] = fmt.Errorf("invoice %s for %s: %w", tenant.ID, period, err)
			continue
		}
		invoices[i] = Invoice{TenantID: tenant.ID, Period: period, APICalls: calls, AmountCents: Price(tenant.Plan, calls)}
	}
	return invoices, errors.Join(errs...)
}
