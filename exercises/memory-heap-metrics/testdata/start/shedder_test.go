package loadshed

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
)

var search = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, `{"query":%q,"hits":[]}`, r.URL.Query().Get("q"))
})

// get sends GET /search?q=shoes through s and returns the status code.
func get(s *Shedder) int {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/search?q=shoes", nil))
	return rec.Code
}

// burst is what the requests of a traffic spike hold: n MiB of result pages.
var burst [][]byte

func allocBurst(mib int) {
	for range mib {
		burst = append(burst, make([]byte, 1<<20))
	}
}

func TestShedderServesAndSheds(t *testing.T) {
	runtime.GC() // as in production, where the GC runs every few MiB of allocation
	roomy := &Shedder{Next: search, Limit: 1 << 40}
	if got := get(roomy); got != http.StatusOK {
		t.Errorf("with a 1 TiB limit: status %d, want 200", got)
	}
	full := &Shedder{Next: search, Limit: 1}
	if got := get(full); got != http.StatusServiceUnavailable {
		t.Errorf("with a 1-byte limit: status %d, want 503", got)
	}
	if full.Shed() != 1 || roomy.Shed() != 0 {
		t.Errorf("Shed() = %d and %d, want 1 and 0", full.Shed(), roomy.Shed())
	}
}

func TestShedderConcurrentRequests(t *testing.T) {
	s := &Shedder{Next: search, Limit: 1 << 40}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 25 {
				if got := get(s); got != http.StatusOK {
					t.Errorf("status %d, want 200", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// The production incident, in a few lines: a traffic spike fills the heap,
// the shedder turns requests away, the spike's memory is freed... and the
// service must serve again.
func TestShedderRecoversAfterSpike(t *testing.T) {
	runtime.GC()
	base := HeapInUse()
	s := &Shedder{Next: search, Limit: base + 32<<20}
	if got := get(s); got != http.StatusOK {
		t.Fatalf("before the spike, HeapInUse() = %d, limit %d: status %d, want 200", HeapInUse(), s.Limit, got)
	}

	allocBurst(64)
	runtime.GC()
	if got := get(s); got != http.StatusServiceUnavailable {
		t.Errorf("during the spike (64 MiB live), HeapInUse() = %d, limit %d: status %d, want 503", HeapInUse(), s.Limit, got)
	}

	burst = nil
	runtime.GC()
	if got := get(s); got != http.StatusOK {
		t.Errorf("after the spike (its 64 MiB freed, GC done), HeapInUse() = %d, limit %d: status %d, want 200", HeapInUse(), s.Limit, got)
	}
}
