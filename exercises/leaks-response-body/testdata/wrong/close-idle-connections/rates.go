// Package fx fetches exchange rates from the treasury team's rates service,
// for the repricer that converts the catalog's prices every minute.
package fx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Client is a client of the rates service. It is safe for concurrent use.
type Client struct {
	baseURL string
	http    *http.Client
}

// New returns a client of the rates service at baseURL that sends its
// requests with hc, which pools their connections.
func New(baseURL string, hc *http.Client) *Client {
	return &Client{baseURL: baseURL, http: hc}
}

// StatusError is the error of a request that the rates service (or the load
// balancer in front of it) answered with a status other than 200 OK.
type StatusError struct {
	From, To string
	Code     int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fx: rate %s/%s: %d %s", e.From, e.To, e.Code, http.StatusText(e.Code))
}

// Rate returns how many units of the currency to one unit of the currency
// from buys, for example 1.0841 for EUR to USD.
func (c *Client) Rate(ctx context.Context, from, to string) (float64, error) {
	u := c.baseURL + "/v1/rates/" + url.PathEscape(from) + "/" + url.PathEscape(to)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	// Connections left behind by error answers are closed after every call.
	defer c.http.CloseIdleConnections()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("fx: rate %s/%s: %w", from, to, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, &StatusError{From: from, To: to, Code: resp.StatusCode}
	}
	defer resp.Body.Close()

	var body struct {
		Rate float64 `json:"rate"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("fx: rate %s/%s: decoding the answer: %w", from, to, err)
	}
	return body.Rate, nil
}
