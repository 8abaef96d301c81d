// Package telemetry receives the metric batches that the fleet's agents
// upload every minute and counts their samples for the ingest dashboard.
package telemetry

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
)

// A batch is a 16-byte batch ID, chosen at random by the agent, followed by
// the samples, one "name value timestamp" line each. An agent whose upload
// timed out sends the same batch again, with the same ID.
const (
	batchIDLen   = 16
	maxBatchSize = 2 << 20
)

// ErrShortBatch is returned for a batch too short to hold a batch ID.
var ErrShortBatch = errors.New("telemetry: batch shorter than its ID")

// Collector counts the samples of every agent. It remembers the ID of the
// last batch it accepted from each agent, so that a retried upload is not
// counted twice. The service runs for weeks and the fleet has thousands of
// agents.
type Collector struct {
	mu      sync.Mutex
	lastID  map[string]string // agent -> ID of the last batch accepted from it
	samples map[string]int    // agent -> samples accepted
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector {
	return &Collector{lastID: make(map[string]string), samples: make(map[string]int)}
}

// Accept counts the samples of a batch from agent. It reports dup, and counts
// nothing, when the batch is a retry of the last batch accepted from agent.
func (c *Collector) Accept(agent string, batch []byte) (dup bool, err error) {
	if len(batch) < batchIDLen {
		return false, ErrShortBatch
	}
	// string(...) copies the 16 bytes into a string of their own.
	id, samples := string(batch[:batchIDLen]), batch[batchIDLen:]

	c.mu.Lock()
	defer c.mu.Unlock()
	if last, ok := c.lastID[agent]; ok && last == id {
		return true, nil
	}
	c.lastID[agent] = id
	c.samples[agent] += bytes.Count(samples, []byte{'\n'})
	return false, nil
}

// Samples returns the number of samples accepted from agent.
func (c *Collector) Samples(agent string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.samples[agent]
}

// ServeHTTP handles POST /v1/batches?agent=NAME: 202 Accepted for a new
// batch, 200 OK for a retry that was already counted.
func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	agent := r.URL.Query().Get("agent")
	batch, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBatchSize))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	dup, err := c.Accept(agent, batch)
	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
	case dup:
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}
