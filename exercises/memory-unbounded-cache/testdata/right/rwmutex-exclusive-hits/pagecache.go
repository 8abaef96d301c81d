// Package pagecache serves the storefront's rendered pages from memory: a
// product page takes 40 ms to render from the catalog and the templates, and
// serving it again from memory takes microseconds.
package pagecache

import (
	"container/list"
	"net/http"
	"sync"
)

// MaxPages is the number of rendered pages the cache is sized for: the
// storefront's popular pages, a few hundred KiB each at worst, fit in the
// pod's memory budget a thousand times over.
const MaxPages = 1000

// RenderFunc renders the page at path.
type RenderFunc func(path string) ([]byte, error)

// Cache holds rendered pages by path, at most MaxPages of them: when it is
// full, it drops the least recently used page. It is safe for concurrent use.
type Cache struct {
	render RenderFunc

	mu    sync.RWMutex             // Len only reads; Get and Publish reorder the list and take the write lock
	pages map[string]*list.Element // path -> its element in lru
	lru   *list.List               // of *entry, most recently used first
}

type entry struct {
	path string
	page []byte
}

// New returns an empty cache that renders missing pages with render.
func New(render RenderFunc) *Cache {
	return &Cache{render: render, pages: make(map[string]*list.Element), lru: list.New()}
}

// Get returns the page at path, rendering it and keeping it on a miss.
func (c *Cache) Get(path string) ([]byte, error) {
	c.mu.Lock()
	if el, ok := c.pages[path]; ok {
		c.lru.MoveToFront(el)
		page := el.Value.(*entry).page
		c.mu.Unlock()
		return page, nil
	}
	c.mu.Unlock()

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

// put keeps page at path as the most recently used page, and drops the least
// recently used one if the cache is over MaxPages. Every insert goes through
// it, so the bound holds whoever inserts. c.mu must be held.
func (c *Cache) put(path string, page []byte) {
	if el, ok := c.pages[path]; ok {
		el.Value.(*entry).page = page
		c.lru.MoveToFront(el)
		return
	}
	c.pages[path] = c.lru.PushFront(&entry{path: path, page: page})
	if c.lru.Len() > MaxPages {
		oldest := c.lru.Back()
		c.lru.Remove(oldest)
		delete(c.pages, oldest.Value.(*entry).path)
	}
}

// Len returns the number of pages in the cache.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
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
