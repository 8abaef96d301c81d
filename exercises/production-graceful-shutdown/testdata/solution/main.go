// Command orders is the shop's orders API. It runs in Kubernetes: on a
// rollout or a scale-down the pod gets SIGTERM, and SIGKILL
// terminationGracePeriodSeconds (30 s) later.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Config is what run needs.
type Config struct {
	Store     Store
	Publisher Publisher
	// FlushEvery is how often the outbox publishes its events.
	FlushEvery time.Duration
	// Grace is how long requests in flight may take to finish after
	// SIGTERM; the pod is killed some seconds after that.
	Grace time.Duration
}

// run serves the API on ln until ctx is done (SIGTERM), and then shuts down
// in order: stop taking connections, let the requests in flight finish (for
// cfg.Grace at most), then stop the outbox, which publishes what the
// requests queued, and return once it has.
func run(ctx context.Context, ln net.Listener, cfg Config) error {
	// The outbox must outlive every request: its own context, cancelled
	// after the server has shut down, not at SIGTERM.
	obCtx, stopOutbox := context.WithCancel(context.WithoutCancel(ctx))
	defer stopOutbox()
	ob := newOutbox(cfg.Publisher, cfg.FlushEvery)
	var outboxDone sync.WaitGroup
	outboxDone.Go(func() { ob.run(obCtx) })

	srv := &http.Server{Handler: newHandler(cfg.Store, ob)}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		stopOutbox()
		outboxDone.Wait()
		return err
	case <-ctx.Done():
	}
	log.Print("orders: shutting down")

	// ctx is done already: the grace period needs a context of its own.
	graceCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.Grace)
	defer cancel()
	err := srv.Shutdown(graceCtx)
	if err != nil {
		srv.Close() // cut the requests that outlived the grace period
		err = fmt.Errorf("orders: requests still running after %v: %w", cfg.Grace, err)
	}
	stopOutbox()
	outboxDone.Wait()
	return err
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		log.Fatal(err)
	}
	cfg := Config{Store: memStore{}, Publisher: logPublisher{}, FlushEvery: time.Second, Grace: 20 * time.Second}
	if err := run(ctx, ln, cfg); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// memStore and logPublisher stand in for the database and the broker.
type memStore struct{}

func (memStore) Save(ctx context.Context, o Order) error { return nil }

type logPublisher struct{}

func (logPublisher) Publish(ctx context.Context, batch []Event) error {
	log.Printf("published %d events", len(batch))
	return nil
}
