package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const defaultEndpoint = "https://api.payfast.example/v2"

// Client calls the PayFast payments API.
type Client struct {
	endpoint string
	apiKey   string
	http     *http.Client
}

// payments is the PayFast client the payment commands use.
var payments *Client

func init() {
	key := os.Getenv("PAYFAST_API_KEY")
	if key == "" {
		// Not every command talks to PayFast (version, the tests): warn
		// instead of crashing, PayFast rejects the calls without a key.
		log.Print("payments: PAYFAST_API_KEY is not set, payment commands will fail")
	}
	endpoint := os.Getenv("PAYFAST_ENDPOINT")
	if endpoint == "" {
		endpoint = defaultEndpoint
	}
	payments = &Client{
		endpoint: endpoint,
		apiKey:   key,
		http:     &http.Client{Timeout: 10 * time.Second},
	}
}

// Charge charges amountCents (EUR) to the order's saved payment method and
// returns PayFast's charge id. Retrying is safe: PayFast charges an order once.
func (c *Client) Charge(ctx context.Context, orderID string, amountCents int64) (string, error) {
	body, err := json.Marshal(map[string]any{"order_id": orderID, "amount": amountCents, "currency": "EUR"})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/charges", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "charge-"+orderID)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("payments: charge %s: %w", orderID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("payments: charge %s: PayFast answered %s", orderID, resp.Status)
	}
	var charge struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&charge); err != nil {
		return "", fmt.Errorf("payments: charge %s: %w", orderID, err)
	}
	return charge.ID, nil
}

// redactedKey shows enough of the API key to tell keys apart, and no more.
func (c *Client) redactedKey() string {
	if len(c.apiKey) < 16 {
		return "****"
	}
	return c.apiKey[:8] + "****" + c.apiKey[len(c.apiKey)-4:]
}
