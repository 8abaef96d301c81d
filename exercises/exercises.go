// Package exercises holds the workbook's exercises, embedded in the binary, and
// loads them into a validated catalog: task text, hints, the check script, the
// shipped buggy files, the reference solution and the wrong fixes.
//
// The format is described for authors in exercises/README.md.
package exercises

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/go-blindspots/workbook/frontmatter"
	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
)

//go:embed */exercise.md */check.txtar */testdata */modules.txtar go.sum
var embedded embed.FS

// Topics are the topic ids, in curriculum order: correctness before
// optimisation. A data race, a deadlock, a lost cancellation or a leak is a
// wrong program; an allocation is a slow one, and measuring it is only worth
// it once the program is right. Modules and the production capstone come
// last because they build on all the others.
var Topics = []string{"races", "locks", "context", "leaks", "defer", "init", "memory", "pool", "escape", "modules", "production"}

// DefaultGo is the go line of an exercise's generated go.mod unless its front matter says otherwise.
const DefaultGo = "1.26"

// Exercise is one exercise of the catalog.
type Exercise struct {
	Name   string // directory name, e.g. "races-request-counter"
	Title  string
	Topic  string // one of Topics
	Lesson string // "<topic>#<section>"
	Order  int    // position within the topic
	Go     string // go line of the generated go.mod
	Hints  []string
	Task   string // Markdown body of exercise.md
	Wrong  []WrongFix
	Right  []RightFix
	// ReadOnly lists files the learner gets but whose edits a check never
	// uses (a package the task says to leave alone): slash paths within Start.
	ReadOnly []string
	// Predictions are the questions asked before a check, each compared
	// with a measurement that the check script takes (a measure line).
	Predictions []predict.Question

	Script   []byte            // check.txtar
	Start    map[string][]byte // testdata/start: the files the learner gets
	Solution map[string][]byte // testdata/solution: files that replace Start's

	goSum []byte
	// goMod is the go.mod of modules.txtar, when the exercise ships one: it
	// replaces the generated module and go lines.
	goMod []byte
}

// WrongFix is a plausible wrong fix that the check must reject.
type WrongFix struct {
	Name  string            `yaml:"name"`
	Why   string            `yaml:"why"`
	Files map[string][]byte `yaml:"-"` // files that replace Start's
}

// RightFix is a correct fix other than the reference solution, which the
// check must accept: a check that rejects a right fix is as wrong as one that
// accepts a bug.
type RightFix struct {
	Name  string            `yaml:"name"`
	Why   string            `yaml:"why"`
	Files map[string][]byte `yaml:"-"` // files that replace Start's
}

// Catalog is the loaded, validated set of exercises, in curriculum order.
type Catalog struct {
	List   []*Exercise
	byName map[string]*Exercise
	goSum  []byte
}

// GoSum returns the go.sum lines of every module beyond the standard library
// that checks may need (exercises/go.sum).
func (c *Catalog) GoSum() []byte { return c.goSum }

// Embedded loads the exercises compiled into the binary.
func Embedded() (*Catalog, error) {
	return Load(embedded)
}

