package shop

import "example.com/shop/store"

// Restock fills the shop's store from a delivery, one goroutine per item.
func (s *Shop) Restock(delivery map[string]int) {
	done := make(chan bool)
	for name, n := range delivery {
		go func() {
			s.stock.Add(name, n)
			done <- true
		}()
	}
	for range delivery {
		<-done
	}
}

// Open returns a shop with an empty store.
func Open() *Shop {
	return New(store.New())
}
