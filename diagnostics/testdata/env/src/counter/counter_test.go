package counter

import (
	"sync"
	"testing"
)

func TestInc(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(c.Inc)
	}
	wg.Wait()
	if c.n != 4 {
		t.Fatalf("n = %d, want 4", c.n)
	}
}
