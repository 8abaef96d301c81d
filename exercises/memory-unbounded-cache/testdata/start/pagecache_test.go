package pagecache

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// renderer renders 512-byte pages and counts how often it rendered each path.
type renderer struct {
	mu    sync.Mutex
	count map[string]int
}

func newRenderer() *renderer { return &renderer{count: make(map[string]int)} }

func (r *renderer) render(path string) ([]byte, error) {
	r.mu.Lock()
	r.count[path]++
	r.mu.Unlock()
	return pageFor(path), nil
}

func (r *renderer) renders(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count[path]
}

// pageFor returns the 512-byte page the storefront renders for path.
func pageFor(path string) []byte {
	page := fmt.Sprintf("<!doctype html><title>%s</title><main>", path)
	return []byte(page + strings.Repeat(".", 512-len(page)-len("</main>")) + "</main>")
}

func TestGetRendersOncePerPage(t *testing.T) {
	r := newRenderer()
	c := New(r.render)
	for range 3 {
		for _, path := range []string{"/", "/products/4711", "/pricing"} {
			page, err := c.Get(path)
			if err != nil || !bytes.Equal(page, pageFor(path)) {
				t.Fatalf("Get(%q) = %.40q..., %v; want its page", path, page, err)
			}
		}
	}
	if n := r.renders("/products/4711"); n != 1 {
		t.Errorf("/products/4711 was rendered %d times for 3 requests, want 1", n)
	}
	if c.Len() != 3 {
		t.Errorf("Len() = %d, want 3", c.Len())
	}
}

func TestPublishReplacesPage(t *testing.T) {
	r := newRenderer()
	c := New(r.render)
	c.Get("/pricing")
	c.Publish("/pricing", []byte("<!doctype html><title>New prices</title>"))
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, httptest.NewRequest("GET", "/pricing", nil))
	if got := rec.Body.String(); got != "<!doctype html><title>New prices</title>" {
		t.Errorf("GET /pricing after Publish served %.40q..., want the published page", got)
	}
	if n := r.renders("/pricing"); n != 1 {
		t.Errorf("/pricing was rendered %d times, want 1", n)
	}
}

// The production incident: a crawler walks the whole catalog, one product
// page after the other.
func TestCrawlerStaysWithinBudget(t *testing.T) {
	c := New(newRenderer().render)
	for i := range 20_000 {
		if _, err := c.Get(fmt.Sprintf("/products/%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if c.Len() > MaxPages {
		t.Errorf("after a crawler fetched 20,000 product pages, the cache holds %d pages, want at most MaxPages = %d", c.Len(), MaxPages)
	}
}

// Meanwhile, customers keep loading the home page: it must stay cached.
func TestPopularPagesStayCached(t *testing.T) {
	r := newRenderer()
	c := New(r.render)
	for i := range 20_000 {
		c.Get(fmt.Sprintf("/products/%d", i))
		if i%100 == 0 {
			c.Get("/")
		}
	}
	if n := r.renders("/"); n != 1 {
		t.Errorf("the home page, served every 100 requests during a crawl of 20,000 product pages, was rendered %d times, want 1", n)
	}
}
