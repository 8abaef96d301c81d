package exercises

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/go-blindspots/workbook/offline"
	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
)

func TestEmbeddedCatalog(t *testing.T) {
	cat, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, topic := range Topics[:6] {
		if !slices.ContainsFunc(cat.List, func(ex *Exercise) bool { return ex.Topic == topic }) {
			t.Errorf("no exercise for core topic %q", topic)
		}
	}
	for _, ex := range cat.List {
		if len(ex.Solution) == 0 {
			t.Errorf("%s: no solution", ex.Name)
		}
		if !strings.HasPrefix(ex.Name, ex.Topic+"-") {
			t.Errorf("%s: name must start with its topic %q", ex.Name, ex.Topic)
		}
		for name := range ex.Solution {
			if !ex.Editable(name) {
				t.Errorf("%s: solution changes %s, which the check never takes from the learner", ex.Name, name)
			}
		}
	}
}

// TestExercisesPredict: at least 10 exercises ask for a prediction before
// their check, and some in every core topic that can be measured (escape,
// races, leaks, pool).
func TestExercisesPredict(t *testing.T) {
	cat, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	topics := map[string]bool{}
	for _, ex := range cat.List {
		if len(ex.Predictions) > 0 {
			n++
			topics[ex.Topic] = true
		}
	}
	if n < 10 {
		t.Errorf("%d exercises ask for a prediction, want at least 10", n)
	}
	for _, topic := range []string{"escape", "races", "leaks", "pool"} {
		if !topics[topic] {
			t.Errorf("no %s exercise asks for a prediction", topic)
		}
	}
}

// TestEveryExerciseIsVerified: each exercise has its package under
// internal/verifytest, which proves it (see that package's doc), and no
// package is left of an exercise that is gone.
func TestEveryExerciseIsVerified(t *testing.T) {
	cat, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := os.ReadDir(filepath.Join("internal", "verifytest"))
	for _, ex := range cat.List {
		src, err := os.ReadFile(filepath.Join("internal", "verifytest", ex.Name, "verify_test.go"))
		if err != nil || !strings.Contains(string(src), `verifytest.Exercise(t, "`+ex.Name+`")`) {
			t.Errorf("%s is never verified: run `go generate ./exercises/internal/verifytest` to make its test package", ex.Name)
		}
	}
	for _, d := range dirs {
		if _, err := cat.Lookup(d.Name()); d.IsDir() && err != nil {
			t.Errorf("internal/verifytest/%s verifies an exercise that does not exist: remove it", d.Name())
		}
	}
}

// TestGoSumFromModule keeps exercises/go.sum in step with the module's own
// go.sum, which is what puts those modules into the learner's module cache.
func TestGoSumFromModule(t *testing.T) {
	root, err := os.ReadFile("../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.Contains(string(root), line+"\n") {
			t.Errorf("exercises/go.sum line %q is not in the module's go.sum", line)
		}
	}
}

// TestOfflineModules keeps the workbook's offline modules (package offline)
// in step with exercises/go.sum: every module a check may need ships inside
// the binary. `go generate ./offline` regenerates them.
func TestOfflineModules(t *testing.T) {
	data, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		mv := f[0] + "@" + strings.TrimSuffix(f[1], "/go.mod")
		if !slices.Contains(offline.Modules(), mv) {
			t.Errorf("%s is in exercises/go.sum but not in the offline module proxy: run `go generate ./offline`", mv)
		}
	}
}

// TestEveryTestRuns: every Test function an exercise ships (its tests and its
// check's hidden tests) is selected by at least one `go test` step of the
// check, so that no test an author wrote is silently never run.
func TestEveryTestRuns(t *testing.T) {
	cat, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	testRE := regexp.MustCompile(`(?m)^func (Test[A-Z_0-9]\w*|Test)\(\w+ \*testing\.T\)`)
	for _, ex := range cat.List {
		a, err := script.ParseArchive(ex.Script)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for name, data := range ex.Start {
			files[name] = data
		}
		for _, f := range a.Files {
			files[f.Name] = f.Data
		}
		var steps [][]string
		for _, l := range script.Lines(a.Comment) {
			if len(l.Args) > 1 && l.Args[0] == "go" && l.Args[1] == "test" && !slices.Contains(l.Args, "-run=^$") {
				steps = append(steps, l.Args[1:])
			}
		}
		for name, data := range files {
			if !strings.HasSuffix(name, "_test.go") {
				continue
			}
			for _, m := range testRE.FindAllStringSubmatch(string(data), -1) {
				if !slices.ContainsFunc(steps, func(args []string) bool { return runner.Selects(args, m[1]) }) {
					t.Errorf("%s: %s in %s is run by no `go test` step of check.txtar", ex.Name, m[1], name)
				}
			}
		}
	}
}

