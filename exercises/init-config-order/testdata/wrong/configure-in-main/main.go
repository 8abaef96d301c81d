// Command forwarder accepts invoices from the shop front end and forwards
// them to the billing service, retrying when billing fails.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	checkConfig := flag.Bool("check-config", false, "print the effective configuration and exit")
	flag.Parse()

	// init has read the settings by now: give the client its timeout.
	upstreamClient.Timeout = time.Duration(timeoutSeconds) * time.Second

	fmt.Printf("upstream:        %s\n", upstreamURL)
	fmt.Printf("attempt timeout: %s\n", upstreamClient.Timeout)
	fmt.Printf("max attempts:    %d\n", maxAttempts)
	if *checkConfig {
		return
	}

	http.HandleFunc("POST /invoices", forwardInvoice)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

// forwardInvoice passes the request body on to the billing service. Failed
// attempts (network errors, timeouts, 5xx) are retried up to maxAttempts.
func forwardInvoice(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "reading invoice", http.StatusBadRequest)
		return
	}
	var lastErr error
	for range maxAttempts {
		resp, err := upstreamClient.Post(upstreamURL, "application/json", bytes.NewReader(body))
		if err != nil {
			lastErr = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < 500 {
			w.WriteHeader(resp.StatusCode)
			return
		}
		lastErr = fmt.Errorf("billing answered %s", resp.Status)
	}
	log.Printf("forwarding invoice: %d attempts failed, last: %v", maxAttempts, lastErr)
	http.Error(w, "billing unavailable", http.StatusBadGateway)
}
