package stats

// Counter counts requests.
type Counter struct{ n int }

// Inc counts one.
func (c *Counter) Inc() {
	c.n++
}

// Snapshot reads the count.
func (c *Counter) Snapshot() int {
	return c.n
}