func TestLoadRejectsBrokenExercises(t *testing.T) {
	good := `---
title: A request counter
topic: races
lesson: races#counters
order: 1
hints: [one, two]
wrong:
  - name: half
    why: only one side
---
The task.
`
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"go.sum":                           {Data: []byte("")},
			"races-x/exercise.md":              {Data: []byte(good)},
			"races-x/check.txtar":              {Data: []byte("go test .\n")},
			"races-x/testdata/start/a.go":      {Data: []byte("package a\n")},
			"races-x/testdata/solution/a.go":   {Data: []byte("package a\n")},
			"races-x/testdata/wrong/half/a.go": {Data: []byte("package a\n")},
		}
	}
	if _, err := Load(base()); err != nil {
		t.Fatalf("good exercise: %v", err)
	}
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want string
	}{
		{"no front matter", func(m fstest.MapFS) { m["races-x/exercise.md"] = &fstest.MapFile{Data: []byte("just text")} }, "exercise.md: no front matter"},
		{"unknown field", func(m fstest.MapFS) {
			m["races-x/exercise.md"] = &fstest.MapFile{Data: []byte(strings.Replace(good, "order: 1", "ordre: 1", 1))}
		}, "field ordre not found"},
		{"unknown topic", func(m fstest.MapFS) {
			m["races-x/exercise.md"] = &fstest.MapFile{Data: []byte(strings.Replace(good, "topic: races", "topic: gc", 1))}
		}, `topic "gc" is not one of`},
		{"one hint", func(m fstest.MapFS) {
			m["races-x/exercise.md"] = &fstest.MapFile{Data: []byte(strings.Replace(good, "[one, two]", "[one]", 1))}
		}, "1 hints, want 2 to 4"},
		{"empty script", func(m fstest.MapFS) { m["races-x/check.txtar"] = &fstest.MapFile{Data: []byte("-- a.go --\n")} }, "check.txtar has no commands"},
		{"no solution", func(m fstest.MapFS) { delete(m, "races-x/testdata/solution/a.go") }, "solution"},
		{"unlisted wrong fix", func(m fstest.MapFS) {
			m["races-x/testdata/wrong/sleep/a.go"] = &fstest.MapFile{Data: []byte("package a\n")}
		}, "testdata/wrong/sleep is not listed"},
		{"missing wrong fix dir", func(m fstest.MapFS) { delete(m, "races-x/testdata/wrong/half/a.go") }, `wrong fix "half"`},
		{"unlisted right fix", func(m fstest.MapFS) {
			m["races-x/testdata/right/atomic/a.go"] = &fstest.MapFile{Data: []byte("package a\n")}
		}, "testdata/right/atomic is not listed under right:"},
		{"read-only file not shipped", func(m fstest.MapFS) {
			m["races-x/exercise.md"] = &fstest.MapFile{Data: []byte(strings.Replace(good, "order: 1", "order: 1\nreadonly: [store/b.go]", 1))}
		}, `readonly: "store/b.go" is not a Go source file of testdata/start`},
		{"read-only file changed by the solution", func(m fstest.MapFS) {
			m["races-x/exercise.md"] = &fstest.MapFile{Data: []byte(strings.Replace(good, "order: 1", "order: 1\nreadonly: [a.go]", 1))}
		}, "a.go is read-only, and a fix changes it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.edit(m)
			_, err := Load(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "races-x") {
				t.Fatalf("got error %v, want one naming races-x and containing %q", err, tt.want)
			}
		})
	}
}

