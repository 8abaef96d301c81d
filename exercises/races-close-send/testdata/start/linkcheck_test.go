package linkcheck

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

// fakeWeb answers every URL after its latency (50ms unless listed), with 404
// for the URLs in missing. A request gives up when its context is done.
type fakeWeb struct {
	latency map[string]time.Duration
	missing map[string]bool
}

func (w fakeWeb) Status(ctx context.Context, url string) (int, error) {
	d, ok := w.latency[url]
	if !ok {
		d = 50 * time.Millisecond
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	if w.missing[url] {
		return 404, nil
	}
	return 200, nil
}

// The synctest bubble has a fake clock: the latencies take no real time.
func TestCheckArticle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var urls []string
		for i := range 12 {
			urls = append(urls, fmt.Sprintf("https://docs.example.com/guide/%02d", i))
		}
		web := fakeWeb{
			latency: map[string]time.Duration{
				urls[3]:  400 * time.Millisecond,
				urls[11]: 2 * time.Second, // the last link is on a slow host
			},
			missing: map[string]bool{urls[5]: true, urls[11]: true},
		}
		c := &Checker{Prober: web, Workers: 4}

		results := c.Check(context.Background(), urls)
		// The CMS keeps running after Check returns: a minute (of fake time)
		// lets any goroutine that Check left behind run to its end.
		defer time.Sleep(time.Minute)

		if len(results) != len(urls) {
			t.Fatalf("Check(%d links) returned %d results", len(urls), len(results))
		}
		var broken []string
		for i, r := range results {
			if r.URL != urls[i] {
				t.Errorf("result %d is for %s, want %s", i, r.URL, urls[i])
			}
			if r.Broken() {
				broken = append(broken, r.URL)
			}
		}
		if want := fmt.Sprint([]string{urls[5], urls[11]}); fmt.Sprint(broken) != want {
			t.Errorf("broken links %v, want %v", broken, want)
		}
	})
}
