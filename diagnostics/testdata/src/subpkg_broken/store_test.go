package shop

import "testing"

func TestRestock(t *testing.T) {
	s := Open()
	s.Restock(map[string]int{"apple": 3, "pear": 2})
	if got := s.stock.Count("apple"); got != 3 {
		t.Errorf("after a delivery of 3 apples the store counts %d, want 3", got)
	}
}