// TestLoadPredictions: the predict: entries of the front matter, each
// checked against the measure line of check.txtar it names.
func TestLoadPredictions(t *testing.T) {
	const md = `---
title: A request counter
topic: races
lesson: races#counters
order: 1
hints: [one, two]
wrong:
  - name: half
    why: only one side
%s---
The task.
`
	const script = `# Counting must not race.
go test -race -count=2 .
measure races race
# Counting must not allocate.
go test -count=1 -run=^TestCheckAllocs$ .
measure allocs allocs
measure mode value
-- check_test.go --
package a
`
	exercise := func(predict, script string) fstest.MapFS {
		return fstest.MapFS{
			"go.sum":                           {Data: []byte("")},
			"races-x/exercise.md":              {Data: []byte(fmt.Sprintf(md, predict))},
			"races-x/check.txtar":              {Data: []byte(script)},
			"races-x/testdata/start/a.go":      {Data: []byte("package a\n")},
			"races-x/testdata/solution/a.go":   {Data: []byte("package a\n")},
			"races-x/testdata/wrong/half/a.go": {Data: []byte("package a\n")},
		}
	}
	tests := []struct {
		name, predict, script string
		want                  string // an error containing it, or "" for a good exercise
		check                 func(*testing.T, []predict.Question)
	}{
		{"none", "", script, "", func(t *testing.T, qs []predict.Question) {
			if len(qs) != 0 {
				t.Errorf("got %d predictions, want none", len(qs))
			}
		}},
		{"a race and a count", `predict:
  - id: races
    question: Does the counter race?
    measure: races
  - id: allocs
    question: How many allocations per request?
    measure: allocs
  - id: mode
    question: Which lock does it take?
    measure: mode
    answer: choice
    choices: [mutex, atomic]
`, script, "", func(t *testing.T, qs []predict.Question) {
			want := []predict.Question{
				{ID: "races", Text: "Does the counter race?", Measure: "races", Answer: predict.YesNo, Kind: predict.KindRace},
				{ID: "allocs", Text: "How many allocations per request?", Measure: "allocs", Answer: predict.Number, Unit: "allocation", Kind: predict.KindAllocs},
				{ID: "mode", Text: "Which lock does it take?", Measure: "mode", Answer: predict.Choice, Choices: []string{"mutex", "atomic"}, Kind: predict.KindValue},
			}
			if fmt.Sprint(qs) != fmt.Sprint(want) {
				t.Errorf("got %+v\nwant %+v", qs, want)
			}
		}},
		{"a measurement the check never takes", "predict:\n  - {id: left, question: 'How many are left?', measure: goroutines-left}\n", script,
			`compared with measurement "goroutines-left", and no ` + "`measure goroutines-left …`" + ` line of check.txtar takes it`, nil},
		{"no measurement named", "predict:\n  - {id: left, question: 'How many are left?'}\n", script, "measure is missing", nil},
		{"the same id twice", "predict:\n  - {id: r, question: 'Race?', measure: races}\n  - {id: r, question: 'Again?', measure: races}\n", script, `the id "r" is used twice`, nil},
		{"a number for a race", "predict:\n  - {id: r, question: 'Race?', measure: races, answer: number}\n", script, "answer: yes/no", nil},
		{"a value without a kind of answer", "predict:\n  - {id: m, question: 'Which?', measure: mode}\n", script, "say which kind of answer", nil},
		{"an unknown field", "predict:\n  - {id: r, question: 'Race?', measure: races, answr: yes}\n", script, "field answr not found", nil},
		{"a race measured without -race", "predict:\n  - {id: r, question: 'Race?', measure: races}\n", strings.Replace(script, "go test -race -count=2 .", "go test -count=2 .", 1),
			"check.txtar: line 3: measure: races: a data race is reported by `go test -race`", nil},
		{"a measure before any go command", "", "measure races race\ngo test -race .\n", "follows no go command", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := Load(exercise(tt.predict, tt.script))
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "races-x") {
					t.Fatalf("got error %v, want one naming races-x and containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, cat.List[0].Predictions)
		})
	}
}

