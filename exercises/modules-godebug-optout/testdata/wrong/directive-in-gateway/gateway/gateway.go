// The meters' firmware 2.x sends "Content-Length:" with no value; keep
// accepting it in the package that serves them.
//
//go:debug httplaxcontentlength=1

// Package gateway receives what the electricity meters in the field send:
// readings, and a heartbeat every minute that says the meter is alive.
package gateway

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Gateway keeps the last reading and the number of heartbeats of every meter.
type Gateway struct {
	mu         sync.Mutex
	kwh        map[string]float64
	heartbeats map[string]int
}

// New returns an empty gateway.
func New() *Gateway {
	return &Gateway{kwh: map[string]float64{}, heartbeats: map[string]int{}}
}

// Handler routes the meters' requests:
//
//	POST /heartbeat   header X-Meter-ID, no body: 204
//	POST /readings    body "METER-ID,KWH": 204
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /heartbeat", g.heartbeat)
	mux.HandleFunc("POST /readings", g.reading)
	return mux
}

func (g *Gateway) heartbeat(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-Meter-ID")
	if id == "" {
		http.Error(w, "no X-Meter-ID", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.heartbeats[id]++
	g.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (g *Gateway) reading(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, value, ok := strings.Cut(strings.TrimSpace(string(body)), ",")
	kwh, err := strconv.ParseFloat(value, 64)
	if !ok || id == "" || err != nil {
		http.Error(w, fmt.Sprintf("bad reading %q", body), http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.kwh[id] = kwh
	g.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Heartbeats returns how many heartbeats the meter has sent.
func (g *Gateway) Heartbeats(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.heartbeats[id]
}

// Reading returns the meter's last reading, in kWh.
func (g *Gateway) Reading(id string) (float64, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	v, ok := g.kwh[id]
	return v, ok
}
