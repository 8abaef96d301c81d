package main

import (
	"bytes"
	"context"
	"testing"
)

func TestPayoutPreview(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, "ledgerdb://ledger.internal:5433/payouts", accounts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	want := "acct-1001  pays out 1250.00 EUR\n" +
		"acct-1002  no payout, balance -40.50 EUR\n" +
		"acct-1003  pays out 310.75 EUR\n"
	if got := out.String(); got != want {
		t.Errorf("preview:\n%s\nwant:\n%s", got, want)
	}
}
