package main

// bootstrap.go sorts before config.go, so this init runs before the
// declarations in config.go.
func init() {
	upstreamURL = envString("FORWARDER_UPSTREAM_URL", "http://billing.internal:8080/v1/invoices")
	timeoutSeconds = envInt("FORWARDER_TIMEOUT_SECONDS", 10)
	maxAttempts = envInt("FORWARDER_MAX_ATTEMPTS", 3)
}
