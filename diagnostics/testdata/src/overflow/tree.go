package tree

// Node is a tree node.
type Node struct {
	Left, Right *Node
	Value       int
}

// Depth recurses forever when a node points to itself.
func Depth(n *Node) int {
	if n == nil {
		return 0
	}
	return 1 + Depth(n.Left)
}

// Sum dereferences without checking.
func Sum(n *Node) int {
	return n.Value + n.Left.Value
}
