package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// CI has no PayFast credentials, and the tests need none.

func TestVersion(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"version"}, &out); err != nil {
		t.Fatalf("checkout version: %v", err)
	}
	if got, want := out.String(), "checkout 2.3.1\n"; got != want {
		t.Errorf("checkout version printed %q, want %q", got, want)
	}
}

func TestChargeSendsOrderAndKey(t *testing.T) {
	payfast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc" {
			t.Errorf("Authorization = %q", got)
		}
		var charge struct {
			OrderID string `json:"order_id"`
			Amount  int64  `json:"amount"`
		}
		if err := json.NewDecoder(r.Body).Decode(&charge); err != nil {
			t.Errorf("decoding the charge: %v", err)
		}
		if r.URL.Path != "/charges" || charge.OrderID != "ord-1042" || charge.Amount != 1999 {
			t.Errorf("PayFast got %s %+v, want /charges for ord-1042, 1999 cents", r.URL.Path, charge)
		}
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"id":"ch_3PkX9f"}`))
	}))
	defer payfast.Close()

	c := &Client{endpoint: payfast.URL, apiKey: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", http: payfast.Client()}
	id, err := c.Charge(context.Background(), "ord-1042", 1999)
	if err != nil || id != "ch_3PkX9f" {
		t.Errorf("Charge = %q, %v; want ch_3PkX9f, nil", id, err)
	}
}
