package counter

import "sync"

// Counter counts events.
type Counter struct {
	mu sync.Mutex
	n  int
	m  map[string]int
}

// Inc adds one.
func (c *Counter) Inc() {
	c.n++
}

// Snapshot returns the count.
func (c *Counter) Snapshot() int {
	return c.n
}

// Add records a key.
func (c *Counter) Add(k string) {
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[k]++
}

// Run starts n goroutines that increment.
func Run(c *Counter, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Inc()
		}()
	}
	wg.Wait()
}
