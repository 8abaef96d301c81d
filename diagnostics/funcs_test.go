package diagnostics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const enclosingSrc = `// Package shapes is a test input.
package shapes

import "sync"

// Counter counts.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Inc has a pointer receiver.
func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Value has a value receiver.
func (c Counter) Value() int { return c.n }

// Stack is generic.
type Stack[T any] struct{ items []T }

// Push has a generic pointer receiver.
func (s *Stack[T]) Push(v T) {
	s.items = append(s.items, v)
}

// Pair has two type parameters.
type Pair[K comparable, V any] struct {
	k K
	v V
}

// Key has a generic value receiver with two parameters.
func (p Pair[K, V]) Key() K {
	return p.k
}

// Run starts goroutines.
func Run(c *Counter,
	n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			func() {
				c.Inc()
			}()
		}()
	}
	wg.Wait()
}

var hook = func() int {
	return 1
}

func (Counter) Anonymous() {}

func ((Counter)) Paren() {}

func asm(x int) int

func Map[T, U any](xs []T, f func(T) U) []U {
	var out []U
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
`

func TestEnclosingFunc(t *testing.T) {
	tests := []struct {
		line int
		want string
	}{
		{1, ""},                   // package doc
		{2, ""},                   // package clause
		{4, ""},                   // import
		{8, ""},                   // struct field
		{12, ""},                  // doc comment of Inc
		{13, "Counter.Inc"},       // signature line with the brace
		{14, "Counter.Inc"},       // body
		{17, "Counter.Inc"},       // closing brace
		{18, ""},                  // blank line between functions
		{20, "Counter.Value"},     // one-line method with a value receiver
		{23, ""},                  // generic type declaration
		{26, "Stack.Push"},        // generic pointer receiver
		{27, "Stack.Push"},        // its body
		{37, "Pair.Key"},          // two type parameters
		{38, "Pair.Key"},          // its body
		{42, "Run"},               // signature split over lines
		{43, "Run"},               // second line of the signature
		{47, "Run"},               // go statement
		{49, "Run"},               // inside a func literal
		{51, "Run"},               // inside a func literal in a func literal
		{57, ""},                  // package-level func literal
		{58, ""},                  // package-level func literal body
		{61, "Counter.Anonymous"}, // receiver without a name
		{63, "Counter.Paren"},     // parenthesized receiver type
		{65, ""},                  // function without a body
		{67, "Map"},               // generic function
		{71, "Map"},               // its body
		{73, "Map"},               // its closing brace
		{74, ""},                  // past the end
		{1000, ""},                // far past the end
		{0, ""},
		{-3, ""},
	}
	for _, tt := range tests {
		if got := EnclosingFunc([]byte(enclosingSrc), tt.line); got != tt.want {
			t.Errorf("EnclosingFunc(line %d): got %q, want %q (line is %q)", tt.line, got, tt.want, srcLine(enclosingSrc, tt.line))
		}
	}
}

func srcLine(src string, n int) string {
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

func TestEnclosingFuncBadSource(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		{"empty", "", 1},
		{"not go", "hello, world\n", 1},
		{"syntax error in a function", "package p\n\nfunc F() {\n\treturn 1 +\n}\n", 3},
		{"missing package clause", "func F() {\n}\n", 1},
		{"binary", "\x00\x01\x02", 1},
	}
	for _, tt := range tests {
		if got := EnclosingFunc([]byte(tt.src), tt.line); got != "" {
			t.Errorf("%s: got %q, want \"\"", tt.name, got)
		}
	}
}

// TestEnclosingFuncFixtureSources checks EnclosingFunc on the programs that produced
// the fixtures, at the lines the findings name.
func TestEnclosingFuncFixtureSources(t *testing.T) {
	tests := []struct {
		file string
		line int
		want string
	}{
		{"race/counter.go", 14, "Counter.Inc"},
		{"race/counter.go", 19, "Counter.Snapshot"},
		{"race/counter.go", 37, "Run"},
		{"race/counter_test.go", 23, "TestSnapshot"},
		{"escape/buf.go", 10, "NewPoint"},
		{"escape/buf.go", 49, "Closure"},
		{"escape/buf.go", 19, ""},
		{"synctest/cache.go", 19, "Refresher.loop"},
		{"timeout/search.go", 9, "fetch"},
	}
	for _, tt := range tests {
		src, err := os.ReadFile(filepath.Join("testdata", "src", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := EnclosingFunc(src, tt.line); got != tt.want {
			t.Errorf("EnclosingFunc(%s, %d): got %q, want %q", tt.file, tt.line, got, tt.want)
		}
	}
}
