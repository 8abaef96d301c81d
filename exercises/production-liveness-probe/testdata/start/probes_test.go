package probes

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
)

const mib = 1 << 20

// spike is the memory that the requests of a traffic spike hold.
var spike [][]byte

func holdLive(n int) {
	for range n {
		spike = append(spike, make([]byte, mib))
	}
}

func probe(h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code
}

func TestSpikeDoesNotKillThePod(t *testing.T) {
	runtime.GC()
	p := &Probes{MemoryLimit: 160 * mib, ShedAt: 96 * mib, MaxInFlight: 100}
	h := p.Handler()
	holdLive(128) // a spike of big search requests
	runtime.GC()
	if got := probe(h, "/livez"); got != http.StatusOK {
		t.Errorf("/livez while the requests of a spike hold 128 MiB: got %d, want 200: the process is fine, and a restart would kill every request in flight", got)
	}
	if got := probe(h, "/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the requests of a spike hold 128 MiB (more than ShedAt, 96 MiB): got %d, want 503: the pod must take no more traffic for now", got)
	}
	spike = nil
	runtime.GC()
	if got := probe(h, "/readyz"); got != http.StatusOK {
		t.Errorf("/readyz after the spike: got %d, want 200", got)
	}
}

func TestSaturatedPodIsNotReady(t *testing.T) {
	p := &Probes{MemoryLimit: 1 << 40, ShedAt: 1 << 40, MaxInFlight: 2}
	h := p.Handler()
	release := make(chan struct{})
	var entered, done sync.WaitGroup
	slow := p.Track(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Done()
		<-release
	}))
	for range 2 {
		entered.Add(1)
		done.Go(func() { slow.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/search?q=tent", nil)) })
	}
	entered.Wait()
	if got := probe(h, "/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz with 2 of 2 requests in flight: got %d, want 503", got)
	}
	if got := probe(h, "/livez"); got != http.StatusOK {
		t.Errorf("/livez with 2 of 2 requests in flight: got %d, want 200", got)
	}
	close(release)
	done.Wait()
	if got := probe(h, "/readyz"); got != http.StatusOK {
		t.Errorf("/readyz once the requests are done: got %d, want 200", got)
	}
}
