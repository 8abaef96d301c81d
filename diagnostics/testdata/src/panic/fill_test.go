package inventory

import "testing"

func TestFill(t *testing.T) {
	Fill(map[int]int{})
}
