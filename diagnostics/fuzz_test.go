package diagnostics

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// FuzzParse checks that Parse never panics, keeps its promises about every finding,
// and gives the same answer twice. The seeds are the captured fixtures.
func FuzzParse(f *testing.F) {
	for _, tt := range fixtureTests {
		stdout, stderr := fixture(f, tt.name)
		f.Add(stdout, stderr, strings.Join(tt.files, ","))
	}
	f.Add("", "", "")
	f.Add("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n", "", "main.go")
	f.Fuzz(func(t *testing.T, stdout, stderr, files string) {
		var fs []string
		if files != "" {
			fs = strings.Split(files, ",")
		}
		p := Parser{Files: fs}
		got := p.Parse(stdout, stderr)
		checkInvariants(t, "fuzz", fs, got)
		if again := p.Parse(stdout, stderr); !reflect.DeepEqual(got, again) {
			t.Errorf("got %d findings, then %d for the same output, want the same both times", len(got), len(again))
		}
	})
}

// FuzzEnclosingFunc checks that EnclosingFunc never panics and returns either "" or
// a name of the form Name or Type.Name, and a name only for a line of a source that
// parses.
func FuzzEnclosingFunc(f *testing.F) {
	srcs, _ := filepath.Glob(filepath.Join("testdata", "src", "*", "*.go"))
	for _, name := range srcs {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range []int{1, 10, 14, 20} {
			f.Add(src, line)
		}
	}
	f.Add([]byte(enclosingSrc), 26)
	f.Add([]byte(enclosingSrc), 49)
	f.Add([]byte("package p\nfunc (x *T[K, V]) M() {\n}\n"), 2)
	f.Fuzz(func(t *testing.T, src []byte, line int) {
		got := EnclosingFunc(src, line)
		if got == "" {
			return
		}
		parts := strings.Split(got, ".")
		if len(parts) > 2 {
			t.Fatalf("got %q, want Name or Type.Name", got)
		}
		for _, p := range parts {
			if !isIdent(p) {
				t.Fatalf("got %q, want identifiers only", got)
			}
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "src.go", src, parser.SkipObjectResolution); err != nil {
			t.Fatalf("got %q for a source that does not parse (%v), want \"\"", got, err)
		}
		if n := strings.Count(string(src), "\n") + 1; line < 1 || line > n {
			t.Fatalf("got %q for line %d of a %d-line source, want \"\"", got, line, n)
		}
	})
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '_' && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}
