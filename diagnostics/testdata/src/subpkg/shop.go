// Package shop sells what the store holds.
package shop

import "example.com/shop/store"

// Shop takes orders against one store.
type Shop struct {
	stock *store.Store
}

// New opens a shop over st.
func New(st *store.Store) *Shop {
	return &Shop{stock: st}
}

// Order takes n items of name out of the stock.
func (s *Shop) Order(name string, n int) bool {
	return s.stock.Take(name, n)
}
