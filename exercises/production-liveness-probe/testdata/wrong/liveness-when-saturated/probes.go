// Package probes answers the kubelet's probes for the search API.
//
// Kubernetes restarts a container whose liveness probe fails (3 times in a
// row, 10 s apart, in this deployment), and sends no traffic to a pod whose
// readiness probe fails, until it passes again.
package probes

import (
	"net/http"
	"runtime/metrics"
	"sync/atomic"
)

// Probes serves GET /livez and GET /readyz, and tracks the requests in
// flight. Set its fields before serving.
type Probes struct {
	// MemoryLimit is the pod's memory budget for the heap (GOMEMLIMIT).
	MemoryLimit uint64
	// ShedAt is the live heap, in bytes, from which the pod takes no new
	// traffic: the requests in flight hold that much, and more would not fit.
	ShedAt uint64
	// MaxInFlight is how many requests the pod serves at once at most.
	MaxInFlight int64

	inFlight atomic.Int64
	draining atomic.Bool
}

// Live answers the liveness probe: a pod that serves MaxInFlight requests
// takes no more, which is as good as stuck.
func (p *Probes) Live(w http.ResponseWriter, r *http.Request) {
	if p.inFlight.Load() >= p.MaxInFlight {
		http.Error(w, "stuck: saturated", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// Ready answers the readiness probe: 503 while the pod should get no new
// traffic: it is draining, it serves MaxInFlight requests already, or the
// requests in flight hold ShedAt bytes of live heap or more.
func (p *Probes) Ready(w http.ResponseWriter, r *http.Request) {
	switch {
	case p.draining.Load():
		http.Error(w, "draining", http.StatusServiceUnavailable)
	case p.inFlight.Load() >= p.MaxInFlight:
		http.Error(w, "saturated", http.StatusServiceUnavailable)
	case liveHeap() >= p.ShedAt:
		http.Error(w, "memory: shedding load", http.StatusServiceUnavailable)
	default:
		w.Write([]byte("ready\n"))
	}
}

// liveHeap returns the heap that live objects held at the end of the last
// GC cycle, read without stopping the world. Garbage not yet collected does
// not count: it is not load.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Drain makes the readiness probe fail from now on: the pod got SIGTERM and
// finishes its requests.
func (p *Probes) Drain() { p.draining.Store(true) }

// Track counts the requests in flight through next.
func (p *Probes) Track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.inFlight.Add(1)
		defer p.inFlight.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// Handler routes the probes.
func (p *Probes) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /livez", p.Live)
	mux.HandleFunc("GET /readyz", p.Ready)
	return mux
}
