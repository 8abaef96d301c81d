package importer

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
)

var feed = []Row{
	{Item: 4810233, Warehouse: 1042, Qty: 1500},
	{Item: 4810233, Warehouse: 2017, Qty: 380},
	{Item: 5502917, Warehouse: 1042, Qty: 0},
}

func TestApply(t *testing.T) {
	s := NewStock(NewLogger(io.Discard, LevelInfo))
	for _, row := range feed {
		if err := s.Apply(row); err != nil {
			t.Fatalf("Apply(%+v): %v", row, err)
		}
	}
	for _, row := range feed {
		if got := s.Qty(row.Item, row.Warehouse); got != row.Qty {
			t.Errorf("Qty(%d, %d) = %d, want %d", row.Item, row.Warehouse, got, row.Qty)
		}
	}
	if err := s.Apply(Row{Item: 4810233, Warehouse: 1042, Qty: -4}); err == nil {
		t.Error("Apply accepted a negative quantity")
	}
	if got := s.Qty(4810233, 1042); got != 1500 {
		t.Errorf("a rejected row changed the quantity to %d", got)
	}
}

// With debug logging on (during an incident), every row is still logged.
func TestApplyLogsAtDebug(t *testing.T) {
	var out bytes.Buffer
	s := NewStock(NewLogger(&out, LevelDebug))
	for _, row := range feed[:2] {
		if err := s.Apply(row); err != nil {
			t.Fatalf("Apply(%+v): %v", row, err)
		}
	}
	want := "DEBUG apply item=4810233 warehouse=1042 qty=1500\n" +
		"DEBUG apply item=4810233 warehouse=2017 qty=380\n"
	if got := out.String(); got != want {
		t.Errorf("debug log:\n%s\nwant:\n%s", got, want)
	}
}

func TestApplyLogsNothingAtInfo(t *testing.T) {
	var out bytes.Buffer
	s := NewStock(NewLogger(&out, LevelInfo))
	s.Apply(feed[0])
	if out.Len() != 0 {
		t.Errorf("debug message written at LevelInfo: %q", out.String())
	}
}

// The feed is applied by several workers at once.
func TestApplyConcurrent(t *testing.T) {
	var out strings.Builder
	s := NewStock(NewLogger(&out, LevelDebug))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				s.Apply(Row{Item: 4810233, Warehouse: 1000 + w, Qty: i})
			}
		})
	}
	wg.Wait()
	if got := strings.Count(out.String(), "\n"); got != 400 {
		t.Errorf("%d debug lines, want 400", got)
	}
}

// BenchmarkApply measures one row of the feed with debug logging off, as in
// production. Run it with: go test -bench=Apply -benchmem
func BenchmarkApply(b *testing.B) {
	s := NewStock(NewLogger(io.Discard, LevelInfo))
	row := feed[0]
	b.ReportAllocs()
	for b.Loop() {
		s.Apply(row)
	}
}
