package tree

import "testing"

func TestDepth(t *testing.T) {
	n := &Node{}
	n.Left = n
	if Depth(n) < 0 {
		t.Fatal("negative")
	}
}

func TestSum(t *testing.T) {
	if Sum(&Node{Value: 1}) != 1 {
		t.Fatal("bad")
	}
}
