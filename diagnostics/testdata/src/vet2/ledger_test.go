package ledger

import "testing"

func TestLen(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		var l Ledger
		if l.Len() != 0 {
			t.Fatal("not empty")
		}
	}()
	<-done
}
