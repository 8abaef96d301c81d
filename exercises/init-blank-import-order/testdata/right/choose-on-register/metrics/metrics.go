// Package metrics counts events and hands the counts to a backend when they
// are flushed. Backends register themselves from their own init function, so
// a program picks the ones it links in with blank imports, the way it picks
// database/sql drivers:
//
//	import _ "init-blank-import-order/metrics/l2met"
//
// METRICS_BACKEND names the backend to use; the default is "l2met".
package metrics

import (
	"cmp"
	"log"
	"os"
	"sync"
)

// A Backend receives the counters when they are flushed.
type Backend interface {
	Flush(counts map[string]int64)
}

var logger = log.New(os.Stderr, "metrics: ", 0)

var backends = map[string]Backend{}

// wanted is the backend named by METRICS_BACKEND. Backends import metrics,
// so they all register after this package is initialized: the backend is
// chosen when the wanted one registers, not while metrics is initialized.
var wanted = cmp.Or(os.Getenv("METRICS_BACKEND"), "l2met")

// active is the wanted backend, once it has registered.
var active Backend

// Register makes a backend available under name. Backends call it from init.
func Register(name string, b Backend) {
	backends[name] = b
	logger.Printf("backend %q registered", name)
	if name == wanted {
		active = b
	}
}

var (
	mu     sync.Mutex
	counts = map[string]int64{}
)

// Add adds delta to the named counter.
func Add(name string, delta int64) {
	mu.Lock()
	defer mu.Unlock()
	counts[name] += delta
}

// Flush hands the counters to the backend and starts counting from zero.
func Flush() {
	mu.Lock()
	c := counts
	counts = map[string]int64{}
	mu.Unlock()
	if active == nil {
		logger.Printf("no backend %q registered, counters will be discarded", wanted)
		return
	}
	active.Flush(c)
}
