package tracing

import (
	"errors"
	"testing"
)

const (
	sampledHeader   = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	unsampledHeader = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
)

func TestParseTraceparent(t *testing.T) {
	sc, err := ParseTraceparent(sampledHeader)
	if err != nil {
		t.Fatalf("ParseTraceparent(%q): %v", sampledHeader, err)
	}
	wantTrace := [16]byte{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	wantParent := [8]byte{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7}
	if sc.TraceID != wantTrace {
		t.Errorf("TraceID = %x, want %x", sc.TraceID, wantTrace)
	}
	if sc.ParentID != wantParent {
		t.Errorf("ParentID = %x, want %x", sc.ParentID, wantParent)
	}
	if !sc.Sampled() {
		t.Errorf("Sampled() = false for flags %02x, want true", sc.Flags)
	}
}

func TestParseTraceparentRejectsMalformed(t *testing.T) {
	for _, header := range []string{
		"",
		"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // unknown version
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",     // no flags
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper-case hex
		"00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",  // wrong separator
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace ID
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent ID
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",  // bad flags
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", // trailing data
	} {
		if _, err := ParseTraceparent(header); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseTraceparent(%q): err = %v, want ErrMalformed", header, err)
		}
	}
}

func TestShouldRecord(t *testing.T) {
	none, all := NewSampler(0), NewSampler(1)
	if !none.ShouldRecord(sampledHeader) {
		t.Error("a trace the caller sampled must be recorded")
	}
	if none.ShouldRecord(unsampledHeader) {
		t.Error("ratio 0 recorded a trace the caller did not sample")
	}
	if !all.ShouldRecord(unsampledHeader) {
		t.Error("ratio 1 did not record a trace the caller did not sample")
	}
	if all.ShouldRecord("garbage") {
		t.Error("a malformed header must not be recorded")
	}
}

// BenchmarkShouldRecord measures the per-request cost of the sampling
// decision. Run it with: go test -bench=ShouldRecord -benchmem
func BenchmarkShouldRecord(b *testing.B) {
	s := NewSampler(0.1)
	b.ReportAllocs()
	for b.Loop() {
		s.ShouldRecord(unsampledHeader)
	}
}
