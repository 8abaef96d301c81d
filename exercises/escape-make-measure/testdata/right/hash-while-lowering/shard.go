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
	// FNV-1a reads its input one byte at a time, so the lower-cased key
	// never has to exist as a whole: hash each byte as it is lower-cased.
	h := hashLower(fnvOffset, metric)
	h = fnvByte(h, '|')
	h = hashLower(h, tags)
	return int(h % r.shards)
}

const fnvOffset = 2166136261

// hashLower feeds s, lower-cased, to the FNV-1a hash h.
func hashLower(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = fnvByte(h, c)
	}
	return h
}

// fnvByte feeds one byte to the FNV-1a hash h.
func fnvByte(h uint32, c byte) uint32 {
	return (h ^ uint32(c)) * 16777619
}
