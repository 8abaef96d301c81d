package pool

import "testing"

func TestDrain(t *testing.T) {
	Drain(make(chan struct{}))
}
