// Package statsd aggregates the counters that the checkout services send to
// the metrics gateway over UDP, one StatsD line per data point:
//
//	checkout.orders.created:1|c
//
// Every ten seconds the gateway flushes the totals and starts over.
package statsd

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unsafe"
)

// ErrMalformed reports a line that is not a StatsD counter.
var ErrMalformed = errors.New("statsd: malformed counter line")

type counter struct {
	total   int64
	samples int64
}

// Aggregator sums counters per metric name. It is used by one goroutine,
// the UDP reader.
type Aggregator struct {
	counters map[string]*counter
}

// NewAggregator returns an empty Aggregator.
func NewAggregator() *Aggregator {
	return &Aggregator{counters: make(map[string]*counter)}
}

// Ingest adds one line to its counter. The UDP reader reuses its buffer for
// the next packet, so line is only valid until Ingest returns.
func (a *Aggregator) Ingest(line []byte) error {
	colon := bytes.IndexByte(line, ':')
	pipe := bytes.LastIndexByte(line, '|')
	if colon <= 0 || pipe < colon || string(line[pipe+1:]) != "c" {
		return ErrMalformed
	}
	value, err := strconv.ParseInt(string(line[colon+1:pipe]), 10, 64)
	if err != nil {
		return ErrMalformed
	}

	// The lookup only reads the name, so it may look at line's bytes in
	// place; only a new counter keeps its name, so only then is it copied.
	view := unsafe.String(unsafe.SliceData(line), colon)
	c, ok := a.counters[view]
	if !ok {
		c = &counter{}
		a.counters[strings.Clone(view)] = c
	}
	c.total += value
	c.samples++
	return nil
}

// Total returns the sum of the values received for name, and whether any
// were received.
func (a *Aggregator) Total(name string) (int64, bool) {
	c, ok := a.counters[name]
	if !ok {
		return 0, false
	}
	return c.total, true
}

// Names returns the number of distinct counters received.
func (a *Aggregator) Names() int { return len(a.counters) }
