// Package verifytest runs `workbook verify` over one exercise as a Go test:
// the shipped code fails, the solution and every right fix pass, every
// wrong fix fails.
//
// Each exercise has a test package of its own below this one (a directory
// named for it, made by `go generate ./exercises/internal/verifytest`), so
// that each gets the go command's own time budget: go test gives every
// package binary ten minutes, verifying the whole catalog in one package
// would not fit on a slow, busy laptop, and the verdict of `go test ./...`
// must not depend on how fast the machine is. Go test runs the packages in
// parallel, so the catalog is verified as fast as before.
package verifytest

//go:generate go run gen.go

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// Source is the test file of an exercise's package.
func Source(name string) string {
	return fmt.Sprintf(`package verify_test

import (
	"testing"

	"github.com/go-blindspots/workbook/exercises/internal/verifytest"
)

// TestVerify proves %s: the shipped code fails, the solution and
// every right fix pass, every wrong fix fails.
func TestVerify(t *testing.T) { verifytest.Exercise(t, %q) }
`, name, name)
}

// Exercise verifies the named exercise, each variant a subtest.
func Exercise(t *testing.T, name string) {
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Lookup(name)
	if err != nil {
		t.Fatalf("%v: remove its directory under exercises/internal/verifytest", err)
	}
	list := []*exercises.Exercise{ex}
	r, err := runner.New(context.Background())
	if err != nil {
		t.Fatalf("cannot run checks here: %v", err)
	}
	r.WorkRoot = t.TempDir()
	// The runner's bounds stop a learner's program that hangs; here every
	// variant is known, and a slow, busy machine must not turn a right
	// verdict into a timeout: the bound is the test's own deadline. (A
	// variant that deadlocks still ends at its go test -timeout.)
	if deadline, ok := t.Deadline(); ok {
		r.CheckTimeout = time.Until(deadline) - 30*time.Second
		r.StepTimeout = r.CheckTimeout
	}
	for _, o := range exercises.Verify(t.Context(), r, list, runtime.NumCPU(), nil) {
		t.Run(o.Exercise.Name+"/"+o.Variant.Name, func(t *testing.T) {
			if o.OK() {
				return
			}
			var b strings.Builder
			for _, e := range o.Events {
				switch e.Type {
				case runner.TypeStep:
					b.WriteString("$ " + e.Cmd + "\n")
				case runner.TypeOutput:
					b.WriteString(e.Text)
				case runner.TypeFailure:
					b.WriteString("FAILURE: " + e.Message + "\n")
				}
			}
			t.Errorf("got pass=%v (reason %q), want pass=%v; the check said:\n%s", o.Result.Pass, o.Result.Reason, o.Variant.WantPass, b.String())
		})
	}
}
