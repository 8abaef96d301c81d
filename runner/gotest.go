package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A check proves that the tests it expects ran and passed, not only that the
// test binary exited 0: a file of the learner's can end the binary in init
// (os.Exit(0) under testing.Testing()) or set -test.skip, and `go test` then
// prints "ok". So an exercise check runs `go test` with -json, turns
// test2json's events back into the text `go test -v` prints (build output on
// stderr, test output on stdout, as the go command prints them), and after a
// step that passed compares the tests that reported "pass" with the Test
// functions declared in the packages' _test.go files.

// testEvent is one line of `go test -json` (cmd/test2json's TestEvent, plus
// the go command's build events).
type testEvent struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// testJSON decodes `go test -json` output as it arrives.
type testJSON struct {
	emit    func(stream, text string) // reconstructed output
	partial []byte
	stdout  strings.Builder
	stderr  strings.Builder
	tally   map[testKey]*testTally
	running []string // top-level tests started and not ended, in order
}

type testKey struct{ pkg, test string }

type testTally struct{ pass, fail, skip int }

func newTestJSON(emit func(stream, text string)) *testJSON {
	return &testJSON{emit: emit, tally: make(map[testKey]*testTally)}
}

// write takes a chunk of the go command's stdout.
func (j *testJSON) write(b []byte) {
	j.partial = append(j.partial, b...)
	for {
		i := bytes.IndexByte(j.partial, '\n')
		if i < 0 {
			return
		}
		j.line(j.partial[:i+1])
		j.partial = j.partial[i+1:]
	}
}

// flush handles a last line without a newline.
func (j *testJSON) flush() {
	if len(j.partial) > 0 {
		j.line(j.partial)
		j.partial = nil
	}
}

func (j *testJSON) line(l []byte) {
	var e testEvent
	if l[0] != '{' || json.Unmarshal(l, &e) != nil || e.Action == "" {
		j.out(Stdout, string(l)) // not an event: the go command printed it as is
		return
	}
	switch e.Action {
	case "output":
		j.out(Stdout, e.Output)
	case "build-output":
		j.out(Stderr, e.Output)
	case "run":
		if e.Test != "" && !strings.Contains(e.Test, "/") {
			j.running = append(j.running, e.Test)
		}
	case "pass", "fail", "skip":
		if e.Test == "" || strings.Contains(e.Test, "/") {
			return
		}
		if i := slices.Index(j.running, e.Test); i >= 0 {
			j.running = slices.Delete(j.running, i, i+1)
		}
		k := testKey{e.Package, e.Test}
		t := j.tally[k]
		if t == nil {
			t = &testTally{}
			j.tally[k] = t
		}
		switch e.Action {
		case "pass":
			t.pass++
		case "fail":
			t.fail++
		default:
			t.skip++
		}
	}
}

func (j *testJSON) out(stream, text string) {
	if text == "" {
		return
	}
	if stream == Stdout {
		j.stdout.WriteString(text)
	} else {
		j.stderr.WriteString(text)
	}
	j.emit(stream, text)
}

// unproven returns a sentence saying which expected tests did not run and
// pass, or "" when all did.
func (j *testJSON) unproven(expected []testKey) string {
	var missing, skipped []string
	for _, k := range expected {
		t := j.tally[k]
		switch {
		case t == nil || t.pass == 0 && t.fail == 0 && t.skip == 0:
			missing = append(missing, k.test)
		case t.skip > 0:
			skipped = append(skipped, k.test)
		}
	}
	switch {
	case len(missing) > 0:
		return fmt.Sprintf("The tests did not run: go test said ok, but %s never ran. Something in your code ends the test binary before its tests (os.Exit or log.Fatal in init?) or changes its flags; a pass needs every test to run and pass.", listNames(missing))
	case len(skipped) > 0:
		return fmt.Sprintf("The tests did not all run: %s was skipped. A pass needs every test to run and pass, so nothing in your code may skip them (a -test.skip flag set in init, say).", listNames(skipped))
	}
	return ""
}

