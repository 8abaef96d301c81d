package counter

import "sync"

// Counter counts hits safely.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Inc adds one hit.
func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}
