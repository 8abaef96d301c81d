package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// pipeListener is a net.Listener whose connections are in-memory pipes, so
// that the server runs inside a testing/synctest bubble, on fake time.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }

// dial connects to the server, or fails once the listener is closed.
func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, fmt.Errorf("connection refused: %w", net.ErrClosed)
	}
}

// client returns an HTTP client that connects through l.
func (l *pipeListener) client() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: l.dial, DisableKeepAlives: true}}
}

// postOrder posts an order and returns the status code, or the error.
func postOrder(c *http.Client, id string) (int, error) {
	body := fmt.Sprintf(`{"id":%q,"sku":"TENT-0207","qty":1,"cents":24900}`, id)
	resp, err := c.Post("http://orders.internal/orders", "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// gatedStore is the orders database. While gate is open (not closed), Save
// waits for it, as a slow database does; entered receives each order's ID
// when its Save starts.
type gatedStore struct {
	gate    chan struct{}
	entered chan string

	mu    sync.Mutex
	saved []string
}

func (s *gatedStore) Save(ctx context.Context, o Order) error {
	if s.entered != nil {
		s.entered <- o.ID
	}
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	s.saved = append(s.saved, o.ID)
	s.mu.Unlock()
	return nil
}

// recordingPublisher is the message broker. Like a real client, it fails at
// once when its context is done. While gate is open, Publish waits for it;
// entered receives a value when a Publish starts.
type recordingPublisher struct {
	gate    chan struct{}
	entered chan struct{}

	mu        sync.Mutex
	published []string
}

func (p *recordingPublisher) Publish(ctx context.Context, batch []Event) error {
	if p.entered != nil {
		p.entered <- struct{}{}
	}
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	p.mu.Lock()
	for _, e := range batch {
		p.published = append(p.published, e.OrderID)
	}
	p.mu.Unlock()
	return nil
}

func (p *recordingPublisher) events() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := slices.Clone(p.published)
	slices.Sort(s)
	return s
}

// TestInFlightRequestFinishesOnSIGTERM sends an order that the database is
// still saving when SIGTERM comes: the client must get its 201, run must
// return nil once the request is done, and the order's event must be
// published.
func TestInFlightRequestFinishesOnSIGTERM(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := newPipeListener()
		store := &gatedStore{gate: make(chan struct{}), entered: make(chan string, 1)}
		pub := &recordingPublisher{}
		ctx, sigterm := context.WithCancel(t.Context())
		runErr := make(chan error, 1)
		go func() {
			runErr <- run(ctx, ln, Config{Store: store, Publisher: pub, FlushEvery: time.Second, Grace: 20 * time.Second})
		}()

		type result struct {
			code int
			err  error
		}
		res := make(chan result, 1)
		go func() {
			code, err := postOrder(ln.client(), "o-1042")
			res <- result{code, err}
		}()
		<-store.entered // the order is being saved
		sigterm()
		synctest.Wait()
		close(store.gate) // the database answers

		if r := <-res; r.err != nil || r.code != http.StatusCreated {
			t.Errorf("the order in flight when SIGTERM came: got status %d, error %v; want 201", r.code, r.err)
		}
		select {
		case err := <-runErr:
			if err != nil {
				t.Errorf("run returned %v, want nil: every request finished", err)
			}
		case <-time.After(time.Minute):
			t.Fatal("run has not returned a minute after the last request finished")
		}
		synctest.Wait() // whatever is still running has finished or is stuck
		if got := pub.events(); !slices.Equal(got, []string{"o-1042"}) {
			t.Errorf("published events: got %q, want [o-1042]", got)
		}
	})
}
