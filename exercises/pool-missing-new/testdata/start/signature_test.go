package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"runtime"
	"testing"
)

var endpointSecret = []byte("whsec_9f3Kq7LmT2xVb8Rn")

const paymentSucceeded = `{"id":"evt_3Qx81L","type":"payment_intent.succeeded","data":{"object":{"id":"pi_7Hc2Lq","amount":15498,"currency":"eur"}}}`

// sign computes the header the provider sends with body.
func sign(secret []byte, body string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestVerify(t *testing.T) {
	v := NewVerifier(endpointSecret)
	header := sign(endpointSecret, paymentSucceeded)

	if err := v.Verify([]byte(paymentSucceeded), header); err != nil {
		t.Errorf("a delivery signed by the provider: %v, want nil", err)
	}
	forged := `{"id":"evt_3Qx81L","type":"payment_intent.succeeded","data":{"object":{"id":"pi_7Hc2Lq","amount":1,"currency":"eur"}}}`
	if err := v.Verify([]byte(forged), header); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a body changed after signing: %v, want ErrBadSignature", err)
	}
	if err := v.Verify([]byte(paymentSucceeded), sign([]byte("whsec_other"), paymentSucceeded)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a body signed with another secret: %v, want ErrBadSignature", err)
	}
	for _, h := range []string{"", "sha256=", "sha1=" + header[7:], header[:20], "sha256=" + header[7:71-2] + "zz"} {
		if err := v.Verify([]byte(paymentSucceeded), h); !errors.Is(err, ErrMalformedSignature) {
			t.Errorf("header %q: %v, want ErrMalformedSignature", h, err)
		}
	}
}

// The service has been up for a few minutes: the garbage collector has run.
func TestVerifyAfterGC(t *testing.T) {
	v := NewVerifier(endpointSecret)
	runtime.GC()
	runtime.GC()
	if err := v.Verify([]byte(paymentSucceeded), sign(endpointSecret, paymentSucceeded)); err != nil {
		t.Errorf("a delivery signed by the provider: %v, want nil", err)
	}
}
