package geoip

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"
)

// database returns n records of consecutive ranges of 64 addresses each,
// in cities of a list of 1,000, in 40 countries: like the real file.
func database(n int) []Record {
	countries := make([]string, 40)
	for i := range countries {
		countries[i] = fmt.Sprintf("%c%c", 'A'+i/26, 'A'+i%26)
	}
	cities := make([]string, 1000)
	for i := range cities {
		cities[i] = fmt.Sprintf("City %d", i)
	}
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = Record{First: uint32(i) * 64, Last: uint32(i)*64 + 63, Country: countries[i%40], City: cities[(i*7)%1000]}
	}
	return recs
}

func TestLookup(t *testing.T) {
	tbl, err := Load([]Record{
		{First: 100, Last: 199, Country: "DE", City: "Berlin"},
		{First: 300, Last: 300, Country: "FR", City: "Lyon"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ip   uint32
		want Location
		ok   bool
	}{
		{99, Location{}, false},
		{100, Location{"DE", "Berlin"}, true},
		{199, Location{"DE", "Berlin"}, true},
		{250, Location{}, false},
		{300, Location{"FR", "Lyon"}, true},
		{301, Location{}, false},
	} {
		if got, ok := tbl.Lookup(tt.ip); got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%d) = %v, %v; want %v, %v", tt.ip, got, ok, tt.want, tt.ok)
		}
	}
}

// scannableHeap is the heap that the garbage collector must scan for
// pointers at every cycle, as the last cycle measured it.
func scannableHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func TestTableIsNotScanned(t *testing.T) {
	runtime.GC()
	before := scannableHeap()
	tbl, err := Load(database(200_000))
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	grew := int64(scannableHeap()) - int64(before)
	if limit := int64(64 << 10); grew > limit {
		t.Errorf("a table of %d ranges added %d KiB of heap that every GC cycle must scan for pointers (/gc/scan/heap:bytes), want at most %d KiB", tbl.Len(), grew>>10, limit>>10)
	}
	runtime.KeepAlive(tbl)
}
