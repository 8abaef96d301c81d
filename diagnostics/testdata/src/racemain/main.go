package main

import "fmt"

func main() {
	total := 0
	done := make(chan struct{})
	go func() {
		total++
		close(done)
	}()
	total++
	<-done
	fmt.Println(total)
}
