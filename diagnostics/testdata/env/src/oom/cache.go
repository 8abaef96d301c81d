package cache

// Cache keeps every response it is given.
type Cache struct{ entries [][]byte }

// Put keeps a copy of b.
func (c *Cache) Put(b []byte) { c.entries = append(c.entries, append([]byte(nil), b...)) }
