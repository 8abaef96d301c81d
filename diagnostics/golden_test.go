package diagnostics

import (
	"bytes"
	"encoding/json"
	"github.com/go-blindspots/workbook/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

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

// checkGolden compares got with the golden file at path under testdata/
// (see package golden).
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", filepath.FromSlash(path)), string(got))
}
