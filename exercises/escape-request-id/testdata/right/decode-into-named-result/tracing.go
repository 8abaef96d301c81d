// Package tracing decides, for every request the checkout API receives,
// whether its spans are recorded. The decision follows the W3C Trace Context
// header that the edge proxy forwards:
//
//	traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
package tracing

import (
	"encoding/binary"
	"errors"
)

// ErrMalformed reports a traceparent header that is not a valid version-00
// header.
var ErrMalformed = errors.New("tracing: malformed traceparent header")

// SpanContext is the part of a trace that crosses a service boundary.
type SpanContext struct {
	TraceID  [16]byte
	ParentID [8]byte
	Flags    byte
}

// Sampled reports whether the caller recorded its own span.
func (sc SpanContext) Sampled() bool { return sc.Flags&0x01 == 0x01 }

// ParseTraceparent parses a version-00 traceparent header.
//
// Kept out of line on purpose: inlined into a small caller, its allocation
// can disappear from that caller while every caller the compiler does not
// inline it into (a bigger handler, a call through a package-level func
// variable) still pays.
//
//go:noinline
func ParseTraceparent(header string) (sc SpanContext, err error) {
	if len(header) != 55 || header[:3] != "00-" || header[35] != '-' || header[52] != '-' {
		return SpanContext{}, ErrMalformed
	}
	flags, ok := decodeByte(header[53], header[54])
	if !ok || !decodeHex(sc.TraceID[:], header[3:35]) || !decodeHex(sc.ParentID[:], header[36:52]) {
		return SpanContext{}, ErrMalformed
	}
	if sc.TraceID == [16]byte{} || sc.ParentID == [8]byte{} {
		return SpanContext{}, ErrMalformed // all-zero IDs are invalid
	}
	sc.Flags = flags
	return sc, nil
}

// Sampler records every trace that the caller sampled, and a fixed share of
// the others, chosen by trace ID so that all services agree.
type Sampler struct {
	bound uint64 // record unsampled traces whose ID ends below bound
}

// NewSampler returns a Sampler that records the given share (0 to 1) of
// the traces the caller did not sample.
func NewSampler(ratio float64) *Sampler {
	return &Sampler{bound: uint64(ratio * (1 << 63))}
}

// ShouldRecord runs on every request, before the handler.
func (s *Sampler) ShouldRecord(traceparent string) bool {
	sc, err := ParseTraceparent(traceparent)
	if err != nil {
		return false
	}
	if sc.Sampled() {
		return true
	}
	return binary.BigEndian.Uint64(sc.TraceID[8:])>>1 < s.bound
}

func decodeHex(dst []byte, src string) bool {
	for i := range dst {
		b, ok := decodeByte(src[2*i], src[2*i+1])
		if !ok {
			return false
		}
		dst[i] = b
	}
	return true
}

func decodeByte(hi, lo byte) (byte, bool) {
	h, ok1 := fromHex(hi)
	l, ok2 := fromHex(lo)
	return h<<4 | l, ok1 && ok2
}

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