// cutShort returns a sentence for a test binary that ended while a test ran,
// without a verdict and without a panic or a timeout the output shows: the
// code under test ended the program (os.Exit, log.Fatal). "" if no test was
// left running.
func (j *testJSON) cutShort() string {
	if len(j.running) == 0 {
		return ""
	}
	return fmt.Sprintf("The test binary ended while %s was running, without a verdict: the code under test ended the whole program (os.Exit, or log.Fatal, which calls it), skipping every deferred call. Return an error instead, and let main decide to exit.", j.running[len(j.running)-1])
}

// listNames writes "TestA", "TestA and TestB" or "TestA, TestB and 3 more".
func listNames(names []string) string {
	switch n := len(names); {
	case n == 1:
		return names[0]
	case n == 2:
		return names[0] + " and " + names[1]
	case n <= 4:
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	default:
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", n-3)
	}
}

// goTestArgs adds -json to a `go test` command line that runs tests, and
// reports whether it did: not for -c, -exec, -list, -o or a command that has
// it already.
func goTestArgs(args []string) ([]string, bool) {
	if len(args) == 0 || args[0] != "test" {
		return args, false
	}
	for _, a := range args[1:] {
		if a == "-args" || a == "--args" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && slices.Contains([]string{"json", "c", "exec", "list", "o", "n"}, name) {
			return args, false
		}
	}
	return append([]string{"test", "-json"}, args[1:]...), true
}

// testFlagsWithValue are the go test flags that take a value in the next
// argument when it is not given as -flag=value.
var testFlagsWithValue = []string{
	"run", "skip", "count", "timeout", "cpu", "parallel", "bench", "benchtime", "gcflags", "ldflags",
	"asmflags", "tags", "coverprofile", "covermode", "coverpkg", "o", "exec", "p", "shuffle", "vet",
	"list", "fuzz", "fuzztime", "fuzzminimizetime", "outputdir", "blockprofile", "blockprofilerate",
	"cpuprofile", "memprofile", "memprofilerate", "mutexprofile", "mutexprofilefraction", "trace",
	"mod", "modfile", "overlay", "pkgdir", "toolexec", "C", "buildmode", "compiler", "gccgoflags",
	"installsuffix", "artifacts",
}

// testCommand is what a `go test` command line asks for.
type testCommand struct {
	patterns  []string
	run, skip string
	tags      []string
	race      bool
}

func parseTestCommand(args []string) testCommand {
	var c testCommand
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "-args" || a == "--args" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			c.patterns = append(c.patterns, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && slices.Contains(testFlagsWithValue, name) && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "run":
			c.run = value
		case "skip":
			c.skip = value
		case "tags":
			c.tags = strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' })
		case "race":
			c.race = !hasValue || value == "true"
		}
	}
	if len(c.patterns) == 0 {
		c.patterns = []string{"."}
	}
	return c
}

// expectedTests returns the tests a `go test` command run in dir, inside the
// module rooted at root whose path is module, must report as passed: every
// Test function of the _test.go files (that the build constraints keep) in the
// packages its patterns name, that -run selects and -skip does not.
func expectedTests(root, dir, module string, args []string) []testKey {
	c := parseTestCommand(args)
	ctx := build.Default
	ctx.BuildTags = append(ctx.BuildTags, c.tags...)
	if c.race {
		ctx.BuildTags = append(ctx.BuildTags, "race")
	}
	ctx.CgoEnabled = true
	run, runErr := topLevelPattern(c.run)
	skip, skipErr := topLevelPattern(c.skip)
	if runErr != nil || skipErr != nil {
		return nil // go test itself will refuse the pattern
	}
	var keys []testKey
	for _, rel := range packageDirs(root, dir, module, c.patterns) {
		pkg := module
		if rel != "." {
			pkg = module + "/" + rel
		}
		pdir := filepath.Join(root, filepath.FromSlash(rel))
		entries, err := os.ReadDir(pdir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, "_test.go") {
				continue
			}
			if ok, err := ctx.MatchFile(pdir, name); err != nil || !ok {
				continue
			}
			for _, t := range testFuncs(filepath.Join(pdir, name)) {
				if run != nil && !run.MatchString(t) || skip != nil && skip.MatchString(t) && c.skip != "" && !strings.Contains(c.skip, "/") {
					continue
				}
				keys = append(keys, testKey{pkg, t})
			}
		}
	}
	return keys
}

