// Package logship ships the edge proxies' access logs to the log store. Every
// hour a job fetches each proxy's log and writes its lines to the store in
// batches.
package logship

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Record is one access-log line and the proxy that wrote it.
type Record struct {
	Host string
	Line string
}

// Log is one proxy's access log for the hour.
type Log struct {
	Host string
	R    io.Reader
}

// Store is the log store's client.
type Store interface {
	// WriteBatch stores records in one request.
	WriteBatch(ctx context.Context, records []Record) error
}

// Ship reads every log concurrently and writes all their records to store in
// batches of batchSize (the last batch may be smaller). It returns when every
// record is stored, or when ctx is done: the hourly job gives a run 5 minutes.
func Ship(ctx context.Context, logs []Log, store Store, batchSize int) error {
	records := make(chan Record)
	readErrs := make([]error, len(logs))

	// One reader goroutine reads the logs in turn: when it is done, no
	// record will ever come again, and it closes the channel.
	var readers sync.WaitGroup
	readers.Go(func() {
		defer close(records)
		for i, log := range logs {
			sc := bufio.NewScanner(log.R)
			for sc.Scan() {
				records <- Record{Host: log.Host, Line: sc.Text()}
			}
			if err := sc.Err(); err != nil {
				readErrs[i] = fmt.Errorf("reading %s: %w", log.Host, err)
			}
		}
	})

	// One writer, which batches the records of every reader.
	written := make(chan error, 1)
	go func() {
		var writeErrs []error
		batch := make([]Record, 0, batchSize)
		for r := range records {
			batch = append(batch, r)
			if len(batch) == batchSize {
				writeErrs = append(writeErrs, store.WriteBatch(ctx, batch))
				batch = make([]Record, 0, batchSize)
			}
		}
		if len(batch) > 0 {
			writeErrs = append(writeErrs, store.WriteBatch(ctx, batch))
		}
		written <- errors.Join(writeErrs...)
	}()

	readers.Wait()
	select {
	case err := <-written:
		return errors.Join(append(readErrs, err)...)
	case <-ctx.Done():
		return ctx.Err()
	}
}
