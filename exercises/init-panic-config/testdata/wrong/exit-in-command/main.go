// Command checkout is the operations tool of the checkout service. The
// release pipeline runs `checkout version`; the support team runs `checkout
// charge` when the automatic charge of an order failed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

const version = "2.3.1"

var errUsage = errors.New("usage: checkout version | config | charge ORDER AMOUNT_CENTS")

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "checkout: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "version":
		fmt.Fprintf(stdout, "checkout %s\n", version)
		return nil

	case "config":
		payments := mustClientFromEnv()
		fmt.Fprintf(stdout, "payments endpoint: %s\n", payments.endpoint)
		fmt.Fprintf(stdout, "payments key:      %s\n", payments.redactedKey())
		return nil

	case "charge":
		if len(args) != 3 {
			return errUsage
		}
		order := args[1]
		cents, err := strconv.ParseInt(args[2], 10, 64)
		if err != nil || cents <= 0 {
			return fmt.Errorf("charge %s: amount %q: want a positive number of cents", order, args[2])
		}
		payments := mustClientFromEnv()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		id, err := payments.Charge(ctx, order, cents)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "charged %s: %s\n", order, id)
		return nil
	}
	return errUsage
}