// Load reads and validates every exercise directory in fsys, which has the
// layout of the exercises/ directory. A broken exercise is an error naming its file.
func Load(fsys fs.FS) (*Catalog, error) {
	goSum, err := fs.ReadFile(fsys, "go.sum")
	if err != nil {
		return nil, fmt.Errorf("load exercises: %w", err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("load exercises: %w", err)
	}
	c := &Catalog{byName: make(map[string]*Exercise), goSum: goSum}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ex, err := loadExercise(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		ex.goSum = goSum
		c.List = append(c.List, ex)
		c.byName[ex.Name] = ex
	}
	slices.SortFunc(c.List, func(a, b *Exercise) int {
		return cmp.Or(
			cmp.Compare(slices.Index(Topics, a.Topic), slices.Index(Topics, b.Topic)),
			cmp.Compare(a.Order, b.Order),
			cmp.Compare(a.Name, b.Name))
	})
	return c, nil
}

// Lookup returns the named exercise, or an error that suggests close names.
func (c *Catalog) Lookup(name string) (*Exercise, error) {
	if ex, ok := c.byName[name]; ok {
		return ex, nil
	}
	names := make([]string, len(c.List))
	for i, ex := range c.List {
		names[i] = ex.Name
	}
	return nil, &UnknownError{Name: name, Suggestions: Suggest(name, names)}
}

// UnknownError reports an exercise name that is not in the catalog.
type UnknownError struct {
	Name        string
	Suggestions []string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("there is no exercise %q", Shorten(e.Name))
	switch len(e.Suggestions) {
	case 0:
		return msg + "; `workbook list` shows them all"
	case 1:
		return msg + fmt.Sprintf("; did you mean %q?", e.Suggestions[0])
	default:
		return msg + fmt.Sprintf("; did you mean one of %s?", strings.Join(quoteAll(e.Suggestions), ", "))
	}
}

func quoteAll(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return q
}

func loadExercise(fsys fs.FS, name string) (*Exercise, error) {
	mdPath := path.Join(name, "exercise.md")
	md, err := fs.ReadFile(fsys, mdPath)
	if err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	var meta struct {
		Title  string     `yaml:"title"`
		Topic  string     `yaml:"topic"`
		Lesson string     `yaml:"lesson"`
		Order  int        `yaml:"order"`
		Go     string     `yaml:"go"`
		Hints  []string   `yaml:"hints"`
		Wrong  []WrongFix `yaml:"wrong"`
		Right  []RightFix `yaml:"right"`
		// ReadOnly: files shipped read-only, like tests.
		ReadOnly []string `yaml:"readonly"`
		// Predict: the questions asked before a check.
		Predict []predict.Question `yaml:"predict"`
	}
	body, err := frontmatter.Parse(md, &meta)
	if err != nil {
		return nil, fmt.Errorf("load exercise %s: %s: %w", name, mdPath, err)
	}
	ex := &Exercise{
		Name: name, Title: meta.Title, Topic: meta.Topic, Lesson: meta.Lesson,
		Order: meta.Order, Go: cmp.Or(meta.Go, DefaultGo), Hints: meta.Hints,
		Wrong: meta.Wrong, Right: meta.Right, ReadOnly: meta.ReadOnly, Task: taskText(body),
		Predictions: meta.Predict,
	}
	if err := ex.validateMeta(); err != nil {
		return nil, fmt.Errorf("load exercise %s: %s: %w", name, mdPath, err)
	}
	scriptPath := path.Join(name, "check.txtar")
	if ex.Script, err = fs.ReadFile(fsys, scriptPath); err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	archive, err := script.ParseArchive(ex.Script)
	if err != nil {
		return nil, fmt.Errorf("load exercise %s: %s: %w", name, scriptPath, err)
	}
	if strings.TrimSpace(string(archive.Comment)) == "" {
		return nil, fmt.Errorf("load exercise %s: %s has no commands", name, scriptPath)
	}
	measures, err := runner.Measures(ex.Script)
	if err != nil {
		return nil, fmt.Errorf("load exercise %s: %s: %w", name, scriptPath, err)
	}
	if err := resolvePredictions(ex.Predictions, measures); err != nil {
		return nil, fmt.Errorf("load exercise %s: %s: %w", name, mdPath, err)
	}
	tree := path.Join(name, "testdata")
	if ex.Start, err = readTree(fsys, path.Join(tree, "start")); err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	if err := ex.loadModules(fsys); err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	if ex.Solution, err = readTree(fsys, path.Join(tree, "solution")); err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	for i := range ex.Wrong {
		w := &ex.Wrong[i]
		if w.Files, err = readTree(fsys, path.Join(tree, "wrong", w.Name)); err != nil {
			return nil, fmt.Errorf("load exercise %s: wrong fix %q: %w", name, w.Name, err)
		}
	}
	for i := range ex.Right {
		r := &ex.Right[i]
		if r.Files, err = readTree(fsys, path.Join(tree, "right", r.Name)); err != nil {
			return nil, fmt.Errorf("load exercise %s: right fix %q: %w", name, r.Name, err)
		}
	}
	if err := listed(fsys, tree, "wrong", namesOf(ex.Wrong, func(w WrongFix) string { return w.Name })); err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	if err := listed(fsys, tree, "right", namesOf(ex.Right, func(r RightFix) string { return r.Name })); err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", name, err)
	}
	for _, ro := range ex.ReadOnly {
		if !isGoSource(ro) || ex.Start[ro] == nil {
			return nil, fmt.Errorf("load exercise %s: %s: readonly: %q is not a Go source file of testdata/start", name, mdPath, ro)
		}
		changes := func(files map[string][]byte) bool { _, ok := files[ro]; return ok }
		if changes(ex.Solution) || slices.ContainsFunc(ex.Right, func(r RightFix) bool { return changes(r.Files) }) {
			return nil, fmt.Errorf("load exercise %s: %s is read-only, and a fix changes it: a check never uses the learner's copy", name, ro)
		}
	}
	return ex, nil
}

