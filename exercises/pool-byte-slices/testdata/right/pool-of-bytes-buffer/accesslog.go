// Package accesslog writes the gateway's access log: one logfmt line per
// request, appended to the log file that the shipper tails.
package accesslog

import (
	"bytes"
	"io"
	"strconv"
	"sync"
	"time"
)

// Entry is one served request.
type Entry struct {
	Time     time.Time
	Method   string
	Path     string
	Status   int
	Bytes    int64
	Duration time.Duration
	Remote   string
}

// linePool keeps line buffers between requests. The gateway logs every
// request it serves, and the logger is meant to be allocation-free once the
// buffers have grown: a profile showed one fresh buffer per request before
// the pool went in. A *bytes.Buffer is a pointer, so putting it in the pool
// copies nothing to the heap, and it keeps its grown array itself.
var linePool = sync.Pool{
	New: func() any { return new(bytes.Buffer) },
}

// WriteEntry encodes e as one logfmt line and writes it to w with a single
// Write, so that concurrent requests never interleave their lines.
func WriteEntry(w io.Writer, e *Entry) error {
	buf := linePool.Get().(*bytes.Buffer)
	buf.Reset()
	// Append into the buffer's spare capacity; Write then keeps the bytes,
	// growing the buffer once if the line did not fit.
	buf.Write(appendEntry(buf.AvailableBuffer(), e))
	_, err := w.Write(buf.Bytes())
	linePool.Put(buf)
	return err
}

// appendEntry appends e to buf in logfmt, e.g.
//
//	ts=2026-03-09T14:02:11.250Z method=GET path="/v1/orders" status=200 bytes=1843 dur_ms=12 remote=10.4.7.21
func appendEntry(buf []byte, e *Entry) []byte {
	buf = append(buf, "ts="...)
	buf = e.Time.UTC().AppendFormat(buf, "2006-01-02T15:04:05.000Z07:00")
	buf = append(buf, " method="...)
	buf = append(buf, e.Method...)
	buf = append(buf, " path="...)
	buf = strconv.AppendQuote(buf, e.Path)
	buf = append(buf, " status="...)
	buf = strconv.AppendInt(buf, int64(e.Status), 10)
	buf = append(buf, " bytes="...)
	buf = strconv.AppendInt(buf, e.Bytes, 10)
	buf = append(buf, " dur_ms="...)
	buf = strconv.AppendInt(buf, e.Duration.Milliseconds(), 10)
	buf = append(buf, " remote="...)
	buf = append(buf, e.Remote...)
	return append(buf, '\n')
}
