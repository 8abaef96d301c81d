// Package loadshed protects the search API from running out of memory: when
// the heap is full of live objects, new requests are turned away with 503
// until the requests in flight have finished and the garbage collector has
// freed their memory.
package loadshed

import (
	"net/http"
	"runtime"
	"sync/atomic"
)

// HeapInUse returns the bytes of heap memory occupied by live objects: what
// the service's requests are holding on to right now. The shedder calls it
// on every request, and GET /debug/memory reports it.
func HeapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// Shedder is the middleware in front of the search handlers. It answers 503
// Service Unavailable, without calling Next, while HeapInUse is above Limit.
type Shedder struct {
	Next http.Handler
	// Limit is in bytes. In production it is 80% of GOMEMLIMIT (which is
	// 90% of the pod's memory limit): live objects above it leave the
	// collector too little room, and it would soon run back to back.
	Limit uint64

	shed atomic.Int64
}

// ServeHTTP serves the request with Next, unless memory is short.
func (s *Shedder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if HeapInUse() > s.Limit {
		s.shed.Add(1)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "server is short of memory, retry later", http.StatusServiceUnavailable)
		return
	}
	s.Next.ServeHTTP(w, r)
}

// Shed returns the number of requests turned away so far.
func (s *Shedder) Shed() int64 {
	return s.shed.Load()
}
