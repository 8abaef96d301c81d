package probe

import "fmt"

// Big builds a table too large for the stack.
func Big() int {
	var table [1 << 20]byte
	table[3] = 1
	return int(table[3])
}

// BigMake makes a buffer too large for the stack.
func BigMake() int {
	buf := make([]byte, 1<<20)
	return len(buf)
}

// Sized makes a buffer of a size known only at run time.
func Sized(n int) []byte {
	buf := make([]byte, n)
	return buf[:0:0]
}

// SizedLocal makes a buffer of a size known only at run time, and keeps it local.
func SizedLocal(n int) int {
	buf := make([]byte, n)
	for i := range buf {
		buf[i] = byte(i)
	}
	return int(buf[0])
}

// Print prints n.
func Print(n int) {
	fmt.Println(n)
}

var sink any

// Keep stores v in a package-level variable.
func Keep(v int) {
	sink = v
}

type node struct{ next *node }

// Link stores n in the list after head.
func Link(head *node) {
	n := node{}
	head.next = &n
}

// Chan sends p on c.
func Chan(c chan *int) {
	x := 4
	c <- &x
}

// Slice appends the address of x to s.
func Slice(s []*int) []*int {
	x := 5
	return append(s, &x)
}

// Method calls a method through an interface.
type Stringer interface{ String() string }

type name string

func (n name) String() string { return string(n) }

// Describe calls String through an interface.
func Describe() string {
	var s Stringer = name("x")
	return s.String()
}

// Go starts a goroutine that uses x.
func Go() {
	x := 1
	go func() { x++ }()
}
