package buf

import "fmt"

// Point is a pair.
type Point struct{ X, Y int }

// NewPoint returns a pointer to a new point.
func NewPoint(x, y int) *Point {
	p := Point{X: x, Y: y}
	return &p
}

// Sum adds the coordinates without keeping p.
func Sum(p *Point) int {
	return p.X + p.Y
}

var keep *Point

// Keep stores p.
func Keep(p *Point) {
	keep = p
}

// Fill makes a buffer of n bytes.
func Fill(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	return b
}

// Local uses a fixed buffer on the stack.
func Local() int {
	buf := make([]byte, 64)
	return len(buf)
}

// Describe formats a point.
func Describe(p Point) string {
	return fmt.Sprintf("%d,%d", p.X, p.Y)
}

// Closure returns a counter.
func Closure() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}
