package inventory

import "testing"

func TestPut(t *testing.T) {
	var s Stock
	s.Put("apple", 2)
}
