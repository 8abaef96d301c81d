// Package gateway is the HTTP front door of the orders service. It routes each
// request to its handler and tells the on-call dashboard how many requests every
// route has served.
package gateway

import (
	"encoding/json"
	"net/http"
	"sync"
)

// Router is an http.Handler that counts the requests each route serves.
// Routes are registered with Handle before the server starts. GET /debug/routes
// reports the counts as JSON; the dashboard polls it every few seconds.
type Router struct {
	mux    *http.ServeMux
	routes []*route
	mu     sync.RWMutex // guards the served counters
}

// route is one registered pattern and the number of requests it has served.
type route struct {
	pattern string
	served  int64
}

// RouteStat is one entry of the GET /debug/routes response.
type RouteStat struct {
	Route  string `json:"route"`
	Served int64  `json:"served"`
}

// NewRouter returns a Router that already serves GET /debug/routes.
func NewRouter() *Router {
	rt := &Router{mux: http.NewServeMux()}
	rt.mux.HandleFunc("GET /debug/routes", rt.serveRouteStats)
	return rt
}

// Handle registers h for pattern, a ServeMux pattern such as "GET /orders/{id}",
// and counts every request that h serves. Call it before the server starts.
func (rt *Router) Handle(pattern string, h http.Handler) {
	r := &route{pattern: pattern}
	rt.routes = append(rt.routes, r)
	rt.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// A read lock: requests must not wait for each other to count.
		rt.mu.RLock()
		r.served++
		rt.mu.RUnlock()
		h.ServeHTTP(w, req)
	}))
}

// ServeHTTP dispatches the request to the handler of the matching route.
func (rt *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rt.mux.ServeHTTP(w, req)
}

// serveRouteStats answers GET /debug/routes with every route and the number of
// requests it has served, in registration order.
func (rt *Router) serveRouteStats(w http.ResponseWriter, req *http.Request) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	stats := make([]RouteStat, 0, len(rt.routes))
	for _, r := range rt.routes {
		stats = append(stats, RouteStat{Route: r.pattern, Served: r.served})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(stats)
}
