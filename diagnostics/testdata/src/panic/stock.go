package inventory

// Stock counts items.
type Stock struct {
	items map[string]int
}

// Put adds n of name.
func (s *Stock) Put(name string, n int) {
	s.items[name] += n
}

// Fill writes from many goroutines.
func Fill(m map[int]int) {
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 100000; i++ {
				m[i] = i
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// At returns the element at i.
func At(xs []int, i int) int {
	return xs[i]
}