// loadModules reads modules.txtar, if the exercise has one: the exercise's
// own go.mod (with the require and replace lines of the module versions it
// needs) and the trees of those versions, which replace lines point at. The
// go command ignores directories that hold a go.mod of their own, and
// //go:embed cannot take files from them, hence the archive. Its files join
// Start, read-only: the learner reads the dependencies, and fixes the bug in
// the exercise's own code.
func (ex *Exercise) loadModules(fsys fs.FS) error {
	file := path.Join(ex.Name, "modules.txtar")
	data, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	a, err := script.ParseArchive(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	for _, f := range a.Files {
		switch {
		case f.Name == "go.mod":
			ex.goMod = f.Data
		case ex.Start[f.Name] != nil:
			return fmt.Errorf("%s: %s is in testdata/start too", file, f.Name)
		case path.Base(f.Name) != "go.mod" && !strings.Contains(f.Name, "/"):
			return fmt.Errorf("%s: %s is not in a module's directory: put the exercise's own files in testdata/start", file, f.Name)
		default:
			ex.Start[f.Name] = f.Data
			if isGoSource(f.Name) {
				ex.ReadOnly = append(ex.ReadOnly, f.Name)
			}
		}
	}
	if ex.goMod == nil {
		return fmt.Errorf("%s has no go.mod", file)
	}
	mod := string(ex.goMod)
	if want := "module " + ex.Name + "\n"; !strings.HasPrefix(mod, want) {
		return fmt.Errorf("%s: go.mod must start with %q", file, strings.TrimSpace(want))
	}
	if want := "\ngo " + ex.Go + "\n"; !strings.Contains(mod, want) {
		return fmt.Errorf("%s: go.mod must say %q, the exercise's go line", file, strings.TrimSpace(want))
	}
	return nil
}

func (ex *Exercise) validateMeta() error {
	switch {
	case ex.Title == "":
		return fmt.Errorf("front matter: title is missing")
	case !slices.Contains(Topics, ex.Topic):
		return fmt.Errorf("front matter: topic %q is not one of %s", ex.Topic, strings.Join(Topics, ", "))
	case !strings.HasPrefix(ex.Lesson, ex.Topic+"#"):
		return fmt.Errorf("front matter: lesson %q must be %s#<section>", ex.Lesson, ex.Topic)
	case len(ex.Hints) < 2 || len(ex.Hints) > 4:
		return fmt.Errorf("front matter: %d hints, want 2 to 4", len(ex.Hints))
	case len(ex.Wrong) == 0:
		return fmt.Errorf("front matter: no wrong fixes; ship at least one under testdata/wrong/")
	case ex.Task == "":
		return fmt.Errorf("the task text is empty")
	}
	for _, w := range ex.Wrong {
		if w.Name == "" || w.Why == "" {
			return fmt.Errorf("front matter: every wrong fix needs a name and a why")
		}
	}
	for _, r := range ex.Right {
		if r.Name == "" || r.Why == "" {
			return fmt.Errorf("front matter: every right fix needs a name and a why")
		}
	}
	return nil
}

// resolvePredictions checks each question against the measurement it names:
// a prediction whose measurement no step of the check takes could never be
// answered.
func resolvePredictions(qs []predict.Question, ms []runner.Measure) error {
	for i := range qs {
		q := &qs[i]
		if slices.ContainsFunc(qs[:i], func(p predict.Question) bool { return p.ID == q.ID }) {
			return fmt.Errorf("predict: the id %q is used twice", q.ID)
		}
		j := slices.IndexFunc(ms, func(m runner.Measure) bool { return m.Name == q.Measure })
		if q.Measure != "" && j < 0 {
			return fmt.Errorf("predict: %s is compared with measurement %q, and no `measure %s …` line of check.txtar takes it", q.ID, q.Measure, q.Measure)
		}
		kind := ""
		if j >= 0 {
			kind = ms[j].Kind
		}
		if err := q.Resolve(kind); err != nil {
			return fmt.Errorf("predict: %w", err)
		}
	}
	return nil
}

// listed checks that every directory under testdata/<kind>/ is listed in the
// front matter, so that no variant is silently left out of verification.
func listed(fsys fs.FS, tree, kind string, names []string) error {
	dirs, _ := fs.ReadDir(fsys, path.Join(tree, kind))
	for _, d := range dirs {
		if !slices.Contains(names, d.Name()) {
			return fmt.Errorf("testdata/%s/%s is not listed under %s: in exercise.md", kind, d.Name(), kind)
		}
	}
	return nil
}

func namesOf[T any](list []T, name func(T) string) []string {
	names := make([]string, len(list))
	for i, v := range list {
		names[i] = name(v)
	}
	return names
}

// readTree reads the files of dir (recursively), keyed by slash path relative to dir.
func readTree(fsys fs.FS, dir string) (map[string][]byte, error) {
	files := make(map[string][]byte)
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		files[strings.TrimPrefix(p, dir+"/")] = data
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s is empty", dir)
	}
	return files, nil
}

