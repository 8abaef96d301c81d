package roomclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/filelock"
	"github.com/go-blindspots/workbook/room"
)

// Bounds of the queue and of one push.
const (
	maxQueued    = 10000     // events kept while the room is away; the oldest go first
	batchEvents  = 200       // events in one push (room.MaxEvents is the room's bound)
	batchBytes   = 768 << 10 // bytes of one push (room.MaxPushSize is the room's bound)
	maxBackoff   = 30 * time.Second
	lockPoll     = 20 * time.Millisecond
	firstBackoff = time.Second
	// A room that did not answer within awayFor ago is taken to be away:
	// a command ends without waiting more than awayWait for it.
	awayFor  = time.Minute
	awayWait = 200 * time.Millisecond
)

// enqueue writes an event to the queue, with a new id and the time now
// unless it has them, and tells the sender.
func (c *Client) enqueue(e room.Event) error {
	if e.ID == "" {
		e.ID = newID()
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	dir := filepath.Join(c.dir, "queue")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("queue an event for the room: %w", err)
	}
	// Names sort by time: the queue goes out oldest first.
	name := fmt.Sprintf("%020d-%s.json", e.At.UnixNano(), e.ID)
	if err := writeFile(filepath.Join(dir, name), data); err != nil {
		return fmt.Errorf("queue an event for the room: %w", err)
	}
	if names, _ := c.queued(); len(names) > maxQueued {
		for _, n := range names[:len(names)-maxQueued] {
			_ = os.Remove(filepath.Join(dir, n))
		}
	}
	c.kickSender()
	return nil
}

// writeFile writes a file of the queue (or a check's record) through a
// temporary file renamed over it, so that a sender never reads half an
// event. Unlike workspace.WriteFileAtomic it does not wait for the disk
// (fsync): the learner's check reports to the room before it starts and
// before its verdict shows, and must not wait milliseconds for it; what a
// power cut loses is an event for the room, never the learner's work.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// queued lists the queue's files, oldest first.
func (c *Client) queued() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(c.dir, "queue"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		// Temporary files of writes in progress start with a dot.
		if n := e.Name(); !strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// lock takes the send lock, waiting for another process that holds it as
// long as ctx allows.
func (c *Client) lock(ctx context.Context) (*os.File, error) {
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(c.dir, "send.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, err
	}
	for {
		err := filelock.TryLock(f)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, filelock.ErrLocked) {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, &UnreachableError{ctx.Err()}
		case <-time.After(lockPoll):
		}
	}
}

// Send pushes every queued event to the room, oldest first, in batches, and
// deletes each batch once the room acknowledged it. Only one process sends
// at a time (the others wait for the send lock), so that a queue is sent
// once. It returns nil when the queue is empty (or the workspace is in no
// room), ErrRefused when the room refuses the code, and an
// UnreachableError when the room did not answer: what is left stays queued.
func (c *Client) Send(ctx context.Context) error {
	l, err := c.Link()
	if err != nil || l == nil {
		return err
	}
	lock, err := c.lock(ctx)
	if err != nil {
		return err
	}
	defer lock.Close()
	limit := batchEvents
	for {
		names, err := c.queued()
		if err != nil || len(names) == 0 {
			return nil // no queue: nothing to send
		}
		batch, events := c.readBatch(names, limit)
		if len(events) == 0 {
			continue // the batch was unreadable, and is gone
		}
		push := room.Push{Learner: l.Learner, Name: l.Name, Sent: time.Now().UTC(), Events: events}
		status, ack, err := c.postJSON(ctx, l.URL+room.PushPath, l.Code, push)
		switch {
		case err != nil:
			return &UnreachableError{err}
		case status == http.StatusOK:
			for _, n := range batch {
				_ = os.Remove(filepath.Join(c.dir, "queue", n))
			}
			limit = batchEvents
		case status == http.StatusForbidden:
			return fmt.Errorf("%w: %s", ErrRefused, ack.Error)
		case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
			// The room cannot take this batch: try it in halves, down to
			// the one event it cannot take, which is dropped rather than
			// block every event after it.
			if len(batch) > 1 {
				limit = max(1, len(batch)/2)
				continue
			}
			_ = os.Remove(filepath.Join(c.dir, "queue", batch[0]))
		default:
			msg := ack.Error
			if msg == "" {
				msg = http.StatusText(status)
			}
			return &UnreachableError{fmt.Errorf("status %d: %s", status, msg)}
		}
	}
}

