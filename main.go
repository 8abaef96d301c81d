// Command workbook is the Go Blind Spots Workbook: lessons and exercises about
// the Go bugs that ship to production — heap escapes, data races, goroutine
// leaks, sync.Pool misuse, init order, defer/panic/recover — whose fixes it
// proves with the real tools (go test -race, -gcflags=-m, go vet, allocation
// counts, leak checks). Run `workbook help` for the commands.
package main

import (
	"os"

	"github.com/go-blindspots/workbook/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
