package diagnostics

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files from what the code produces now:
// go test ./diagnostics -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// checkGolden compares got with the golden file at path (under testdata/), or
// rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	path = filepath.Join("testdata", filepath.FromSlash(path))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v (run go test ./diagnostics -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got (first difference at line %d):\n%s\nwant (%s):\n%s\nrun go test ./diagnostics -update if the change is right",
			firstDiffLine(got, want), got, path, want)
	}
}

// firstDiffLine returns the 1-based number of the first line where a and b differ.
func firstDiffLine(a, b []byte) int {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// marshalGolden is the golden form of a value: indented JSON with a final newline.
func marshalGolden(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGoldenFindings parses every captured fixture (testdata/NAME.stdout and
// NAME.stderr) with the files of its entry in fixtureTests or subpkgTests and
// compares the findings with testdata/golden/NAME.json.
func TestGoldenFindings(t *testing.T) {
	parsers := map[string]Parser{}
	for _, tt := range fixtureTests {
		parsers[tt.name] = Parser{Files: tt.files}
	}
	for _, tt := range subpkgTests {
		parsers[tt.name] = Parser{Files: tt.files, Module: tt.module}
	}
	names, err := filepath.Glob(filepath.Join("testdata", "*.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("got no fixtures in testdata/, want the captured outputs")
	}
	for _, name := range names {
		name := strings.TrimSuffix(filepath.Base(name), ".stdout")
		t.Run(name, func(t *testing.T) {
			p, ok := parsers[name]
			if !ok {
				t.Fatalf("fixture %s has no entry in fixtureTests or subpkgTests: add one, with the files of its program", name)
			}
			stdout, stderr := fixture(t, name)
			got := p.Parse(stdout, stderr)
			if got == nil {
				got = []Diagnostic{}
			}
			checkGolden(t, "golden/"+name+".json", marshalGolden(t, got))
		})
	}
}
