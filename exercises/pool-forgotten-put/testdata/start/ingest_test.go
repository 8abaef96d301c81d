package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"testing"
)

func TestWriteBatch(t *testing.T) {
	batch := []Sample{
		{Metric: "http_requests_total", Host: "web-42.fra1", Value: 1027, Time: 1773064931000000000},
		{Metric: "cpu_usage_ratio", Host: "web-42.fra1", Value: 0.375, Time: 1773064931000000000},
		{Metric: "queue_depth", Host: "worker-7.ams3", Value: -2.5e-7, Time: 1773064932500000000},
	}
	want := `http_requests_total,host=web-42.fra1 value=1027 1773064931000000000
cpu_usage_ratio,host=web-42.fra1 value=0.375 1773064931000000000
queue_depth,host=worker-7.ams3 value=-2.5e-07 1773064932500000000
`
	var db bytes.Buffer
	if err := WriteBatch(&db, batch); err != nil {
		t.Fatal(err)
	}
	if got := db.String(); got != want {
		t.Errorf("wrote:\n%s\nwant:\n%s", got, want)
	}
}

// agentBatch is what one agent pushes every 10 seconds: n samples. If
// broken, the last one is NaN, as a misconfigured exporter sends it.
func agentBatch(n int, broken bool) []Sample {
	batch := make([]Sample, n)
	for i := range batch {
		batch[i] = Sample{
			Metric: fmt.Sprintf("node_disk_io_seconds_total_%03d", i),
			Host:   "db-3.fra1",
			Value:  float64(i) * 1.5,
			Time:   1773064931000000000 + int64(i),
		}
	}
	if broken {
		batch[n-1].Value = math.NaN()
	}
	return batch
}

func TestWriteBatchRejectsInvalidSamples(t *testing.T) {
	for _, batch := range [][]Sample{
		agentBatch(20, true),
		{{Metric: "http_requests_total", Host: "web 42", Value: 1, Time: 1}},
		{{Metric: "", Host: "web-42", Value: 1, Time: 1}},
		{{Metric: "temp_celsius", Host: "web-42", Value: math.Inf(1), Time: 1}},
	} {
		var db bytes.Buffer
		if err := WriteBatch(&db, batch); !errors.Is(err, ErrInvalidSample) {
			t.Errorf("batch ending with %+v: %v, want ErrInvalidSample", batch[len(batch)-1], err)
		}
		if db.Len() != 0 {
			t.Errorf("a rejected batch wrote %d bytes to the database, want 0", db.Len())
		}
	}
}

// Measure before you fix: go test -run=Heap -v
//
// Rejects batches from a broken agent and logs the live heap (what is left
// after a garbage collection) along the way.
func TestHeapWhileRejectingBatches(t *testing.T) {
	broken := agentBatch(200, true)
	var ms runtime.MemStats
	for i := range 5001 {
		if i%1000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			t.Logf("after %4d rejected batches: live heap %5d KiB, %7d allocations so far", i, ms.HeapAlloc>>10, ms.Mallocs)
		}
		if err := WriteBatch(io.Discard, broken); !errors.Is(err, ErrInvalidSample) {
			t.Fatalf("broken batch: %v, want ErrInvalidSample", err)
		}
	}
}

// go test -bench=WriteBatch -benchmem shows what a batch costs.
func BenchmarkWriteBatch(b *testing.B) {
	for _, broken := range []bool{false, true} {
		name := "accepted"
		if broken {
			name = "rejected"
		}
		batch := agentBatch(200, broken)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				WriteBatch(io.Discard, batch)
			}
		})
	}
}
