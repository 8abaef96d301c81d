package buf

import "testing"

func TestSum(t *testing.T) {
	p := NewPoint(1, 2)
	if Sum(p) != 3 {
		t.Fatal("bad sum")
	}
}
