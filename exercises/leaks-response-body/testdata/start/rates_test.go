package fx

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// maintenancePage is what the load balancer in front of the rates service
// answers, with 503 Service Unavailable, while the service is being deployed.
var maintenancePage = "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>\n" +
	strings.Repeat("<p>The service is down for maintenance. Please retry in a few minutes.</p>\n", 30) +
	"</body></html>\n"

// ratesService is a fake of the treasury team's rates service, with the load
// balancer in front of it.
type ratesService struct {
	*httptest.Server
	deploying atomic.Bool // while true, every request gets the maintenance page
}

func newRatesService() *ratesService {
	rates := map[string]float64{"EUR/USD": 1.0841, "EUR/GBP": 0.8557, "USD/JPY": 151.37}
	s := &ratesService{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deploying.Load() {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(maintenancePage))
			return
		}
		pair := strings.TrimPrefix(r.URL.Path, "/v1/rates/")
		rate, ok := rates[pair]
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(map[string]string{"error": "unknown currency pair " + pair})
			return
		}
		json.NewEncoder(w).Encode(map[string]float64{"rate": rate})
	}))
	return s
}

// Close shuts the service down. The server's Close also closes the idle
// connections of its client, s.Client(): connections whose answer has been
// read or closed, which wait in the client's pool for the next request.
func (s *ratesService) Close() { s.Server.Close() }

// Every test ends with verifyNoLeak, which asks goleak: once the service is
// shut down, no goroutine of the test may be left, net/http's included.

func TestRate(t *testing.T) {
	defer verifyNoLeak(t, goleak.IgnoreCurrent())
	svc := newRatesService()
	defer svc.Close()

	c := New(svc.URL, svc.Client())
	ctx := context.Background() // the repricer runs with its root context
	for range 3 {
		rate, err := c.Rate(ctx, "EUR", "USD")
		if err != nil || rate != 1.0841 {
			t.Errorf("Rate(EUR, USD) = %v, %v; want 1.0841, nil", rate, err)
		}
	}
}

func TestRateErrors(t *testing.T) {
	defer verifyNoLeak(t, goleak.IgnoreCurrent())
	svc := newRatesService()
	defer svc.Close()

	c := New(svc.URL, svc.Client())
	ctx := context.Background()
	var se *StatusError
	if _, err := c.Rate(ctx, "EUR", "XAU"); !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Errorf("Rate(EUR, XAU) error = %v, want a *StatusError with code 404", err)
	}

	// A deploy: the load balancer answers with its maintenance page.
	svc.deploying.Store(true)
	for range 3 {
		if _, err := c.Rate(ctx, "EUR", "GBP"); !errors.As(err, &se) || se.Code != http.StatusServiceUnavailable {
			t.Errorf("Rate(EUR, GBP) during a deploy: error = %v, want a *StatusError with code 503", err)
		}
	}
	svc.deploying.Store(false)
	if rate, err := c.Rate(ctx, "EUR", "GBP"); err != nil || rate != 0.8557 {
		t.Errorf("Rate(EUR, GBP) after the deploy = %v, %v; want 0.8557, nil", rate, err)
	}
}

// verifyNoLeak fails t if goroutines that ignore (goleak.IgnoreCurrent(),
// taken when the test started) does not list are still there 5 seconds after
// the test's work is done: on a loaded machine a goroutine that is ending may
// take a moment to go, but one that is blocked forever never does.
func verifyNoLeak(t *testing.T, ignore goleak.Option) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := goleak.Find(ignore)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Error(err)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
