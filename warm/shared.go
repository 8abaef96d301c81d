package warm

import (
	"fmt"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
)

// sharedCheck is the warm's first job: a package that imports every
// standard library package the exercises import, tested with and without
// the race detector and vetted, so that what every check shares is
// compiled first, whichever exercise the learner opens.
func sharedCheck(cat *exercises.Catalog) runner.Check {
	var b strings.Builder
	b.WriteString("package warmshared\n\nimport (\n")
	for _, p := range stdImports(cat) {
		fmt.Fprintf(&b, "\t_ %q\n", p)
	}
	b.WriteString(")\n")
	return runner.Check{
		Name: "warm-stdlib",
		Script: []byte("go test -race -count=1 -run=^$ .\n" +
			"go test -count=1 -run=^$ .\n" +
			"go vet .\n"),
		Files: map[string][]byte{
			"go.mod":         []byte("module warmshared\n\ngo " + exercises.DefaultGo + "\n"),
			"shared_test.go": []byte(b.String()),
		},
	}
}

// stdImports returns the standard library packages that the exercises'
// files (shipped, solutions, and the checks' own) import, sorted, with
// testing among them.
func stdImports(cat *exercises.Catalog) []string {
	pkgs := []string{"testing"}
	add := func(name string, src []byte) {
		if !strings.HasSuffix(name, ".go") {
			return
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			return
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if err != nil || strings.Contains(first, ".") || p == "C" || strings.Contains(p, "internal") || slices.Contains(pkgs, p) {
				continue
			}
			pkgs = append(pkgs, p)
		}
	}
	for _, ex := range cat.List {
		for name, src := range ex.Start {
			add(name, src)
		}
		for name, src := range ex.Solution {
			add(name, src)
		}
		if a, err := script.ParseArchive(ex.Script); err == nil {
			for _, f := range a.Files {
				add(f.Name, f.Data)
			}
		}
	}
	slices.Sort(pkgs)
	return pkgs
}
