package search

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestSleepy(t *testing.T) {
	defer goleak.VerifyNone(t)
	go func() {
		time.Sleep(time.Hour)
	}()
	stop := make(chan struct{})
	Watch(stop)
	var never chan int
	go func() {
		select {
		case <-never:
		case <-stop:
		}
	}()
}
