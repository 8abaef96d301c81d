package cache

import "testing"

func TestPutMany(t *testing.T) {
	var c Cache
	b := make([]byte, 64<<20)
	for range 1000 {
		c.Put(b)
	}
}
