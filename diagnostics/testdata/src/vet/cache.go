package vetme

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Cache guards a map.
type Cache struct {
	mu sync.Mutex
	m  map[string]string
}

// Get copies the receiver, and with it the lock.
func (c Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

// Show prints a cache.
func Show(c *Cache) {
	fmt.Printf("%d entries\n", "many")
	copy := *c
	_ = copy
}

// Wait forgets to cancel.
func Wait() {
	ctx, _ := context.WithTimeout(context.Background(), time.Second)
	<-ctx.Done()
}

// Spin waits on a done flag.
func Spin(wg *sync.WaitGroup) {
	go func() {
		wg.Add(1)
		defer wg.Done()
	}()
}
