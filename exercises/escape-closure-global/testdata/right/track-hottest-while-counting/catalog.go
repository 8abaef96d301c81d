// Package catalog loads the search shards of the product catalog. Every shard
// publishes on the /metrics page how many keys its hottest bucket holds, so an
// operator sees a skewed shard before it turns into a hot node.
package catalog

import "sync"

// The process-wide gauge registry that the /metrics handler reads. Entries
// live as long as the process; loading a shard again replaces its gauge.
var (
	gaugesMu sync.Mutex
	gauges   = map[string]func() float64{}
)

func registerGauge(name string, read func() float64) {
	gaugesMu.Lock()
	defer gaugesMu.Unlock()
	gauges[name] = read
}

// Gauge returns the current value of the named gauge, as /metrics shows it.
func Gauge(name string) (float64, bool) {
	gaugesMu.Lock()
	read, ok := gauges[name]
	gaugesMu.Unlock()
	if !ok {
		return 0, false
	}
	return read(), true
}

// HottestBucketGauge is the name of the gauge that Load registers for a shard.
func HottestBucketGauge(shard string) string {
	return `catalog_shard_hottest_bucket_keys{shard="` + shard + `"}`
}

// buckets is the number of hash buckets of a shard.
const buckets = 8192

// Shard is one loaded search shard.
type Shard struct {
	Name string
	keys []uint64
}

// Load builds a shard from its keys and registers its gauge. A node calls it
// for every shard it takes over: hundreds at startup, more at every rebalance.
func Load(name string, keys []uint64) *Shard {
	var perBucket [buckets]uint64 // 64 KiB: how many keys fall in each bucket
	var hottest uint64            // the most keys in one bucket so far
	for _, k := range keys {
		b := k % buckets
		perBucket[b]++
		hottest = max(hottest, perBucket[b])
	}
	// The gauge needs one number, and it never changes: capture that, not
	// the array.
	registerGauge(HottestBucketGauge(name), func() float64 {
		return float64(hottest)
	})
	return &Shard{Name: name, keys: keys}
}

// Len returns the number of keys in the shard.
func (s *Shard) Len() int { return len(s.keys) }
