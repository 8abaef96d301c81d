package verify_test

import (
	"testing"

	"github.com/go-blindspots/workbook/exercises/internal/verifytest"
)

// TestVerify proves modules-mvs-upgrade: the shipped code fails, the solution and
// every right fix pass, every wrong fix fails.
func TestVerify(t *testing.T) { verifytest.Exercise(t, "modules-mvs-upgrade") }
