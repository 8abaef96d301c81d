package room

import (
	"context"
	"time"
)

// hub keeps the dashboards' websockets up to date. One goroutine (run) owns
// the set of subscribers; a change in the room marks the snapshot stale, and
// the hub sends a fresh one to every subscriber at once — at most one every
// minInterval, so that a classroom pushing at once costs one snapshot per
// interval, not one per push — and one every tickInterval anyway, for the
// times and stuck flags that change with the clock alone.
type hub struct {
	snapshot    func() []byte
	now         func() time.Time
	dirty       chan struct{} // cap 1: the room changed
	subscribe   chan chan []byte
	unsubscribe chan chan []byte
}

// The hub's pace.
const (
	minInterval  = 50 * time.Millisecond
	tickInterval = 15 * time.Second
)

func newHub(snapshot func() []byte, now func() time.Time) *hub {
	return &hub{snapshot: snapshot, now: now, dirty: make(chan struct{}, 1),
		subscribe: make(chan chan []byte), unsubscribe: make(chan chan []byte)}
}

// changed tells the hub that the room changed. It never blocks.
func (h *hub) changed() {
	select {
	case h.dirty <- struct{}{}:
	default: // already marked
	}
}

// watch returns a channel that gets a snapshot now and after every change,
// and a function that ends the subscription. A subscriber that has not read
// its last snapshot gets the newer one instead: the channel holds one.
func (h *hub) watch(ctx context.Context) (<-chan []byte, func()) {
	c := make(chan []byte, 1)
	select {
	case h.subscribe <- c:
	case <-ctx.Done():
		close(c)
		return c, func() {}
	}
	return c, func() {
		select {
		case h.unsubscribe <- c:
		case <-ctx.Done():
		}
	}
}

func (h *hub) run(ctx context.Context) {
	subs := make(map[chan []byte]bool)
	defer func() {
		for c := range subs {
			close(c)
		}
	}()
	tick := time.NewTicker(tickInterval)
	defer tick.Stop()
	wait := time.NewTimer(time.Hour)
	wait.Stop()
	waiting := false
	var last time.Time // of the last broadcast
	broadcast := func() {
		last = h.now()
		if len(subs) == 0 {
			return
		}
		data := h.snapshot()
		for c := range subs {
			deliver(c, data)
		}
	}
	for {
		select {
		case c := <-h.subscribe:
			subs[c] = true
			deliver(c, h.snapshot())
		case c := <-h.unsubscribe:
			if subs[c] {
				delete(subs, c)
				close(c)
			}
		case <-h.dirty:
			if waiting {
				continue // the broadcast due takes this change too
			}
			if d := minInterval - h.now().Sub(last); d > 0 {
				wait.Reset(d)
				waiting = true
				continue
			}
			broadcast()
		case <-wait.C:
			waiting = false
			broadcast()
		case <-tick.C:
			broadcast()
		case <-ctx.Done():
			return
		}
	}
}

// deliver puts data in c, replacing a snapshot the subscriber has not read.
func deliver(c chan []byte, data []byte) {
	for {
		select {
		case c <- data:
			return
		default:
		}
		select {
		case <-c:
		default:
		}
	}
}
