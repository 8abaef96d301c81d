package fx

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// requestCtx stands for the checkout request's context. Like every
// cancellable context, it keeps track of the contexts derived from it until
// they are cancelled. The context package's own contexts keep their children
// in a map; a parent of another type, like this one, that has an AfterFunc
// method gets them through it: context.WithTimeout registers the new context
// by calling requestCtx.AfterFunc, and cancelling that context (by calling
// its cancel function, or when its timer fires) calls the stop function that
// AfterFunc returned. live counts the derived contexts not cancelled yet.
type requestCtx struct {
	done chan struct{} // never closed: the shopper waits for the answer
	mu   sync.Mutex
	live int
}

func newRequestCtx() *requestCtx { return &requestCtx{done: make(chan struct{})} }

func (r *requestCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (r *requestCtx) Done() <-chan struct{}       { return r.done }
func (r *requestCtx) Err() error                  { return nil }
func (r *requestCtx) Value(key any) any           { return nil }

func (r *requestCtx) AfterFunc(f func()) (stop func() bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.live++
	stopped := false
	return func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		if stopped {
			return false
		}
		stopped = true
		r.live--
		return true
	}
}

// liveContexts returns the number of contexts derived from r that have not
// been cancelled yet.
func (r *requestCtx) liveContexts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.live
}

// fakeProvider plays a script of attempts: an error to return at once
// (ErrUnavailable), or nil to answer with the rate. Past the script, and for
// a "hang" step, it waits until the attempt's context is done, like a
// provider that does not answer. On every attempt it records how many
// contexts derived from the request were alive.
type fakeProvider struct {
	req    *requestCtx
	script []error
	calls  int
	live   []int // live contexts seen by each attempt
}

var errHang = errors.New("hang")

func (p *fakeProvider) Rate(ctx context.Context, pair string) (int64, error) {
	p.live = append(p.live, p.req.liveContexts())
	step := errHang
	if p.calls < len(p.script) {
		step = p.script[p.calls]
	}
	p.calls++
	switch step {
	case nil:
		return 1_084_300, nil // EUR/USD 1.0843
	case errHang:
		<-ctx.Done()
		return 0, ctx.Err()
	default:
		return 0, step
	}
}

type outcome struct {
	rate      int64
	err       error
	took      time.Duration
	liveAfter int   // contexts derived from the request still alive when Rate returned
	liveSeen  []int // contexts alive during each attempt, its own included
}

// rate calls Client.Rate inside a synctest bubble, where time is fake: a 2s
// attempt timeout takes no real time, and the test measures exactly how long
// Rate took.
func rate(t *testing.T, script ...error) (o outcome) {
	synctest.Test(t, func(t *testing.T) {
		req := newRequestCtx()
		p := &fakeProvider{req: req, script: script}
		c := &Client{Provider: p, AttemptTimeout: 2 * time.Second, Attempts: 3}
		start := time.Now()
		o.rate, o.err = c.Rate(req, "EUR/USD")
		o.took = time.Since(start)
		o.liveAfter = req.liveContexts()
		o.liveSeen = p.live
	})
	return o
}

// checkContexts fails the test if an attempt saw another attempt's context
// still alive, or if Rate returned before cancelling all of them.
func checkContexts(t *testing.T, o outcome) {
	t.Helper()
	for i, n := range o.liveSeen {
		switch {
		case n == 0:
			t.Errorf("attempt %d: got no context derived from the request alive (live contexts per attempt: %v); want 1, the attempt's own: an attempt's context must come from the request's, or the request's cancellation never reaches it",
				i+1, o.liveSeen)
		case n > 1:
			t.Errorf("attempt %d: got %s derived from the request alive (live contexts per attempt: %v); want 1, the attempt's own: an attempt that is over must not leave its context behind",
				i+1, contexts(n), o.liveSeen)
		}
	}
	if o.liveAfter != 0 {
		t.Errorf("when Rate returned: got %s derived from the request still alive, each with a timer running for the rest of its timeout; want 0",
			contexts(o.liveAfter))
	}
}

// contexts returns "1 context", "2 contexts".
func contexts(n int) string {
	if n == 1 {
		return "1 context"
	}
	return fmt.Sprintf("%d contexts", n)
}

func TestRateFirstAttempt(t *testing.T) {
	o := rate(t, nil)
	if o.rate != 1_084_300 || o.err != nil || o.took != 0 {
		t.Errorf("Rate = %d, %v after %v; want 1084300, nil at once", o.rate, o.err, o.took)
	}
	checkContexts(t, o)
}

func TestRateRetriesUnavailable(t *testing.T) {
	o := rate(t, ErrUnavailable, nil)
	if o.rate != 1_084_300 || o.err != nil || len(o.liveSeen) != 2 {
		t.Errorf("Rate = %d, %v after %d attempts; want 1084300, nil after 2", o.rate, o.err, len(o.liveSeen))
	}
	checkContexts(t, o)
}

func TestRateRetriesTimeout(t *testing.T) {
	o := rate(t, errHang, nil)
	if o.rate != 1_084_300 || o.err != nil || o.took != 2*time.Second {
		t.Errorf("Rate = %d, %v after %v; want 1084300, nil after 2s (one attempt timed out)", o.rate, o.err, o.took)
	}
	checkContexts(t, o)
}

func TestRateGivesUp(t *testing.T) {
	o := rate(t, ErrUnavailable, errHang, ErrUnavailable)
	if o.err == nil || !errors.Is(o.err, ErrUnavailable) || len(o.liveSeen) != 3 || o.took != 2*time.Second {
		t.Errorf("Rate = %d, %v after %d attempts and %v; want ErrUnavailable after 3 attempts and 2s", o.rate, o.err, len(o.liveSeen), o.took)
	}
	checkContexts(t, o)
}

func TestRateDoesNotRetryOtherErrors(t *testing.T) {
	errPair := fmt.Errorf("unknown currency pair")
	o := rate(t, errPair)
	if !errors.Is(o.err, errPair) || len(o.liveSeen) != 1 {
		t.Errorf("Rate = %d, %v after %d attempts; want the provider's error after 1 attempt", o.rate, o.err, len(o.liveSeen))
	}
	checkContexts(t, o)
}
