package accesslog

import (
	"bytes"
	"io"
	"testing"
	"time"
)

var (
	listOrders = &Entry{
		Time:     time.Date(2026, 3, 9, 14, 2, 11, 250_000_000, time.UTC),
		Method:   "GET",
		Path:     "/v1/orders",
		Status:   200,
		Bytes:    1843,
		Duration: 12 * time.Millisecond,
		Remote:   "10.4.7.21",
	}
	createRefund = &Entry{
		Time:     time.Date(2026, 3, 9, 14, 2, 11, 307_000_000, time.UTC),
		Method:   "POST",
		Path:     `/v1/orders/ord_7Hc2Lq/refunds?reason="damaged"`,
		Status:   201,
		Bytes:    96,
		Duration: 148 * time.Millisecond,
		Remote:   "10.4.9.3",
	}
)

const (
	listOrdersLine   = "ts=2026-03-09T14:02:11.250Z method=GET path=\"/v1/orders\" status=200 bytes=1843 dur_ms=12 remote=10.4.7.21\n"
	createRefundLine = `ts=2026-03-09T14:02:11.307Z method=POST path="/v1/orders/ord_7Hc2Lq/refunds?reason=\"damaged\"" status=201 bytes=96 dur_ms=148 remote=10.4.9.3` + "\n"
)

func TestWriteEntry(t *testing.T) {
	var log bytes.Buffer
	for _, e := range []*Entry{listOrders, createRefund, listOrders} {
		if err := WriteEntry(&log, e); err != nil {
			t.Fatalf("WriteEntry(%s %s): %v", e.Method, e.Path, err)
		}
	}
	want := listOrdersLine + createRefundLine + listOrdersLine
	if got := log.String(); got != want {
		t.Errorf("access log:\n%s\nwant:\n%s", got, want)
	}
}

// go test -bench=WriteEntry -benchmem shows what one log line costs.
func BenchmarkWriteEntry(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteEntry(io.Discard, createRefund); err != nil {
			b.Fatal(err)
		}
	}
}
