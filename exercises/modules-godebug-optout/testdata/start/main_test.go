package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"modules-godebug-optout/gateway"
)

// send writes a raw HTTP/1.1 request, as a meter's firmware does, and returns
// the status code of the answer.
func send(t *testing.T, srv *httptest.Server, raw string) int {
	t.Helper()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := fmt.Fprint(c, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestFirmware2014Heartbeat(t *testing.T) {
	g := gateway.New()
	srv := httptest.NewServer(newHandler(g))
	defer srv.Close()
	// Firmware 2.x (2014) sends an empty Content-Length header with every
	// request that has no body.
	raw := "POST /heartbeat HTTP/1.1\r\nHost: metergw\r\nX-Meter-ID: m-004217\r\nContent-Length: \r\n\r\n"
	if got := send(t, srv, raw); got != http.StatusNoContent {
		t.Errorf("a heartbeat of firmware 2.x: got status %d, want 204", got)
	}
	if n := g.Heartbeats("m-004217"); n != 1 {
		t.Errorf("heartbeats of m-004217: got %d, want 1", n)
	}
}

func TestCurrentFirmware(t *testing.T) {
	g := gateway.New()
	srv := httptest.NewServer(newHandler(g))
	defer srv.Close()
	body := "m-009001,48213.7"
	raw := fmt.Sprintf("POST /readings HTTP/1.1\r\nHost: metergw\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	if got := send(t, srv, raw); got != http.StatusNoContent {
		t.Errorf("a reading of firmware 5.x: got status %d, want 204", got)
	}
	if v, ok := g.Reading("m-009001"); !ok || v != 48213.7 {
		t.Errorf("reading of m-009001: got %v, %v; want 48213.7", v, ok)
	}
}
