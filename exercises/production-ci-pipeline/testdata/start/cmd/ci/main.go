// Command ci runs the pipeline of package ci on the packages of a module:
//
//	go run ./cmd/ci DIR PACKAGES...
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	ci "production-ci-pipeline"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: ci DIR PACKAGES...")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := ci.Run(ctx, os.Args[1], ci.Pipeline(os.Args[2:]...), os.Stdout); err != nil {
		fmt.Println("ci:", err)
		os.Exit(1)
	}
	fmt.Println("ci: every step passed")
}
