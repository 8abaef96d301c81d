package lessons

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Allocation counts for any lesson program, the playground's "allocations"
// tool.
//
// What does "allocation counts" mean for an arbitrary program? A benchmark
// (testing.AllocsPerRun, -benchmem) counts the allocations of one call of a
// function; a lesson's program is a main package that prints, and running
// its main over and over would print over and over. GODEBUG has no setting
// that counts allocations (gctrace reports GC cycles, which a small program
// may never have). So the count is taken inside the program, once, around
// main, with runtime.MemStats: how many heap allocations (and bytes) main
// made, the number AllocsPerRun would say for one run. And where: with
// runtime.MemProfileRate = 1 every allocation is recorded with its stack,
// and each is counted at the first line of the program's own files in its
// stack, the line of the learner's code that made it, directly or through a
// call into the standard library. That is the number to put beside what
// -gcflags=-m says about the same line.
//
// The program is changed as little as possible, and no line moves: a
// package of ours is added in the directory _workbook_allocs (the go
// command's ./... patterns skip directories whose name starts with _, so
// go vet ./... and go test ./... do not list it), imported on the line of
// the package clause of the file with func main, and
//
//	defer workbookallocs.Count()();
//
// is put right after main's opening brace. main keeps its name, so stack
// traces and race reports read as they do without the tool, and every line
// keeps its number for -m. A program that ends in os.Exit or log.Fatal
// prints no counts, as no deferred call runs; one that panics prints them
// before the panic's message.

// allocsDir is the directory of the counting package in the program.
const allocsDir = "_workbook_allocs"

// allocsPackage is the counting package.
const allocsPackage = `// Package allocs is added to a lesson's program by the workbook's playground
// when allocation counts are on: main defers Count()() from its first line.
package allocs

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

func init() { runtime.MemProfileRate = 1 } // record every allocation, with its stack

type counter struct{ before runtime.MemStats }

// Count starts counting the heap allocations; the function it returns
// prints them.
func Count() func() {
	c := new(counter)
	done := c.done // allocated before the count starts
	runtime.ReadMemStats(&c.before)
	return done
}

func (c *counter) done() {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	report(after.Mallocs-c.before.Mallocs, after.TotalAlloc-c.before.TotalAlloc)
}

type place struct {
	file    string
	line    int
	n, size int64
}

// report prints the count and, from the memory profile, the lines of the
// program's own files that allocated (anything that went through this
// package is not the program's).
func report(n, size uint64) {
	_, self, _, _ := runtime.Caller(0)
	self = filepath.ToSlash(self)
	ours := self[:strings.LastIndex(self, "/")+1]
	root := ours[:strings.LastIndex(strings.TrimSuffix(ours, "/"), "/")+1]
	runtime.GC() // publishes the profile of what was allocated before it
	var recs []runtime.MemProfileRecord
	for k := 256; ; k *= 2 {
		recs = make([]runtime.MemProfileRecord, k)
		if got, ok := runtime.MemProfile(recs, true); ok {
			recs = recs[:got]
			break
		}
	}
	var places []*place
	for _, r := range recs {
		var at *runtime.Frame
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			file := filepath.ToSlash(f.File)
			if strings.HasPrefix(file, ours) {
				at = nil
				break
			}
			if at == nil && strings.HasPrefix(file, root) {
				at = &f
			}
			if !more {
				break
			}
		}
		if at == nil {
			continue
		}
		rel := strings.TrimPrefix(filepath.ToSlash(at.File), root)
		i := slices.IndexFunc(places, func(p *place) bool { return p.file == rel && p.line == at.Line })
		if i < 0 {
			places = append(places, &place{file: rel, line: at.Line})
			i = len(places) - 1
		}
		places[i].n += r.AllocObjects
		places[i].size += r.AllocBytes
	}
	slices.SortFunc(places, func(a, b *place) int { return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line)) })
	fmt.Fprintf(os.Stderr, "allocations: main made %d heap allocation%s (%d bytes)\n", n, plural(int64(n)), size)
	if len(places) == 0 {
		fmt.Fprintln(os.Stderr, "  none on the program's own lines")
	}
	for _, p := range places {
		// Not "file.go:12:": that reads as a compiler's error.
		fmt.Fprintf(os.Stderr, "  line %d of %s: %d allocation%s (%d bytes)\n", p.line, p.file, p.n, plural(p.n), p.size)
	}
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}
`

// withAllocCounts returns the program's files with the counting package
// added and main deferring its count, or the files as they are and false
// when the program has no func main in a package main at its root (or no
// module path).
func withAllocCounts(files map[string][]byte) (map[string][]byte, bool) {
	m, ok := findMain(files)
	mod := goModPath(files["go.mod"])
	if !ok || mod == "" {
		return files, false
	}
	out := maps.Clone(files)
	src := files[m.file]
	out[m.file] = slices.Concat(
		src[:m.pkgEnd], []byte("; import workbookallocs "+strconv.Quote(mod+"/"+allocsDir)),
		src[m.pkgEnd:m.lbrace+1], []byte(" defer workbookallocs.Count()();"),
		src[m.lbrace+1:])
	out[allocsDir+"/allocs.go"] = []byte(allocsPackage)
	return out, true
}

// isMain reports whether the program's root package is a main package with
// a func main.
func isMain(files map[string][]byte) bool {
	_, ok := findMain(files)
	return ok
}

// mainFunc is where func main is: its file, the offset of the end of the
// package clause's name and that of main's opening brace.
type mainFunc struct {
	file           string
	pkgEnd, lbrace int
}

// findMain finds the file at the program's root that declares func main in
// package main; false if there is none (or a file does not parse: the build
// will say why).
func findMain(files map[string][]byte) (mainFunc, bool) {
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if path.Dir(name) != "." || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil || f.Name.Name != "main" {
			continue
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" && fn.Body != nil {
				return mainFunc{file: name, pkgEnd: fset.Position(f.Name.End()).Offset, lbrace: fset.Position(fn.Body.Lbrace).Offset}, true
			}
		}
	}
	return mainFunc{}, false
}

// goModPath returns the module path of a go.mod file, or "".
func goModPath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			rest, _, _ = strings.Cut(rest, "//")
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