// topLevelPattern compiles the part of a -run or -skip pattern that matches
// top-level tests: the text before the first slash outside brackets.
func topLevelPattern(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, nil
	}
	depth := 0
	for i, r := range p {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '/':
			if depth == 0 {
				p = p[:i]
				return regexp.Compile(p)
			}
		}
	}
	return regexp.Compile(p)
}

// packageDirs resolves package patterns (".", "./...", "./x", "./x/...",
// "module/x") given in dir to directories relative to the module's root,
// slash-separated.
func packageDirs(root, dir, module string, patterns []string) []string {
	var dirs []string
	add := func(abs string) {
		if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") && !slices.Contains(dirs, filepath.ToSlash(rel)) {
			dirs = append(dirs, filepath.ToSlash(rel))
		}
	}
	for _, p := range patterns {
		from := dir
		if rest, ok := strings.CutPrefix(p, module); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
			p, from = "."+rest, root
		}
		p = path.Clean(p)
		base, all := strings.CutSuffix(p, "/...")
		if p == "..." {
			base, all = ".", true
		}
		start := filepath.Join(from, filepath.FromSlash(base))
		if !all {
			add(start)
			continue
		}
		_ = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			name := d.Name()
			if p != start && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			add(p)
			return nil
		})
	}
	return dirs
}

// testFuncs returns the names of the Test functions a _test.go file declares.
func testFuncs(file string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil // the build fails, and says why
	}
	var names []string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && isTestFunc(fn) {
			names = append(names, fn.Name.Name)
		}
	}
	return names
}

// isTestFunc reports whether fn is a test the testing package runs:
// func TestXxx(t *testing.T), where Xxx does not start with a lower-case letter.
func isTestFunc(fn *ast.FuncDecl) bool {
	name := fn.Name.Name
	if fn.Recv != nil || !strings.HasPrefix(name, "Test") || name == "TestMain" {
		return false
	}
	if rest := name[len("Test"):]; rest != "" {
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(r) {
			return false
		}
	}
	params := fn.Type.Params.List
	if len(params) != 1 || len(params[0].Names) > 1 {
		return false
	}
	star, ok := params[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "T"
}

// testDocs returns the first sentence of the doc comment of each Test
// function in the given Go test files, by test name: what a hidden test
// asserts, in the author's words.
func testDocs(files map[string][]byte) map[string]string {
	docs := make(map[string]string)
	for name, src := range files {
		if !strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !isTestFunc(fn) || fn.Doc == nil {
				continue
			}
			docs[fn.Name.Name] = firstSentence(fn.Doc.Text())
		}
	}
	return docs
}

// firstSentence returns the first sentence of a doc comment, on one line,
// without the function's name at its start ("TestX checks …" → "checks …").
func firstSentence(doc string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(doc, ". "); i >= 0 {
		doc = doc[:i+1]
	}
	if first, rest, ok := strings.Cut(doc, " "); ok && strings.HasPrefix(first, "Test") {
		doc = rest
	}
	// "TestX checks that …": what it checks is what follows.
	for _, lead := range []string{"checks that ", "checks "} {
		if rest, ok := strings.CutPrefix(doc, lead); ok && rest != "" {
			return strings.ToUpper(rest[:1]) + rest[1:]
		}
	}
	return doc
}

// Selects reports whether a `go test` command line (args after "go", such
// as ["test", "-run=^TestX$", "."]) runs the top-level test named test, as
// far as its -run and -skip patterns say (the packages it names aside).
func Selects(args []string, test string) bool {
	c := parseTestCommand(args)
	run, err1 := topLevelPattern(c.run)
	skip, err2 := topLevelPattern(c.skip)
	if err1 != nil || err2 != nil {
		return false
	}
	if run != nil && !run.MatchString(test) {
		return false
	}
	return skip == nil || !skip.MatchString(test) || strings.Contains(c.skip, "/")
}
