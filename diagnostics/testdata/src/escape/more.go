package buf

// First returns the first element's address.
func First(s []int) *int {
	return &s[0]
}

// Name returns the name field.
func Name(p *Point) *int {
	return &p.X
}

// Store keeps the slice contents.
var sink []*int

// StoreAll keeps the pointers held in s.
func StoreAll(s []*int) {
	for _, p := range s {
		sink = append(sink, p)
	}
}

// Box converts to an interface.
func Box(n int) any {
	return n
}
