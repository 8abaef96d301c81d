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
// handler fails gets the error in its Result; the pool goes on with the
// other items.
func RunPool[In, Out any](items []In, workers int, handle func(In) (Out, error)) []Result[Out] {
	results := make([]Result[Out], len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				// One call per item, with its own deferred recover: a panic
				// becomes this item's error and the worker goes on.
				func() {
					defer func() {
						if p := recover(); p != nil {
							results[i] = Result[Out]{Err: fmt.Errorf("panic: %v", p)}
						}
					}()
					v, err := handle(items[i])
					results[i] = Result[Out]{Value: v, Err: err}
				}()
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
