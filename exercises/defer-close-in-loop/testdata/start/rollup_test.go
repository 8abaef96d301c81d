package rollup

import (
	"maps"
	"slices"
	"testing"
	"testing/fstest"
)

func TestMergeDir(t *testing.T) {
	fsys := fstest.MapFS{
		"edge-01-0000.cnt": {Data: []byte("checkout.requests 1243\ncheckout.errors 7\n")},
		"edge-01-0001.cnt": {Data: []byte("checkout.requests 1198\nsearch.requests 5310\n")},
		"edge-02-0000.cnt": {Data: []byte("checkout.requests 977\ncheckout.errors 2\n")},
		"edge-02-0001.cnt": {Data: []byte("checkout.requests 1020\nsearch.req")}, // collector killed mid-write
		"collector.log":    {Data: []byte("not a shard\n")},
	}

	rep, err := MergeDir(fsys)
	if err != nil {
		t.Fatalf("MergeDir: %v", err)
	}

	want := map[string]int64{"checkout.requests": 3418, "checkout.errors": 9, "search.requests": 5310}
	if !maps.Equal(rep.Totals, want) {
		t.Errorf("Totals = %v, want %v", rep.Totals, want)
	}
	if rep.Merged != 3 {
		t.Errorf("Merged = %d, want 3", rep.Merged)
	}
	if want := []string{"edge-02-0001.cnt"}; !slices.Equal(rep.Corrupt, want) {
		t.Errorf("Corrupt = %q, want %q", rep.Corrupt, want)
	}
}
