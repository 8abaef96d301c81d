package search

import (
	"testing"

	"go.uber.org/goleak"
)

func TestFirst(t *testing.T) {
	defer goleak.VerifyNone(t)
	r := First([]string{"web", "news", "images"})
	if r.Title == "" {
		t.Error("empty title")
	}
}

func TestWatch(t *testing.T) {
	defer goleak.VerifyNone(t)
	Watch(make(chan struct{}))
}
