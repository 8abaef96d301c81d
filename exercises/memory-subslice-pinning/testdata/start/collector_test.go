package telemetry

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"testing"
)

// batchID returns the ID of an agent's n-th batch.
func batchID(agent string, n int) []byte {
	id := make([]byte, batchIDLen)
	copy(id, fmt.Sprintf("%-12.12s%04d", agent, n))
	return id
}

// samplesOf returns lines samples of 64 bytes each.
func samplesOf(lines int) []byte {
	var b bytes.Buffer
	for i := range lines {
		fmt.Fprintf(&b, "http_requests_total{route=\"/v1/orders\"} %012d 1772805600\n", i)
	}
	return b.Bytes()
}

// upload posts a batch the way an agent does and returns the status code.
func upload(c *Collector, agent string, id, samples []byte) int {
	body := io.MultiReader(bytes.NewReader(id), bytes.NewReader(samples))
	req := httptest.NewRequest("POST", "/v1/batches?agent="+agent, body)
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	return rec.Code
}

func TestAcceptDropsRetries(t *testing.T) {
	c := NewCollector()
	samples := samplesOf(3)
	steps := []struct {
		agent   string
		n       int
		wantDup bool
	}{
		{"web-01", 1, false},
		{"web-01", 1, true}, // the agent timed out and sent batch 1 again
		{"web-02", 1, false},
		{"web-01", 2, false},
		{"web-01", 2, true},
	}
	for _, s := range steps {
		batch := append(batchID(s.agent, s.n), samples...)
		dup, err := c.Accept(s.agent, batch)
		if err != nil || dup != s.wantDup {
			t.Errorf("Accept(%s, batch %d) = %v, %v; want %v, nil", s.agent, s.n, dup, err, s.wantDup)
		}
	}
	if got := c.Samples("web-01"); got != 6 {
		t.Errorf("web-01: %d samples counted, want 6", got)
	}
	if _, err := c.Accept("web-03", []byte("short")); err != ErrShortBatch {
		t.Errorf("Accept of a 5-byte batch: error %v, want ErrShortBatch", err)
	}
}

func TestServeHTTP(t *testing.T) {
	c := NewCollector()
	samples := samplesOf(1000)
	for _, want := range []int{http.StatusAccepted, http.StatusOK} {
		if got := upload(c, "db-07", batchID("db-07", 1), samples); got != want {
			t.Errorf("POST /v1/batches?agent=db-07: status %d, want %d", got, want)
		}
	}
	if got := c.Samples("db-07"); got != 1000 {
		t.Errorf("db-07: %d samples counted, want 1000", got)
	}
}

// liveHeap collects garbage and returns the bytes of heap that are still
// reachable.
func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// The production symptom, at a smaller scale: every agent's last batch stays
// in memory although only its ID is needed.
func TestCollectorMemory(t *testing.T) {
	c := NewCollector()
	samples := samplesOf(16 << 10) // 1 MiB
	before := liveHeap()
	for a := range 32 {
		agent := fmt.Sprintf("web-%02d", a)
		if got := upload(c, agent, batchID(agent, 1), samples); got != http.StatusAccepted {
			t.Fatalf("POST /v1/batches?agent=%s: status %d", agent, got)
		}
	}
	kept := int64(liveHeap()) - int64(before)
	runtime.KeepAlive(c)
	runtime.KeepAlive(samples)
	if kept > 1<<20 {
		t.Errorf("after 32 agents uploaded a %d-byte batch each, the collector keeps %d bytes of heap alive (%.1f MiB), want at most 1 MiB",
			len(samples)+batchIDLen, kept, float64(kept)/(1<<20))
	}
}
