package counter

import (
	"sync"
	"testing"
)

func TestRun(t *testing.T) {
	t.Log("starting")
	c := &Counter{}
	Run(c, 4)
	if got := c.Snapshot(); got != 4 {
		t.Errorf("got %d, want 4", got)
	}
}

func TestSnapshot(t *testing.T) {
	c := &Counter{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.Inc()
	}()
	_ = c.Snapshot()
	wg.Wait()
}

func TestMap(t *testing.T) {
	c := &Counter{}
	done := make(chan bool)
	go func() {
		c.Add("a")
		done <- true
	}()
	c.Add("b")
	<-done
}
