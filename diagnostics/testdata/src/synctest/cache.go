package cache

import "time"

// Refresher reloads a value periodically.
type Refresher struct {
	updates chan string
}

// New starts a refresher.
func New() *Refresher {
	r := &Refresher{updates: make(chan string)}
	go r.loop()
	return r
}

func (r *Refresher) loop() {
	for {
		time.Sleep(time.Minute)
		r.updates <- "fresh"
	}
}

// Wait blocks for a value that never comes.
func Wait(ch chan int) int {
	return <-ch
}
