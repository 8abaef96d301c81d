// Package webhooks receives the payment provider's webhooks. The provider
// signs every delivery with HMAC-SHA256 over the raw body and sends the
// signature in the Webhook-Signature header; a delivery whose signature does
// not verify is rejected before anything parses it.
package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
	"sync"
)

var (
	ErrMalformedSignature = errors.New("webhooks: missing or malformed signature")
	ErrBadSignature       = errors.New("webhooks: signature does not match the body")
)

// macState is the scratch state of one verification.
type macState struct {
	mac  hash.Hash // HMAC-SHA256 keyed with the endpoint's secret
	sum  [sha256.Size]byte
	want [sha256.Size]byte
}

// Verifier checks the signatures of one webhook endpoint.
type Verifier struct {
	secret []byte

	// states keeps MAC states between deliveries: hmac.New hashes the secret
	// and allocates two SHA-256 states, and the provider sends bursts of
	// thousands of deliveries a second.
	states sync.Pool
}

// NewVerifier returns a Verifier for the endpoint whose signing secret is
// secret.
func NewVerifier(secret []byte) *Verifier {
	return &Verifier{secret: secret}
}

// Verify checks header, e.g. "sha256=5257a869...", against body. It returns
// nil if the provider signed exactly this body with the endpoint's secret.
func (v *Verifier) Verify(body []byte, header string) error {
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(hexSum) != 2*sha256.Size {
		return ErrMalformedSignature
	}

	// Get returns nil whenever the pool is empty: on the first deliveries,
	// and after garbage collections, which drop what it holds.
	st, _ := v.states.Get().(*macState)
	if st == nil {
		st = &macState{mac: hmac.New(sha256.New, v.secret)}
	}
	defer v.states.Put(st)

	if _, err := hex.Decode(st.want[:], []byte(hexSum)); err != nil {
		return ErrMalformedSignature
	}
	st.mac.Reset()
	st.mac.Write(body)
	if !hmac.Equal(st.mac.Sum(st.sum[:0]), st.want[:]) {
		return ErrBadSignature
	}
	return nil
}
