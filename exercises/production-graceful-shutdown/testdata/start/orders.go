package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Order is what a client posts to /orders.
type Order struct {
	ID    string `json:"id"`
	SKU   string `json:"sku"`
	Qty   int    `json:"qty"`
	Cents int64  `json:"cents"`
}

// Store saves orders: the orders database.
type Store interface {
	Save(ctx context.Context, o Order) error
}

// Event is a message for the other services: "order.created" and friends.
type Event struct {
	Type    string
	OrderID string
}

// Publisher sends events to the message broker.
type Publisher interface {
	Publish(ctx context.Context, batch []Event) error
}

// newHandler serves POST /orders: it saves the order and queues an
// "order.created" event in the outbox, which the other services consume.
func newHandler(store Store, ob *outbox) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", func(w http.ResponseWriter, r *http.Request) {
		var o Order
		if err := json.NewDecoder(r.Body).Decode(&o); err != nil || o.ID == "" {
			http.Error(w, "bad order", http.StatusBadRequest)
			return
		}
		if err := store.Save(r.Context(), o); err != nil {
			http.Error(w, "cannot save the order", http.StatusServiceUnavailable)
			return
		}
		ob.add(Event{Type: "order.created", OrderID: o.ID})
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "order %s created\n", o.ID)
	})
	return mux
}
