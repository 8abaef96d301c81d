package probe

// Ptrs makes a slice of pointers of a size known only at run time.
func Ptrs(n int) int {
	s := make([]*int, n)
	return len(s)
}

// Big2 makes a slice of big structs of run-time size.
func Big2(n int) int {
	type row struct{ a [64]int }
	s := make([]row, n)
	return len(s)
}

// Cap makes a slice with run-time len and cap.
func Cap(n, m int) int {
	s := make([]byte, n, m)
	return len(s)
}
