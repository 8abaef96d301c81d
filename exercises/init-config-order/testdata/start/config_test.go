package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestUpstreamClientTimeoutMatchesConfig(t *testing.T) {
	want := time.Duration(timeoutSeconds) * time.Second
	if upstreamClient.Timeout != want {
		t.Errorf("upstreamClient.Timeout = %v, want %v (timeoutSeconds = %d)",
			upstreamClient.Timeout, want, timeoutSeconds)
	}
	if upstreamClient.Timeout <= 0 {
		t.Errorf("upstreamClient.Timeout = %v: the client would wait forever for a hung billing service",
			upstreamClient.Timeout)
	}
}

func TestForwardInvoiceRetriesServerErrors(t *testing.T) {
	var calls atomic.Int32
	billing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int(calls.Add(1)) < maxAttempts {
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer billing.Close()
	saved := upstreamURL
	upstreamURL = billing.URL
	defer func() { upstreamURL = saved }()

	rec := httptest.NewRecorder()
	forwardInvoice(rec, httptest.NewRequest("POST", "/invoices", strings.NewReader(`{"number":"INV-1042"}`)))

	if rec.Code != http.StatusCreated {
		t.Errorf("status = %d, want %d", rec.Code, http.StatusCreated)
	}
	if got := int(calls.Load()); got != maxAttempts {
		t.Errorf("billing saw %d calls, want %d", got, maxAttempts)
	}
}
