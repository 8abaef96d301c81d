// Package linkcheck finds the broken links of an article before the CMS
// publishes it.
package linkcheck

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Prober fetches a URL and returns the HTTP status it answers with.
type Prober interface {
	Status(ctx context.Context, url string) (int, error)
}

// Result is the outcome of checking one link.
type Result struct {
	URL    string
	Status int   // 0 when Err is set
	Err    error // the request failed: DNS, TLS, timeout...
}

// Broken reports whether the link would send a reader to an error.
func (r Result) Broken() bool { return r.Err != nil || r.Status >= 400 }

// Checker checks links with a fixed number of workers, so that an article with
// 400 links does not open 400 connections at once.
type Checker struct {
	Prober  Prober
	Workers int
}

// Check checks every link and returns one result per link, sorted by URL.
func (c *Checker) Check(ctx context.Context, urls []string) []Result {
	jobs := make(chan string)
	results := make(chan Result, len(urls)) // room for every result: workers never wait
	for range c.Workers {
		go func() {
			for url := range jobs {
				status, err := c.Prober.Status(ctx, url)
				results <- Result{URL: url, Status: status, Err: err}
			}
		}()
	}

	for _, url := range urls {
		jobs <- url
	}
	close(jobs) // no more links: the workers stop when they are done
	// Close results only once every result is in it, so that no worker
	// sends on a closed channel.
	for len(results) < len(urls) {
		time.Sleep(10 * time.Millisecond)
	}
	close(results)

	out := make([]Result, 0, len(urls))
	for r := range results {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Result) int { return strings.Compare(a.URL, b.URL) })
	return out
}
