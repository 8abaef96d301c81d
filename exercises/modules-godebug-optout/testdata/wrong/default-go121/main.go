// Behave as the service did with "go 1.21" in go.mod, before the firmware
// 2.x meters started getting 400.
//
//go:debug default=go1.21

// Command metergw is the gateway that the electricity meters in the field
// send their readings and heartbeats to.
package main

import (
	"log"
	"net/http"
	"os"

	"modules-godebug-optout/gateway"
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	g := gateway.New()
	log.Printf("metergw listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, newHandler(g)))
}

// newHandler returns the gateway's HTTP handler, as the server serves it.
func newHandler(g *gateway.Gateway) http.Handler {
	return g.Handler()
}
