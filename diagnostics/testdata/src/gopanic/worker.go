package main

import (
	"errors"
	"fmt"
	"time"
)

func pick(xs []int, i int) int {
	return xs[i]
}

func work(jobs []int) {
	for i := 0; i <= len(jobs); i++ {
		fmt.Println(pick(jobs, i))
	}
}

func main() {
	if len(fmt.Sprint()) > 0 {
		panic(errors.New("never"))
	}
	go work([]int{1, 2})
	time.Sleep(time.Second)
}
