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

// Cache holds rendered pages by path, at most MaxPages of them: when it is
// full, it drops the least recently used page. It is safe for concurrent use.
type Cache struct {
	render RenderFunc

	mu    sync.Mutex
	pages map[string]*entry
	// head is the sentinel of a circular list of the entries, most recently
	// used first: head.next is the newest, head.prev the oldest.
	head entry
}

// entry is a cached page and its links in the cache's use order.
type entry struct {
	path       string
	page       []byte
	prev, next *entry
}

// New returns an empty cache that renders missing pages with render.
func New(render RenderFunc) *Cache {
	c := &Cache{render: render, pages: make(map[string]*entry)}
	c.head.prev, c.head.next = &c.head, &c.head
	return c
}

// Get returns the page at path, rendering it and keeping it on a miss.
func (c *Cache) Get(path string) ([]byte, error) {
	c.mu.Lock()
	if e, ok := c.pages[path]; ok {
		c.touch(e)
		page := e.page
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

// put keeps page at path as the most recently used page and, when the cache
// is over MaxPages, drops the least recently used one. c.mu must be held.
func (c *Cache) put(path string, page []byte) {
	if e, ok := c.pages[path]; ok {
		e.page = page
		c.touch(e)
		return
	}
	e := &entry{path: path, page: page}
	c.pages[path] = e
	c.link(e)
	if len(c.pages) > MaxPages {
		oldest := c.head.prev
		c.unlink(oldest)
		delete(c.pages, oldest.path)
	}
}

// touch makes e the most recently used entry. c.mu must be held.
func (c *Cache) touch(e *entry) {
	c.unlink(e)
	c.link(e)
}

// link inserts e at the front, as the most recently used entry.
func (c *Cache) link(e *entry) {
	e.prev, e.next = &c.head, c.head.next
	c.head.next.prev = e
	c.head.next = e
}

// unlink removes e from the list, and its links, so that a dropped entry
// keeps no other entry reachable.
func (c *Cache) unlink(e *entry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
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
