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

// run serves the API on ln until ctx is done (SIGTERM), and then shuts
// down: no new connections, the requests in flight get cfg.Grace to finish,
// and the outbox publishes their events before run returns.
func run(ctx context.Context, ln net.Listener, cfg Config) error {
	ob := startOutbox(cfg.Publisher, cfg.FlushEvery)
	defer ob.close() // after the server: the requests' events are queued by then

	srv := &http.Server{Handler: newHandler(cfg.Store, ob)}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Print("orders: shutting down")
	graceCtx, cancel := context.WithTimeout(context.Background(), cfg.Grace)
	defer cancel()
	if err := srv.Shutdown(graceCtx); err != nil {
		srv.Close()
		return fmt.Errorf("orders: shutdown: %w", err)
	}
	return nil
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
