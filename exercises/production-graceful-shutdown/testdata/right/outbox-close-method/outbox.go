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

	stop, stopped chan struct{}
}

// startOutbox starts the loop that publishes the events every interval.
// Stop it with close.
func startOutbox(pub Publisher, interval time.Duration) *outbox {
	ob := &outbox{pub: pub, interval: interval, stop: make(chan struct{}), stopped: make(chan struct{})}
	go ob.loop()
	return ob
}

// close stops the loop, which publishes the pending events one last time,
// and returns once it has.
func (ob *outbox) close() {
	close(ob.stop)
	<-ob.stopped
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

func (ob *outbox) loop() {
	defer close(ob.stopped)
	t := time.NewTicker(ob.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			ob.flush(context.Background())
		case <-ob.stop:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ob.flush(ctx)
			return
		}
	}
}
