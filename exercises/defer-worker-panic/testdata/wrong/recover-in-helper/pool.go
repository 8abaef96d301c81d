// Package importer imports the invoice exports our partners upload: every
// line of a file is handled by a pool of worker goroutines.
package importer

import (
	"fmt"
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

func handleOne[In, Out any](handle func(In) (Out, error), item In) (r Result[Out]) {
	defer func() {
		if err := panicError(); err != nil {
			r = Result[Out]{Err: err}
		}
	}()
	v, err := handle(item)
	return Result[Out]{Value: v, Err: err}
}

// panicError turns a panic in progress into an error, so that every
// deferred handler in the service reports panics the same way.
func panicError() error {
	if p := recover(); p != nil {
		return fmt.Errorf("panic: %v", p)
	}
	return nil
}
