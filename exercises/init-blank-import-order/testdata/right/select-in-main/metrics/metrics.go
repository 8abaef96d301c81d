// Package metrics counts events and hands the counts to a backend when they
// are flushed. Backends register themselves from their own init function, so
// a program picks the ones it links in with blank imports, the way it picks
// database/sql drivers:
//
//	import _ "init-blank-import-order/metrics/l2met"
//
// The program chooses the backend with Select, usually the one named by
// METRICS_BACKEND; the default is "l2met".
package metrics

import (
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

// Register makes a backend available under name. Backends call it from init.
func Register(name string, b Backend) {
	backends[name] = b
	logger.Printf("backend %q registered", name)
}

// active is the backend chosen by Select. Until then, counters are kept but
// not flushed anywhere.
var active Backend = discard{}

// Select chooses the backend registered under name ("" means "l2met"). The
// program calls it from main: by then every backend it links in, blank
// imports included, has registered.
func Select(name string) {
	mu.Lock()
	defer mu.Unlock()
	active = selectBackend(name)
}

func selectBackend(name string) Backend {
	if name == "" {
		name = "l2met"
	}
	b, ok := backends[name]
	if !ok {
		logger.Printf("no backend %q registered, counters will be discarded", name)
		return discard{}
	}
	return b
}

type discard struct{}

func (discard) Flush(map[string]int64) {}

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
	b := active
	mu.Unlock()
	b.Flush(c)
}
