package search

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestFirst(t *testing.T) {
	r := First([]string{"web", "news", "images"})
	if r.Title == "" {
		t.Error("empty title")
	}
}

func TestWatch(t *testing.T) {
	Watch(make(chan struct{}))
}
