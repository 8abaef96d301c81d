package search

import "sync"

// Result is one hit.
type Result struct{ Source, Title string }

func fetch(source string, out chan<- Result) {
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

// All waits for every source but never reads.
func All(sources []string) []Result {
	var wg sync.WaitGroup
	out := make(chan Result)
	for _, s := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(s, out)
		}()
	}
	wg.Wait()
	close(out)
	var rs []Result
	for r := range out {
		rs = append(rs, r)
	}
	return rs
}
