// Package shard routes every data point that the metrics gateway receives
// to one of its aggregation shards. All points of one series (metric name
// plus tags) must land on the same shard, whatever case the client used:
// "HTTP.Server.Duration" and "http.server.duration" are the same series.
package shard

// Router picks the aggregation shard for a series.
type Router struct {
	shards uint32
}

// NewRouter returns a Router over the given number of shards.
func NewRouter(shards int) *Router {
	if shards < 1 {
		panic("shard: a router needs at least one shard")
	}
	return &Router{shards: uint32(shards)}
}

// Pick runs once per data point, tens of thousands of times a second. It
// hashes the series key "metric|tags", lower-cased, and maps the hash to a
// shard. The mapping must never change: the shards keep state per series.
func (r *Router) Pick(metric, tags string) int {
	n := len(metric) + 1 + len(tags)
	// A typical series key is about 50 bytes: a 64-byte array in the frame
	// covers it, and the rare longer key may allocate.
	var buf [64]byte
	var key []byte
	if n <= len(buf) {
		key = buf[:n]
	} else {
		key = make([]byte, n)
	}
	lowerInto(key, metric)
	key[len(metric)] = '|'
	lowerInto(key[len(metric)+1:], tags)
	return int(fnv1a(key) % r.shards)
}

// lowerInto copies src into dst, lower-casing ASCII letters.
func lowerInto(dst []byte, src string) {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
}

// fnv1a is the 32-bit FNV-1a hash.
func fnv1a(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}
