package main

import (
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Settings of the invoice forwarder: defaults here, overridden from the
// environment at startup.
var (
	upstreamURL    = "http://billing.internal:8080/v1/invoices"
	timeoutSeconds = 10
	maxAttempts    = 3
)

// upstreamClient is shared by every call to the billing service. Each attempt
// must give up after timeoutSeconds, so that a hung billing service cannot
// hold our handlers forever.
var upstreamClient = &http.Client{
	Timeout: time.Duration(timeoutSeconds) * time.Second,
}

func init() {
	upstreamURL = envString("FORWARDER_UPSTREAM_URL", upstreamURL)
	timeoutSeconds = envInt("FORWARDER_TIMEOUT_SECONDS", timeoutSeconds)
	maxAttempts = envInt("FORWARDER_MAX_ATTEMPTS", maxAttempts)
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		log.Fatalf("config: %s=%q: want a positive integer", name, v)
	}
	return n
}
