package invoicing

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

var errWarehouseDown = errors.New("usage warehouse: connection reset")

// fakeUsage has each tenant's API calls for 2026-10; it fails for tenants it
// does not know.
type fakeUsage map[string]int64

func (u fakeUsage) APICalls(ctx context.Context, tenantID, period string) (int64, error) {
	calls, ok := u[tenantID]
	if !ok || period != "2026-10" {
		return 0, errWarehouseDown
	}
	return calls, nil
}

func TestRunBatch(t *testing.T) {
	tenants := []Tenant{
		{ID: "acme-corp", Plan: "enterprise"},
		{ID: "blue-bottle", Plan: "starter"},
		{ID: "northwind", Plan: "business"},
		{ID: "globex", Plan: "starter"},
	}
	usage := fakeUsage{"acme-corp": 4_200_000, "blue-bottle": 12_500, "northwind": 310_000, "globex": 0}

	invoices, err := RunBatch(context.Background(), usage, "2026-10", tenants)
	if err != nil {
		t.Fatalf("RunBatch: %v", err)
	}
	want := []Invoice{
		{TenantID: "acme-corp", Period: "2026-10", APICalls: 4_200_000, AmountCents: 99900 + 4200*10},
		{TenantID: "blue-bottle", Period: "2026-10", APICalls: 12_500, AmountCents: 2900 + 13*40},
		{TenantID: "northwind", Period: "2026-10", APICalls: 310_000, AmountCents: 19900 + 310*25},
		{TenantID: "globex", Period: "2026-10", APICalls: 0, AmountCents: 2900},
	}
	if fmt.Sprint(invoices) != fmt.Sprint(want) {
		t.Errorf("RunBatch invoices:\ngot  %v\nwant %v", invoices, want)
	}
}

func TestRunBatchUsageError(t *testing.T) {
	tenants := []Tenant{{ID: "acme-corp", Plan: "enterprise"}, {ID: "initech", Plan: "business"}}
	invoices, err := RunBatch(context.Background(), fakeUsage{"acme-corp": 1000}, "2026-10", tenants)
	if !errors.Is(err, errWarehouseDown) {
		t.Errorf("RunBatch error %v, want %v", err, errWarehouseDown)
	}
	if len(invoices) != 2 || invoices[0].TenantID != "acme-corp" || invoices[1] != (Invoice{}) {
		t.Errorf("RunBatch invoices %v, want acme-corp's and none for initech", invoices)
	}
}
