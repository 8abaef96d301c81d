package bank

import (
	"testing"
)

func TestDeposit(t *testing.T) {
	a := &Account{}
	a.Deposit(5)
	if got := a.Balance(); got != 5 {
		t.Errorf("got %d, want %d", got, 5)
	}
	t.Log("a note")
}

func TestTable(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   int
	}{{"one", 1}, {"two", 2}, {"ok", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			a := &Account{}
			a.Deposit(tc.in)
			if tc.name == "ok" {
				return
			}
			if got := a.Balance(); got != tc.in {
				t.Errorf("balance after deposit:\ngot  %d\nwant %d", got, tc.in)
			}
			t.Run("nested", func(t *testing.T) {
				t.Fatalf("nested failure for %s", tc.name)
			})
		})
	}
}

func TestPass(t *testing.T) {
	t.Log("fine")
}

func TestHelper(t *testing.T) {
	check(t, 1, 2)
}

func check(t *testing.T, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("check: got %d, want %d", got, want)
	}
}