// TestUnmeasured: verification demands that the shipped code's check and
// every passing variant's measure each prediction with an answer to it.
func TestUnmeasured(t *testing.T) {
	q := predict.Question{ID: "mode", Text: "Which?", Measure: "mode", Answer: predict.Choice, Choices: []string{"mutex", "atomic"}}
	if err := q.Resolve(predict.KindValue); err != nil {
		t.Fatal(err)
	}
	ex := &Exercise{Name: "races-x", Predictions: []predict.Question{q}}
	measured := func(v string) []runner.Event {
		return []runner.Event{{Type: runner.TypeMeasure, Name: "mode", Value: v}}
	}
	tests := []struct {
		variant Variant
		events  []runner.Event
		want    string // in the one sentence, or "" for none
	}{
		{Variant{Name: "shipped"}, measured("mutex"), ""},
		{Variant{Name: "shipped"}, nil, "the check of the shipped code never measured mode"},
		{Variant{Name: "solution", WantPass: true}, measured("channel"), `measured mode = "channel", which is no answer`},
		{Variant{Name: "right/rw", WantPass: true}, nil, "the check of the right/rw code never measured mode"},
		{Variant{Name: "wrong/sleep"}, nil, ""},
	}
	for _, tt := range tests {
		got := Outcome{Exercise: ex, Variant: tt.variant, Events: tt.events}.Unmeasured()
		switch {
		case tt.want == "" && len(got) > 0:
			t.Errorf("%s: got %q, want nothing", tt.variant.Name, got)
		case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
			t.Errorf("%s: got %q, want one sentence containing %q", tt.variant.Name, got, tt.want)
		}
	}
}

func TestWorkFiles(t *testing.T) {
	ex := &Exercise{
		Name: "leaks-x", Go: "1.26",
		Start:  map[string][]byte{"a.go": []byte("package a\n"), "a_test.go": []byte("package a // shipped\n")},
		goSum:  []byte("go.uber.org/goleak v1.3.0 h1:x=\ngo.uber.org/goleak v1.3.0/go.mod h1:y=\n"),
		Script: []byte("go test .\n-- check_test.go --\npackage a\nimport \"go.uber.org/goleak\"\n"),
	}
	files := ex.WorkFiles(map[string][]byte{
		"a.go":      []byte("package a // learner\n"),
		"a_test.go": []byte("package a // learner deleted the test\n"),
		"extra.go":  []byte("package a\n"),
		"notes.txt": []byte("mine"),
	})
	checks := map[string]string{
		"a.go":      "package a // learner\n",
		"a_test.go": "package a // shipped\n",
		"extra.go":  "package a\n",
		"go.mod":    "module leaks-x\n\ngo 1.26\n\nrequire go.uber.org/goleak v1.3.0\n",
		"go.sum":    "go.uber.org/goleak v1.3.0 h1:x=\ngo.uber.org/goleak v1.3.0/go.mod h1:y=\n",
	}
	for name, want := range checks {
		if got := string(files[name]); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	if _, ok := files["notes.txt"]; ok {
		t.Errorf("notes.txt was copied into the check")
	}

	// A read-only file is always the shipped one, and the check says so.
	ex.Start["store.go"] = []byte("package a // shipped store\n")
	ex.ReadOnly = []string{"store.go"}
	c := ex.Check("", map[string][]byte{"a.go": []byte("package a\n"), "store.go": []byte("package a // learner's store\n")})
	if got := string(c.Files["store.go"]); got != "package a // shipped store\n" {
		t.Errorf("read-only store.go: got %q, want the shipped copy", got)
	}
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "You changed store.go, which this exercise ships read-only") {
		t.Errorf("notes: got %q, want one about store.go", c.Notes)
	}
	if !c.ProveTests {
		t.Errorf("an exercise check must prove its tests ran")
	}
	if got := ex.EditableNames(); !slices.Equal(got, []string{"a.go"}) {
		t.Errorf("EditableNames: got %q", got)
	}
	if got := ex.ShippedNames(); !slices.Equal(got, []string{"a_test.go", "store.go"}) {
		t.Errorf("ShippedNames: got %q", got)
	}
	mod, _ := (&Exercise{Name: "races-y", Go: "1.21", goSum: ex.goSum, Start: map[string][]byte{"a.go": []byte("package a\n")}}).GoMod()
	if string(mod) != "module races-y\n\ngo 1.21\n" {
		t.Errorf("go.mod without goleak: got %q", mod)
	}
}

