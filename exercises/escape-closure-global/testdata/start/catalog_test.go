package catalog

import (
	"fmt"
	"sync"
	"testing"
)

// shardKeys returns n keys spread over distinct buckets, plus hot-1 more
// keys in bucket 7, so that the hottest bucket holds hot keys.
func shardKeys(n, hot int) []uint64 {
	keys := make([]uint64, 0, n+hot)
	for i := range n {
		keys = append(keys, uint64(100+i))
	}
	for i := 0; i < hot; i++ {
		keys = append(keys, uint64(i*buckets+7))
	}
	return keys
}

func gauge(t *testing.T, shard string) float64 {
	t.Helper()
	v, ok := Gauge(HottestBucketGauge(shard))
	if !ok {
		t.Fatalf("no gauge registered for shard %q", shard)
	}
	return v
}

func TestLoad(t *testing.T) {
	s := Load("products-00", shardKeys(500, 6))
	if s.Len() != 506 {
		t.Errorf("Len() = %d, want 506", s.Len())
	}
	if got := gauge(t, "products-00"); got != 6 {
		t.Errorf("hottest bucket gauge = %v, want 6", got)
	}
}

// Every shard's gauge reports that shard, whatever was loaded after it.
func TestGaugesPerShard(t *testing.T) {
	Load("products-01", shardKeys(300, 4))
	Load("products-02", shardKeys(900, 11))
	Load("products-03", shardKeys(50, 1))
	for shard, want := range map[string]float64{"products-01": 4, "products-02": 11, "products-03": 1} {
		if got := gauge(t, shard); got != want {
			t.Errorf("shard %s: hottest bucket gauge = %v, want %v", shard, got, want)
		}
	}
}

// A rebalance loads shards in parallel while /metrics is scraped.
func TestLoadConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("reviews-%02d", i)
			Load(name, shardKeys(200+i, i+2))
			if got := gauge(t, name); got != float64(i+2) {
				t.Errorf("shard %s: hottest bucket gauge = %v, want %d", name, got, i+2)
			}
		})
	}
	wg.Wait()
}

// BenchmarkLoad measures loading one shard. Run it with:
// go test -bench=Load -benchmem
func BenchmarkLoad(b *testing.B) {
	keys := shardKeys(1000, 3)
	b.ReportAllocs()
	for b.Loop() {
		Load("products-00", keys)
	}
}
