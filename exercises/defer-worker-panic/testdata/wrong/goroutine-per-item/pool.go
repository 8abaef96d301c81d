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
	// One goroutine per item, each with its own recover: a panic costs
	// nothing but that item.
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Go(func() {
			results[i] = handleOne(handle, item)
		})
	}
	wg.Wait()
	return results
}

// handleOne runs handle for one item and turns a panic into its error.
func handleOne[In, Out any](handle func(In) (Out, error), item In) (r Result[Out]) {
	defer func() {
		if p := recover(); p != nil {
			r = Result[Out]{Err: fmt.Errorf("panic: %v", p)}
		}
	}()
	v, err := handle(item)
	return Result[Out]{Value: v, Err: err}
}
