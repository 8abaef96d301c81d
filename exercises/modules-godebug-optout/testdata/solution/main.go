// Firmware 2.x meters (about 40,000 still in the field, until the rollout
// of 5.x ends in Q3) send "Content-Length:" with no value on requests
// without a body. net/http rejects that with 400 since Go 1.22: GODEBUG
// httplaxcontentlength, whose default follows the go line of go.mod. Accept
// it until the rollout is done; runtime/metrics counts the requests that
// still need it (/godebug/non-default-behavior/httplaxcontentlength:events).
//
//go:debug httplaxcontentlength=1

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
