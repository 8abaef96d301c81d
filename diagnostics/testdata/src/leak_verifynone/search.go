package search

import "time"

// Result is one hit.
type Result struct{ Source, Title string }

func fetch(source string, out chan<- Result) {
	time.Sleep(time.Millisecond)
	out <- Result{Source: source, Title: "hit from " + source}
}

// First returns the first result and forgets the others.
func First(sources []string) Result {
	out := make(chan Result)
	for _, s := range sources {
		go fetch(s, out)
	}
	return <-out
}

// Watch starts a poller that never stops.
func Watch(stop chan struct{}) {
	go func() {
		for {
			select {
			case <-stop:
				return
			}
		}
	}()
}
