// Package importer imports the invoice exports our partners upload: every
// line of a file is handled by a pool of worker goroutines.
package importer

import (
	"errors"
	"sync"
)

// Result is the outcome of one item: its value, or the error that stopped it.
type Result[T any] struct {
	Value T
	Err   error
}

// RunPool calls handle for every item, using the given number of worker
// goroutines, and returns one Result per item, in input order. An item whose
// handler fails (or panics) gets the error in its Result; the pool goes on
// with the other items.
func RunPool[In, Out any](items []In, workers int, handle func(In) (Out, error)) []Result[Out] {
	results := make([]Result[Out], len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				results[i] = handleOne(handle, items[i])
			}
		})
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// errHandlerPanicked is the error of an item whose handler panicked.
var errHandlerPanicked = errors.New("importer: handler panicked")

// handleOne runs handle for one item and turns a panic into that item's error.
// A panic ends the whole program unless the panicking goroutine recovers it,
// and recover only works when called directly by a deferred function: so the
// deferred closure runs in the worker, around each item, and the worker lives
// on to take the next item.
func handleOne[In, Out any](handle func(In) (Out, error), item In) (r Result[Out]) {
	defer func() {
		if p := recover(); p != nil {
			r = Result[Out]{Err: errHandlerPanicked}
		}
	}()
	v, err := handle(item)
	return Result[Out]{Value: v, Err: err}
}
