// Package verifytest runs `workbook verify` over the exercises of one topic
// as a Go test: the shipped code fails, the solution and every right fix
// pass, every wrong fix fails.
//
// Each topic has a test package of its own below this one, so that each gets
// the go command's own time budget (go test gives every package binary ten
// minutes): verifying the whole catalog in one package would not fit on a
// slow, busy laptop, and the verdict of `go test ./...` must not depend on
// how fast the machine is.
package verifytest

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// Topic verifies every exercise of topic, each variant a subtest.
func Topic(t *testing.T, topic string) {
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var list []*exercises.Exercise
	for _, ex := range cat.List {
		if ex.Topic == topic {
			list = append(list, ex)
		}
	}
	if len(list) == 0 {
		t.Fatalf("no exercises for topic %q", topic)
	}
	r, err := runner.New(context.Background())
	if err != nil {
		t.Fatalf("cannot run checks here: %v", err)
	}
	r.WorkRoot = t.TempDir()
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
