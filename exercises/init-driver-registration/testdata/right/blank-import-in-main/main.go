// Command payout-preview prints what each merchant account will be paid in
// tonight's payout run. Finance reads it before approving the run.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	// store opens the ledger with the "ledgerdb" driver: link it in, so
	// that its init registers it before main runs.
	_ "init-driver-registration/ledgerdb"
	"init-driver-registration/store"
)

// accounts are the merchant accounts due a payout tonight.
var accounts = []string{"acct-1001", "acct-1002", "acct-1003"}

func main() {
	log.SetFlags(0)
	dsn := os.Getenv("LEDGER_DSN")
	if dsn == "" {
		dsn = "ledgerdb://ledger.internal:5433/payouts"
	}
	if err := run(context.Background(), os.Stdout, dsn, accounts); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer, dsn string, accounts []string) error {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, account := range accounts {
		cents, currency, err := st.Balance(ctx, account)
		if err != nil {
			return err
		}
		if cents <= 0 {
			fmt.Fprintf(w, "%s  no payout, balance %s %s\n", account, formatCents(cents), currency)
			continue
		}
		fmt.Fprintf(w, "%s  pays out %s %s\n", account, formatCents(cents), currency)
	}
	return nil
}

// formatCents formats -4050 as "-40.50".
func formatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}
