package cache

import (
	"testing"
	"testing/synctest"
)

func TestLeftover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		New()
	})
}

func TestStuck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan int)
		Wait(ch)
	})
}
