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
	return legacyFirmware(g.Handler())
}

// legacyFirmware accepts the requests of firmware 2.x meters, which send
// "Content-Length:" with no value: such a request has no body.
func legacyFirmware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Header["Content-Length"]; ok && r.Header.Get("Content-Length") == "" {
			r.ContentLength = 0
			r.Header.Del("Content-Length")
		}
		next.ServeHTTP(w, r)
	})
}
