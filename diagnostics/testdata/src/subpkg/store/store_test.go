package store

import "testing"

func TestCount(t *testing.T) {
	s := New()
	s.Add("apple", 2)
	if got := s.Count("apple"); got != 2 {
		t.Errorf("Count(apple) = %d after adding 2, want 2", got)
	}
}

func TestAddConcurrently(t *testing.T) {
	s := New()
	done := make(chan bool)
	go func() {
		s.Add("pear", 1)
		done <- true
	}()
	s.Add("plum", 1)
	<-done
}
