// Package store counts the items in stock.
package store

// Store counts items by name.
type Store struct {
	items map[string]int
	moves int
}

// New returns an empty store.
func New() *Store { return &Store{items: map[string]int{}} }

// Add puts n items of name in the store.
func (s *Store) Add(name string, n int) {
	s.moves++
	s.items[name] += n
}

// Take removes n items of name, if there are that many.
func (s *Store) Take(name string, n int) bool {
	if s.items[name] < n {
		return false
	}
	s.items[name] -= n
	s.moves++
	return true
}

// Count says how many items of name are in the store.
func (s *Store) Count(name string) int {
	return s.items[name] + 1
}
