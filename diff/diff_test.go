package diff

import (
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	a := "package x\n\nfunc F() int {\n\tx := 1\n\treturn x\n}\n"
	b := "package x\n\nfunc F() int {\n\tvar x int = 2\n\treturn x\n}\n"
	want := "--- a\n+++ b\n@@ -3,3 +3,3 @@\n func F() int {\n-\tx := 1\n+\tvar x int = 2\n \treturn x\n"
	if got := Unified("a", "b", a, b, 1); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Unified("a", "b", a, a, 3); got != "" {
		t.Errorf("same texts: got %q", got)
	}
}

func TestHunksMergeCloseChanges(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	b := "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n"
	if n := len(Hunks(Lines(a, b), 1)); n != 2 {
		t.Errorf("far changes: %d hunks, want 2", n)
	}
	if n := len(Hunks(Lines(a, b), 3)); n != 1 {
		t.Errorf("changes within twice the context: %d hunks, want 1", n)
	}
}

func FuzzLines(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			return
		}
		var ga, gb []string
		for _, op := range Lines(a, b) {
			if op.Kind != '+' {
				ga = append(ga, op.Text)
			}
			if op.Kind != '-' {
				gb = append(gb, op.Text)
			}
		}
		if strings.Join(ga, "\n") != strings.Join(split(a), "\n") || strings.Join(gb, "\n") != strings.Join(split(b), "\n") {
			t.Fatalf("the diff does not rebuild its texts")
		}
	})
}
