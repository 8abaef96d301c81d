package main

import (
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Settings of the invoice forwarder, read from the environment at startup.
// upstreamClient's initializer refers to timeoutSeconds, so Go runs
// loadSettings before it builds the client.
var upstreamURL, timeoutSeconds, maxAttempts = loadSettings()

// upstreamClient is shared by every call to the billing service. Each attempt
// must give up after timeoutSeconds, so that a hung billing service cannot
// hold our handlers forever.
var upstreamClient = &http.Client{
	Timeout: time.Duration(timeoutSeconds) * time.Second,
}

func loadSettings() (url string, timeout, attempts int) {
	return envString("FORWARDER_UPSTREAM_URL", "http://billing.internal:8080/v1/invoices"),
		envInt("FORWARDER_TIMEOUT_SECONDS", 10),
		envInt("FORWARDER_MAX_ATTEMPTS", 3)
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
