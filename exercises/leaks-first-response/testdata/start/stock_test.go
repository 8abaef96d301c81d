package inventory

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// fakeReplica answers after a fixed latency, like a replica across the network,
// and gives up when ctx is done, like a real database client.
type fakeReplica struct {
	latency time.Duration
	units   int
	err     error
}

func (f fakeReplica) StockLevel(ctx context.Context, sku string) (int, error) {
	select {
	case <-time.After(f.latency):
		return f.units, f.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// stockLevel calls StockLevel inside a synctest bubble, where time is fake and
// starts at midnight, 1 January 2000. It returns StockLevel's results and the
// fake time it took. The bubble then lets a minute pass, so every replica has
// answered long before it ends; if a goroutine started by StockLevel is still
// blocked when the bubble ends, synctest.Test fails the test with
// "deadlock: main bubble goroutine has exited but blocked goroutines remain"
// and prints that goroutine's stack.
func stockLevel(t *testing.T, replicas ...Replica) (units int, took time.Duration, err error) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		units, err = NewReader(replicas...).StockLevel(t.Context(), "SKU-31337")
		took = time.Since(start)
		time.Sleep(time.Minute)
	})
	return units, took, err
}

func TestStockLevelFastestReplicaWins(t *testing.T) {
	units, took, err := stockLevel(t,
		fakeReplica{latency: 40 * time.Millisecond, units: 11},
		fakeReplica{latency: 5 * time.Millisecond, units: 12},
		fakeReplica{latency: 20 * time.Millisecond, units: 11},
	)
	if err != nil || units != 12 || took != 5*time.Millisecond {
		t.Errorf("StockLevel = %d, %v after %v; want 12, nil after 5ms (the fastest replica's answer)", units, err, took)
	}
}

func TestStockLevelSkipsFailedReplica(t *testing.T) {
	units, took, err := stockLevel(t,
		fakeReplica{latency: 2 * time.Millisecond, err: errors.New("replica-b: connection refused")},
		fakeReplica{latency: 15 * time.Millisecond, units: 12},
		fakeReplica{latency: 30 * time.Millisecond, units: 12},
	)
	if err != nil || units != 12 || took != 15*time.Millisecond {
		t.Errorf("StockLevel = %d, %v after %v; want 12, nil after 15ms (the first successful answer)", units, err, took)
	}
}

func TestStockLevelAllReplicasFail(t *testing.T) {
	errLag := errors.New("replica lag over 30s")
	_, took, err := stockLevel(t,
		fakeReplica{latency: 2 * time.Millisecond, err: errors.New("connection refused")},
		fakeReplica{latency: 9 * time.Millisecond, err: errLag},
		fakeReplica{latency: 4 * time.Millisecond, err: errors.New("too many connections")},
	)
	if err == nil || !errors.Is(err, errLag) || took != 9*time.Millisecond {
		t.Fatalf("StockLevel error = %v after %v; want all three replicas' errors after 9ms", err, took)
	}
	for _, msg := range []string{"connection refused", "replica lag over 30s", "too many connections"} {
		if !strings.Contains(err.Error(), msg) {
			t.Errorf("StockLevel error %q does not mention %q", err, msg)
		}
	}
}
