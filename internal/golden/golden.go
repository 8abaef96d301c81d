// Package golden compares test output with golden files, for the tests of
// every package that keeps them (rendering, diagnostics, timelines, lesson
// scripts). `go test ./PKG -update` rewrites them; review the diff.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// TB is the part of testing.TB that Check uses.
type TB interface {
	Helper()
	Name() string
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// Check compares got with the golden file at path, or with -update writes
// got there (making its directory).
func Check(t TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatalf("%v", err)
		}
		if err := os.WriteFile(path, []byte(got), 0o666); err != nil {
			t.Fatalf("%v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run '%s' -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("got (first difference at line %d):\n%s\nwant (%s):\n%s\n(go test -run '%s' -update rewrites it if the change is right)",
			firstDiffLine(got, string(want)), got, path, want, t.Name())
	}
}

// firstDiffLine returns the 1-based number of the first line where a and b
// differ.
func firstDiffLine(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
