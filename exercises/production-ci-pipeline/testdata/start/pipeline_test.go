package ci

import (
	"slices"
	"testing"
)

func TestPipelineNamesThePackages(t *testing.T) {
	steps := Pipeline("./...")
	if len(steps) == 0 {
		t.Fatal("the pipeline has no steps")
	}
	for _, s := range steps {
		if len(s.Args) < 2 || s.Args[0] != "go" {
			t.Errorf("step %s: %q, want a go command", s.Name, s.Args)
		}
		if !slices.Contains(s.Args, "./...") {
			t.Errorf("step %s: %q does not check the packages it is given, ./...", s.Name, s.Args)
		}
	}
}
