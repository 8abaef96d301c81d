package main

import (
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Settings of the invoice forwarder, read from the environment at startup.
var (
	upstreamURL    string
	timeoutSeconds int
	maxAttempts    int
)

// upstreamClient is shared by every call to the billing service. Each attempt
// must give up after timeoutSeconds, so that a hung billing service cannot
// hold our handlers forever. init builds it, once the settings are read.
var upstreamClient *http.Client

// init reads the settings and only then builds the client from them: every
// package-level variable is initialized before init runs, so an initializer
// of upstreamClient would see timeoutSeconds still 0.
func init() {
	upstreamURL = envString("FORWARDER_UPSTREAM_URL", "http://billing.internal:8080/v1/invoices")
	timeoutSeconds = envInt("FORWARDER_TIMEOUT_SECONDS", 10)
	maxAttempts = envInt("FORWARDER_MAX_ATTEMPTS", 3)
	upstreamClient = &http.Client{Timeout: time.Duration(timeoutSeconds) * time.Second}
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