// readBatch reads the first events of the queue, at most limit of them and
// about batchBytes, and returns their files and the events. A file that does
// not parse is removed: it was not written by a workbook.
func (c *Client) readBatch(names []string, limit int) (batch []string, events []room.Event) {
	size := 0
	for _, n := range names {
		if len(events) == limit {
			break
		}
		p := filepath.Join(c.dir, "queue", n)
		data, err := os.ReadFile(p)
		if err != nil {
			continue // sent and removed by another process meanwhile
		}
		var e room.Event
		if json.Unmarshal(data, &e) != nil {
			_ = os.Remove(p)
			continue
		}
		if size+len(data) > batchBytes && len(events) > 0 {
			break
		}
		size += len(data)
		batch = append(batch, n)
		events = append(events, e)
	}
	return batch, events
}

// kickSender tells the sending goroutine that there is something to send,
// starting it if it is not running.
func (c *Client) kickSender() {
	c.mu.Lock()
	c.want++
	c.startLocked()
	c.mu.Unlock()
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Start starts sending in the background: what is queued now, and what will
// be, with retries while the room does not answer, until Close. Serve and
// watch start it; other commands need not, as queuing an event starts it.
func (c *Client) Start() {
	c.mu.Lock()
	c.startLocked()
	c.mu.Unlock()
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *Client) startLocked() {
	if c.done != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel, c.done = cancel, make(chan struct{})
	go c.sender(ctx, c.done)
}

// sender is the sending goroutine: it sends when told to, and again after a
// failure, waiting longer each time (1 s, 2 s, … 30 s).
func (c *Client) sender(ctx context.Context, done chan struct{}) {
	defer close(done)
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	backoff := time.Duration(0)
	for {
		select {
		case <-c.kick:
		case <-retry.C:
		case <-ctx.Done():
			return
		}
		c.mu.Lock()
		want := c.want
		c.mu.Unlock()
		err := c.Send(ctx)
		var unreachable *UnreachableError
		away := errors.As(err, &unreachable) && ctx.Err() == nil
		c.markAway(away)
		c.mu.Lock()
		c.tried = want
		c.lastErr = err
		close(c.settled)
		c.settled = make(chan struct{})
		c.mu.Unlock()
		if away {
			backoff = min(max(firstBackoff, 2*backoff), maxBackoff)
			retry.Reset(backoff)
		} else {
			backoff = 0
		}
	}
}

// markAway records on disk whether the room just failed to answer, for
// every workbook process of the workspace (Close).
func (c *Client) markAway(away bool) {
	p := filepath.Join(c.dir, "away")
	if !away {
		_ = os.Remove(p)
		return
	}
	if f, err := os.Create(p); err == nil {
		f.Close()
	}
}

// away reports whether the room failed to answer a moment ago.
func (c *Client) away() bool {
	st, err := os.Stat(filepath.Join(c.dir, "away"))
	return err == nil && time.Since(st.ModTime()) < awayFor
}

// Close gives the sender up to wait to send what this process queued, then
// stops it. What is left stays queued for the next workbook command. A
// sender that failed to reach the room is not waited for again, and a room
// that failed to answer a moment ago (a Wi-Fi drop, where a connection
// hangs rather than fails) is given a fraction of wait: a learner's commands
// do not each wait for a room that is away. Close returns ErrRefused when
// the room refused the code (it was restarted, with another).
func (c *Client) Close(wait time.Duration) error {
	c.mu.Lock()
	if c.done == nil {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	if c.away() {
		wait = min(wait, awayWait)
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
wait:
	for {
		c.mu.Lock()
		settled, ch := c.tried >= c.want, c.settled
		c.mu.Unlock()
		if settled {
			break
		}
		select {
		case <-ch:
		case <-deadline.C:
			break wait
		}
	}
	c.mu.Lock()
	cancel, done, err := c.cancel, c.done, c.lastErr
	c.cancel, c.done = nil, nil
	c.mu.Unlock()
	cancel()
	<-done
	if errors.Is(err, ErrRefused) {
		return err
	}
	return nil
}
