package shard

import (
	"strings"
	"testing"
)

func TestPickIgnoresCase(t *testing.T) {
	r := NewRouter(16)
	a := r.Pick("http.server.request.duration", "service=checkout,region=eu-west-1")
	b := r.Pick("HTTP.Server.Request.Duration", "Service=Checkout,Region=EU-West-1")
	if a != b {
		t.Errorf("the same series went to shards %d and %d", a, b)
	}
}

// The shards keep state per series: a deploy must not move any series.
func TestPickIsStable(t *testing.T) {
	r := NewRouter(16)
	for _, tc := range []struct {
		metric, tags string
		want         int
	}{
		{"http.server.request.duration", "service=checkout,region=eu-west-1", 10},
		{"db.client.connections.usage", "pool=orders-primary,state=idle", 9},
		{"queue.depth", "queue=payments", 8},
		{"runtime.go.gc.pause", strings.Repeat("pod=checkout-7f9c6d5b8-x2k4q,", 8), 1},
	} {
		if got := r.Pick(tc.metric, tc.tags); got != tc.want {
			t.Errorf("Pick(%q, %q) = %d, want %d", tc.metric, tc.tags, got, tc.want)
		}
	}
}

func TestPickSpreadsSeries(t *testing.T) {
	r := NewRouter(8)
	seen := make(map[int]bool)
	for _, pod := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"} {
		shard := r.Pick("http.server.request.duration", "service=checkout,pod="+pod)
		if shard < 0 || shard >= 8 {
			t.Fatalf("shard %d out of range [0, 8)", shard)
		}
		seen[shard] = true
	}
	if len(seen) < 4 {
		t.Errorf("16 series landed on only %d of 8 shards", len(seen))
	}
}

// BenchmarkPick measures the per-point cost of routing a typical series.
// Run it with: go test -bench=Pick -benchmem
func BenchmarkPick(b *testing.B) {
	r := NewRouter(16)
	b.ReportAllocs()
	for b.Loop() {
		r.Pick("http.server.request.duration", "service=checkout,region=eu-west-1")
	}
}
