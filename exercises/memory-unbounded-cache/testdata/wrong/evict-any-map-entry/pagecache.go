// Package pagecache serves the storefront's rendered pages from memory: a
// product page takes 40 ms to render from the catalog and the templates, and
// serving it again from memory takes microseconds.
package pagecache

import (
	"net/http"
	"sync"
)

// MaxPages is the number of rendered pages the cache is sized for: the
// storefront's popular pages, a few hundred KiB each at worst, fit in the
// pod's memory budget a thousand times over.
const MaxPages = 1000

// RenderFunc renders the page at path.
type RenderFunc func(path string) ([]byte, error)

// Cache holds rendered pages by path, at most MaxPages of them. It is safe
// for concurrent use.
type Cache struct {
	render RenderFunc

	mu    sync.Mutex
	pages map[string][]byte
}

// New returns an empty cache that renders missing pages with render.
func New(render RenderFunc) *Cache {
	return &Cache{render: render, pages: make(map[string][]byte)}
}

// Get returns the page at path, rendering it and keeping it on a miss.
func (c *Cache) Get(path string) ([]byte, error) {
	c.mu.Lock()
	page, ok := c.pages[path]
	c.mu.Unlock()
	if ok {
		return page, nil
	}

	page, err := c.render(path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.put(path, page)
	c.mu.Unlock()
	return page, nil
}

// Publish keeps page as the page at path, replacing the cached one. The CMS
// calls it with the new render when an editor publishes a page.
func (c *Cache) Publish(path string, page []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(path, page)
}

// put keeps page at path. When the cache is full, it makes room by dropping
// one page: map iteration order is random, so every page has the same
// chance, and the popular ones come back on their next request. c.mu must be
// held.
func (c *Cache) put(path string, page []byte) {
	if _, ok := c.pages[path]; !ok && len(c.pages) >= MaxPages {
		for victim := range c.pages {
			delete(c.pages, victim)
			break
		}
	}
	c.pages[path] = page
}

// Len returns the number of pages in the cache.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pages)
}

// ServeHTTP serves GET requests for pages from the cache.
func (c *Cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, err := c.Get(r.URL.Path)
	if err != nil {
		http.Error(w, "page unavailable", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}
