// Command metergw is the gateway that the electricity meters in the field
// send their readings and heartbeats to.
package main

import (
	"log"
	"net/http"
	"os"

	"modules-godebug-optout/gateway"
)

// Firmware 2.x meters send "Content-Length:" with no value; net/http rejects
// it since Go 1.22 unless GODEBUG httplaxcontentlength=1. The runtime rereads
// GODEBUG when the program sets it.
func init() {
	os.Setenv("GODEBUG", "httplaxcontentlength=1")
}

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
