package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// queryLog records the shard queries in flight, and how each one ended.
type queryLog struct {
	mu       sync.Mutex
	inFlight map[string]bool
	ended    map[string]string // shard name -> how its query ended
}

func newQueryLog() *queryLog {
	return &queryLog{inFlight: make(map[string]bool), ended: make(map[string]string)}
}

// stillRunning returns the names of the shards whose query has not returned.
func (l *queryLog) stillRunning() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var names []string
	for name := range l.inFlight {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// endOf returns how the query of shard ended: "<nil>", an error, or "" if it
// has not returned.
func (l *queryLog) endOf(shard string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ended[shard]
}

// fakeShard answers after a fixed latency, like a shard across the network,
// and gives up when ctx is done, like a real index client.
type fakeShard struct {
	name    string
	latency time.Duration
	hits    []Hit
	log     *queryLog
}

func (f fakeShard) Search(ctx context.Context, query string) ([]Hit, error) {
	f.log.mu.Lock()
	f.log.inFlight[f.name] = true
	f.log.mu.Unlock()

	var err error
	select {
	case <-time.After(f.latency):
	case <-ctx.Done():
		err = ctx.Err()
	}

	f.log.mu.Lock()
	delete(f.log.inFlight, f.name)
	f.log.ended[f.name] = fmt.Sprint(err)
	f.log.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.hits, nil
}

// search runs s.Search inside a synctest bubble, where time is fake: a
// shard's 60ms latency or the 300ms timeout take no real time, and the test
// measures exactly how long Search took. Once Search has returned, it waits
// until every goroutine of the bubble is blocked or gone and returns the
// shards whose query was still running then. Then it lets a stalled shard's
// hour pass, so that its query ends, deadline or not, before the bubble does.
func search(t *testing.T, s *Searcher, log *queryLog) (res Result, took time.Duration, running []string) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		res = s.Search(t.Context(), "trail running shoes")
		took = time.Since(start)
		synctest.Wait()
		running = log.stillRunning()
		time.Sleep(time.Hour)
	})
	return res, took, running
}

func TestSearchMergesShards(t *testing.T) {
	log := newQueryLog()
	s := &Searcher{Timeout: 300 * time.Millisecond, Shards: []Shard{
		fakeShard{"shard-a", 40 * time.Millisecond, []Hit{{"SHOE-4411", 0.91}, {"SHOE-0093", 0.42}}, log},
		fakeShard{"shard-b", 90 * time.Millisecond, []Hit{{"SHOE-7120", 0.77}}, log},
	}}

	res, took, _ := search(t, s, log)

	want := []Hit{{"SHOE-4411", 0.91}, {"SHOE-7120", 0.77}, {"SHOE-0093", 0.42}}
	if !slices.Equal(res.Hits, want) || res.Partial {
		t.Errorf("Search = %+v; want every shard's hits, best first, %v, and Partial false", res, want)
	}
	if took != 90*time.Millisecond {
		t.Errorf("Search took %v; want 90ms, the latency of the slowest shard", took)
	}
}

func TestSearchWithStalledShard(t *testing.T) {
	log := newQueryLog()
	s := &Searcher{Timeout: 300 * time.Millisecond, Shards: []Shard{
		fakeShard{"shard-a", 40 * time.Millisecond, []Hit{{"SHOE-4411", 0.91}}, log},
		fakeShard{"shard-b", 90 * time.Millisecond, []Hit{{"SHOE-7120", 0.77}}, log},
		fakeShard{"shard-c", time.Hour, []Hit{{"SHOE-0093", 0.42}}, log}, // stalled: a merge is running
	}}

	res, took, running := search(t, s, log)

	want := []Hit{{"SHOE-4411", 0.91}, {"SHOE-7120", 0.77}}
	if !slices.Equal(res.Hits, want) || !res.Partial {
		t.Errorf("Search = %+v; want the hits of the shards that answered in time, %v, and Partial true", res, want)
	}
	if took != 300*time.Millisecond {
		t.Errorf("Search took %v; want 300ms, its timeout", took)
	}
	if len(running) > 0 {
		t.Errorf("Search returned at its 300ms timeout, but the query of %v was still running: the search's deadline never reached it", running)
	}
	// Cancelled by the search's deadline, or by Search as it returns at that
	// deadline: either way the query stops at 300ms.
	if got := log.endOf("shard-c"); got != context.DeadlineExceeded.Error() && got != context.Canceled.Error() {
		t.Errorf("the query of shard-c ended with %q; want %q or %q at 300ms: the search's deadline must stop it, not let it run its hour",
			got, context.DeadlineExceeded, context.Canceled)
	}
}
