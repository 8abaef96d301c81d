// Package ingest forwards the batches that metrics agents push to the
// time-series database, encoded as line protocol.
package ingest

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"sync"
)

// Sample is one measurement pushed by an agent.
type Sample struct {
	Metric string // e.g. "http_requests_total"
	Host   string // e.g. "web-42.fra1"
	Value  float64
	Time   int64 // Unix nanoseconds
}

// ErrInvalidSample rejects a whole batch: the database must never see half of
// one.
var ErrInvalidSample = errors.New("ingest: batch rejected: invalid name or non-finite value")

// bufPool keeps encode buffers between batches: agents push thousands of
// batches a second, and growing a fresh buffer for each one was the top entry
// of the allocation profile.
var bufPool = sync.Pool{
	New: func() any { return new(bytes.Buffer) },
}

// WriteBatch encodes batch as line protocol, one sample per line, e.g.
//
//	http_requests_total,host=web-42.fra1 value=1027 1773064931000000000
//
// and writes it to db with a single Write. If any sample is invalid, nothing
// is written and WriteBatch returns ErrInvalidSample.
func WriteBatch(db io.Writer, batch []Sample) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		// Every path gives the buffer back, emptied for the next batch.
		bufPool.Put(buf)
		buf.Reset()
	}()

	for i := range batch {
		s := &batch[i]
		if !validName(s.Metric) || !validName(s.Host) || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			return ErrInvalidSample
		}
		buf.WriteString(s.Metric)
		buf.WriteString(",host=")
		buf.WriteString(s.Host)
		buf.WriteString(" value=")
		buf.Write(strconv.AppendFloat(buf.AvailableBuffer(), s.Value, 'g', -1, 64))
		buf.WriteByte(' ')
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), s.Time, 10))
		buf.WriteByte('\n')
	}

	_, err := db.Write(buf.Bytes())
	return err
}

// validName reports whether s is a non-empty metric or host name made of
// letters, digits, '_', '-' and '.', which line protocol needs no escaping for.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
