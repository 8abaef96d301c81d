package search

import "testing"

func TestAll(t *testing.T) {
	rs := All([]string{"web", "news"})
	if len(rs) != 2 {
		t.Errorf("got %d results, want 2", len(rs))
	}
}