func TestShorten(t *testing.T) {
	if got := Shorten("pool"); got != "pool" {
		t.Errorf("Shorten(pool) = %q", got)
	}
	long := strings.Repeat("é", 100)
	if got := Shorten(long); len(got) > 64+len("…") || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
		t.Errorf("Shorten of 200 bytes: %q", got)
	}
	err := (&UnknownError{Name: strings.Repeat("x", 1<<20)}).Error()
	if len(err) > 200 {
		t.Errorf("the error for a 1 MiB name is %d bytes long", len(err))
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"races-request-counter", "leaks-first-response", "pool-reset-buffer"}
	tests := []struct {
		in   string
		want []string
	}{
		{"races-request-countr", []string{"races-request-counter"}},
		{"pool", []string{"pool-reset-buffer"}},
		{"leaks-first-responce", []string{"leaks-first-response"}},
		{"zzzz", nil},
		{strings.Repeat("races-request-counter", 4), nil}, // too long to be a typo
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, names); !slices.Equal(got, tt.want) {
			t.Errorf("Suggest(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestModulesArchive loads an exercise that ships its own go.mod and the
// module versions it needs: the go.mod replaces the generated one, and the
// modules' files join the shipped files, their Go files read-only.
func TestModulesArchive(t *testing.T) {
	md := "---\ntitle: A drift\ntopic: modules\nlesson: modules#mvs\nhints: [one, two]\nwrong:\n  - name: pin\n    why: MVS\n---\nThe task.\n"
	mods := "Modules.\n-- go.mod --\nmodule modules-x\n\ngo 1.26\n\nrequire example.com/money v1.4.0\n\nreplace example.com/money v1.4.0 => ./third_party/money\n" +
		"-- third_party/money/go.mod --\nmodule example.com/money\n-- third_party/money/money.go --\npackage money\n"
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"go.sum":                            {Data: []byte("")},
			"modules-x/exercise.md":             {Data: []byte(md)},
			"modules-x/check.txtar":             {Data: []byte("go test .\n")},
			"modules-x/modules.txtar":           {Data: []byte(mods)},
			"modules-x/testdata/start/a.go":     {Data: []byte("package a\n")},
			"modules-x/testdata/solution/a.go":  {Data: []byte("package a\n")},
			"modules-x/testdata/wrong/pin/a.go": {Data: []byte("package a\n")},
		}
	}
	cat, err := Load(base())
	if err != nil {
		t.Fatal(err)
	}
	ex, _ := cat.Lookup("modules-x")
	files := ex.WorkFiles(map[string][]byte{"a.go": []byte("package a\n"), "third_party/money/money.go": []byte("package money // edited\n")})
	if got := string(files["go.mod"]); !strings.HasPrefix(got, "module modules-x\n\ngo 1.26\n\nrequire example.com/money") {
		t.Errorf("go.mod: got %q, want the archive's", got)
	}
	if got := string(files["third_party/money/money.go"]); got != "package money\n" {
		t.Errorf("a module's Go file: got %q, want the shipped copy (read-only)", got)
	}
	if files["third_party/money/go.mod"] == nil {
		t.Errorf("the module's go.mod is not among the work files")
	}
	if mod, _ := ex.GoMod(); !strings.Contains(string(mod), "replace example.com/money") {
		t.Errorf("the workspace's go.mod: got %q, want the archive's", mod)
	}

	bad := []struct{ name, archive, want string }{
		{"no go.mod", "-- third_party/money/go.mod --\nmodule example.com/money\n", "has no go.mod"},
		{"other module", strings.Replace(mods, "module modules-x", "module other", 1), `go.mod must start with "module modules-x"`},
		{"other go line", strings.Replace(mods, "go 1.26", "go 1.22", 1), `go.mod must say "go 1.26"`},
		{"a file outside a module", mods + "-- notes.txt --\nhi\n", "notes.txt is not in a module's directory"},
		{"a shipped file twice", mods + "-- a.go --\npackage a\n", "a.go"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			m := base()
			m["modules-x/modules.txtar"] = &fstest.MapFile{Data: []byte(b.archive)}
			if _, err := Load(m); err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), "modules-x") {
				t.Fatalf("got error %v, want one naming modules-x and saying %q", err, b.want)
			}
		})
	}
}
