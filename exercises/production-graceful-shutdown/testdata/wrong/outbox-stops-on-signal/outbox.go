package main

import (
	"context"
	"log"
	"sync"
	"time"
)

// outbox collects the events of the requests and publishes them in
// batches, every interval: one broker round trip per batch instead of one
// per request.
type outbox struct {
	pub      Publisher
	interval time.Duration

	mu      sync.Mutex
	pending []Event
}

func newOutbox(pub Publisher, interval time.Duration) *outbox {
	return &outbox{pub: pub, interval: interval}
}

// add queues an event. It never blocks.
func (ob *outbox) add(e Event) {
	ob.mu.Lock()
	ob.pending = append(ob.pending, e)
	ob.mu.Unlock()
}

// flush publishes the pending events. Events that cannot be published stay
// pending for the next flush.
func (ob *outbox) flush(ctx context.Context) {
	ob.mu.Lock()
	batch := ob.pending
	ob.pending = nil
	ob.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	if err := ob.pub.Publish(ctx, batch); err != nil {
		log.Printf("outbox: publishing %d events: %v", len(batch), err)
		ob.mu.Lock()
		ob.pending = append(batch, ob.pending...)
		ob.mu.Unlock()
	}
}

// run flushes every interval until ctx is done, and then once more, so that
// no event is left behind. That last flush must not use ctx, which is done:
// the broker client would give up at once.
func (ob *outbox) run(ctx context.Context) {
	t := time.NewTicker(ob.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			ob.flush(ctx)
		case <-ctx.Done():
			last, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			ob.flush(last)
			return
		}
	}
}
