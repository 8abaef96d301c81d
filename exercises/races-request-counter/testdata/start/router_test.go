package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// newOrdersRouter returns a Router with the routes of the orders service.
func newOrdersRouter() *Router {
	ok := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	rt := NewRouter()
	rt.Handle("GET /orders/{id}", ok)
	rt.Handle("POST /orders", ok)
	return rt
}

// routeStats fetches GET /debug/routes the way the dashboard does.
func routeStats(t *testing.T, rt *Router) []RouteStat {
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("GET", "/debug/routes", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("GET /debug/routes: status %d, want 200", rec.Code)
		return nil
	}
	var stats []RouteStat
	if err := json.Unmarshal(rec.Body.Bytes(), &stats); err != nil {
		t.Errorf("GET /debug/routes: %v", err)
	}
	return stats
}

// TestRouteStatsDuringTraffic serves orders traffic from several clients while
// the dashboard polls GET /debug/routes, as in production.
func TestRouteStatsDuringTraffic(t *testing.T) {
	rt := newOrdersRouter()
	const clients, perClient = 4, 50

	var wg sync.WaitGroup
	for c := range clients {
		// Each client has its requests ready before the traffic starts.
		reqs := make([]*http.Request, perClient)
		for i := range reqs {
			method, target := "GET", fmt.Sprintf("/orders/%d-%d", c, i)
			if i%5 == 0 {
				method, target = "POST", "/orders"
			}
			reqs[i] = httptest.NewRequest(method, target, nil)
		}
		wg.Go(func() {
			for _, req := range reqs {
				rt.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			routeStats(t, rt)
		}
	})
	wg.Wait()

	got := routeStats(t, rt)
	want := []RouteStat{
		{Route: "GET /orders/{id}", Served: clients * perClient * 4 / 5},
		{Route: "POST /orders", Served: clients * perClient / 5},
	}
	if !slices.Equal(got, want) {
		t.Errorf("GET /debug/routes after the traffic:\ngot  %+v\nwant %+v", got, want)
	}
}
