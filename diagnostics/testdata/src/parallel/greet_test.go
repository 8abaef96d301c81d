package greet

import (
	"fmt"
	"testing"
	"time"
)

func TestA(t *testing.T) {
	t.Parallel()
	time.Sleep(20 * time.Millisecond)
	if got := Hello("a"); got != "Hello, a" {
		t.Errorf("Hello(%q) = %q, want %q", "a", got, "Hello, a")
	}
}

func TestB(t *testing.T) {
	t.Parallel()
	t.Log("b starts")
	time.Sleep(10 * time.Millisecond)
	t.Errorf("b failed")
}

func TestC(t *testing.T) {
	t.Parallel()
	t.Log("c is fine")
}

func ExampleHello() {
	fmt.Println(Hello("gopher"))
	// Output:
	// Hello, gopher
}