// isGoSource reports whether name is a Go source file that is not a test.
func isGoSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}

// Editable reports whether name is a file whose learner edits count in a
// check: a Go source file that is not a test and not shipped read-only.
func (ex *Exercise) Editable(name string) bool {
	return isGoSource(name) && !slices.Contains(ex.ReadOnly, name)
}

// EditableNames lists the shipped files the learner edits, sorted.
func (ex *Exercise) EditableNames() []string {
	var names []string
	for name := range ex.Start {
		if ex.Editable(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// ShippedNames lists the shipped Go files the learner gets but whose edits
// never count (tests and read-only files), sorted.
func (ex *Exercise) ShippedNames() []string {
	var names []string
	for name := range ex.Start {
		if strings.HasSuffix(name, ".go") && !ex.Editable(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// WorkFiles returns the files a check of the learner's code places in its work
// directory: the shipped tests and read-only files, the learner's editable
// files and the generated go.mod and go.sum. (The check script's own archive
// files take precedence over all of them; the runner writes those.)
func (ex *Exercise) WorkFiles(learner map[string][]byte) map[string][]byte {
	files := make(map[string][]byte)
	var srcs [][]byte
	for name, data := range learner {
		if ex.Editable(name) {
			files[name] = data
			srcs = append(srcs, data)
		}
	}
	for name, data := range ex.Start {
		if !ex.Editable(name) {
			files[name] = data
			srcs = append(srcs, data)
		}
	}
	srcs = append(srcs, ex.Script)
	files["go.mod"], files["go.sum"] = ex.goModule(srcs)
	return files
}

// Check returns the runner's check of the given files (the learner's, or a
// variant's): the shipped tests and read-only files replace the learner's
// copies, and a note says so when the learner changed a read-only file.
func (ex *Exercise) Check(variant string, files map[string][]byte) runner.Check {
	c := runner.Check{Name: ex.Name, Variant: variant, Script: ex.Script, Files: ex.WorkFiles(files), ProveTests: true}
	for _, name := range ex.ReadOnly {
		if data, ok := files[name]; ok && !bytes.Equal(data, ex.Start[name]) {
			c.Notes = append(c.Notes, fmt.Sprintf("You changed %s, which this exercise ships read-only (like its tests): the check uses the shipped copy, so fix the bug elsewhere.", name))
		}
	}
	return c
}

// Overlay returns Start with the given files replacing or adding to it.
func (ex *Exercise) Overlay(over map[string][]byte) map[string][]byte {
	files := make(map[string][]byte, len(ex.Start)+len(over))
	for name, data := range ex.Start {
		files[name] = data
	}
	for name, data := range over {
		files[name] = data
	}
	return files
}

// GoMod returns the go.mod and go.sum a workspace copy of the exercise needs.
func (ex *Exercise) GoMod() (goMod, goSum []byte) {
	var srcs [][]byte
	for _, data := range ex.Start {
		srcs = append(srcs, data)
	}
	return ex.goModule(srcs)
}

// goModule writes go.mod and go.sum for the exercise's module, requiring the
// third-party modules (listed in exercises/go.sum) that the sources import.
func (ex *Exercise) goModule(srcs [][]byte) (goMod, goSum []byte) {
	var mod, sum bytes.Buffer
	if ex.goMod != nil {
		mod.Write(ex.goMod)
	} else {
		fmt.Fprintf(&mod, "module %s\n\ngo %s\n", ex.Name, ex.Go)
	}
	for _, line := range strings.Split(string(ex.goSum), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		modPath, version := f[0], strings.TrimSuffix(f[1], "/go.mod")
		quoted := []byte(`"` + modPath)
		if !slices.ContainsFunc(srcs, func(src []byte) bool { return bytes.Contains(src, quoted) }) {
			continue
		}
		if !strings.HasSuffix(f[1], "/go.mod") {
			fmt.Fprintf(&mod, "\nrequire %s %s\n", modPath, version)
		}
		sum.WriteString(line + "\n")
	}
	return mod.Bytes(), sum.Bytes()
}

// taskText returns the task's Markdown without a leading "# Title" heading,
// which would repeat the front matter's title.
func taskText(body []byte) string {
	text := strings.TrimSpace(string(body))
	if first, rest, _ := strings.Cut(text, "\n"); strings.HasPrefix(first, "# ") {
		text = strings.TrimSpace(rest)
	}
	return text
}
