package logship

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeStore is the log store: each WriteBatch takes latency, like a request
// across the network, and fails if ctx is done first.
type fakeStore struct {
	latency time.Duration

	mu      sync.Mutex
	batches [][]Record
}

func (s *fakeStore) WriteBatch(ctx context.Context, records []Record) error {
	select {
	case <-time.After(s.latency):
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, slices.Clone(records))
	return nil
}

// stored returns the size of every batch, in order, and every stored record
// as "host line", sorted.
func (s *fakeStore) stored() (sizes []int, lines []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.batches {
		sizes = append(sizes, len(b))
		for _, r := range b {
			lines = append(lines, r.Host+" "+r.Line)
		}
	}
	slices.Sort(lines)
	return sizes, lines
}

// accessLog returns a log of n lines written by host, and the lines as the
// store must hold them.
func accessLog(host string, n int) (Log, []string) {
	var b strings.Builder
	var want []string
	for i := range n {
		line := fmt.Sprintf(`10.0.%d.7 - - "GET /products/%d HTTP/1.1" 200 5120`, i%256, 1000+i)
		fmt.Fprintln(&b, line)
		want = append(want, host+" "+line)
	}
	return Log{Host: host, R: strings.NewReader(b.String())}, want
}

// ship runs Ship with the hourly job's 5 minute limit and returns its error
// and the time it took. The tests call it inside a synctest bubble, where time
// is fake: a write of 20ms and the 5 minutes take no real time, and durations
// are exact. When the function given to synctest.Test returns, every
// goroutine started in the bubble must have ended; if one is still blocked,
// synctest.Test fails the test with "deadlock: main bubble goroutine has
// exited but blocked goroutines remain" and prints that goroutine's stack.
func ship(t *testing.T, logs []Log, store Store, batchSize int) (took time.Duration, err error) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	err = Ship(ctx, logs, store, batchSize)
	return time.Since(start), err
}

// checkStored reports the records of want that store does not hold, and
// records it holds that are not in want.
func checkStored(t *testing.T, store *fakeStore, want []string) {
	t.Helper()
	_, got := store.stored()
	want = slices.Sorted(slices.Values(want))
	for _, line := range want {
		if _, found := slices.BinarySearch(got, line); !found {
			t.Errorf("%d of the %d records are stored; missing: %s", len(got), len(want), line)
			return
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d records are stored, want %d", len(got), len(want))
	}
}

func TestShipStoresEveryRecord(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		edge1, want1 := accessLog("edge-fra-1", 4)
		edge2, want2 := accessLog("edge-fra-2", 7)
		edge3, _ := accessLog("edge-ams-1", 0) // a quiet hour
		store := &fakeStore{latency: 20 * time.Millisecond}

		took, err := ship(t, []Log{edge1, edge2, edge3}, store, 5)
		if err != nil {
			t.Errorf("Ship: %v", err)
		}
		// 11 records in batches of 5: 5, 5 and the last 1, each written in 20ms.
		if sizes, _ := store.stored(); !slices.Equal(sizes, []int{5, 5, 1}) {
			t.Errorf("stored batches of %v records, want [5 5 1]", sizes)
		}
		checkStored(t, store, append(want1, want2...))
		if took != 60*time.Millisecond {
			t.Errorf("Ship returned after %v, want 60ms (three writes of 20ms)", took)
		}
	})
}

// brokenLog fails after its first lines, like a proxy that crashed mid-transfer.
type brokenLog struct{ r io.Reader }

var errReset = errors.New("connection reset by peer")

func (b brokenLog) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, errReset
	}
	return n, err
}

func TestShipReportsUnreadableLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		edge1, want1 := accessLog("edge-fra-1", 3)
		edge2, want2 := accessLog("edge-fra-2", 2)
		edge2.R = brokenLog{edge2.R}
		store := &fakeStore{latency: 20 * time.Millisecond}

		took, err := ship(t, []Log{edge1, edge2}, store, 10)
		if !errors.Is(err, errReset) || !strings.Contains(err.Error(), "edge-fra-2") {
			t.Errorf("Ship error = %v, want the read error of edge-fra-2", err)
		}
		// What could be read is stored anyway.
		checkStored(t, store, append(want1, want2...))
		if took != 20*time.Millisecond {
			t.Errorf("Ship returned after %v, want 20ms (one write)", took)
		}
	})
}
