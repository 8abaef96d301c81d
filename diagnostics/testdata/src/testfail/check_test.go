package bank

import "testing"

func TestCheck(t *testing.T) {
	t.Error("first problem")
	t.Error("second problem")
}
