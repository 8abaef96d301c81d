package main

import (
	"fmt"
	"sync"
)

func produce(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i
	}
}

func main() {
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		produce(out, 3)
	}()
	fmt.Println(<-out)
	wg.Wait()
}
