package warm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// fixture builds a catalog of two exercises: "races-blocker", whose check
// runs a program that waits until the file release exists (after creating
// started), and "races-quick", an ordinary quick check.
func fixture(t *testing.T, dir string) *exercises.Catalog {
	t.Helper()
	md := func(order int) string {
		return fmt.Sprintf("---\ntitle: X\ntopic: races\nlesson: races#x\norder: %d\nhints: [a, b]\nwrong:\n  - {name: w, why: w}\n---\nThe task.\n", order)
	}
	blocker := fmt.Sprintf(`package main

import (
	"os"
	"time"
)

func main() {
	os.WriteFile(%q, nil, 0o666)
	for {
		if _, err := os.Stat(%q); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
`, filepath.Join(dir, "started"), filepath.Join(dir, "release"))
	quick := "package quick\n\nimport \"strings\"\n\nfunc Up(s string) string { return strings.ToUpper(s) }\n"
	quickTest := "package quick\n\nimport \"testing\"\n\nfunc TestUp(t *testing.T) {\n\tif Up(\"a\") != \"A\" {\n\t\tt.Fatal(\"Up\")\n\t}\n}\n"
	cat, err := exercises.Load(fstest.MapFS{
		"go.sum":                                   {Data: nil},
		"races-blocker/exercise.md":                {Data: []byte(md(1))},
		"races-blocker/check.txtar":                {Data: []byte("go run .\n")},
		"races-blocker/testdata/start/main.go":     {Data: []byte(blocker)},
		"races-blocker/testdata/solution/main.go":  {Data: []byte(blocker)},
		"races-blocker/testdata/wrong/w/main.go":   {Data: []byte(blocker)},
		"races-quick/exercise.md":                  {Data: []byte(md(2))},
		"races-quick/check.txtar":                  {Data: []byte("go test -count=1 .\n")},
		"races-quick/testdata/start/quick.go":      {Data: []byte(quick)},
		"races-quick/testdata/start/quick_test.go": {Data: []byte(quickTest)},
		"races-quick/testdata/solution/quick.go":   {Data: []byte(quick)},
		"races-quick/testdata/wrong/w/quick.go":    {Data: []byte(quick)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func newRunner(t *testing.T) *runner.Runner {
	t.Helper()
	r, err := runner.New(context.Background())
	if err != nil {
		t.Fatalf("this machine cannot run checks: %v", err)
	}
	r.WorkRoot = t.TempDir()
	return r
}

func waitFile(t *testing.T, path string, stop <-chan error) {
	t.Helper()
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case err := <-stop:
			t.Fatalf("the warm ended (%v) before %s appeared", err, path)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// A check started while the warm-up is busy does not wait for it: the warm
// is held inside a job that never ends by itself, and the check finishes.
func TestCheckDoesNotWaitForWarm(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t)
	cat := fixture(t, dir)
	blocker, _ := cat.Lookup("races-blocker")
	quick, _ := cat.Lookup("races-quick")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan error, 1)
	go func() { ended <- Run(ctx, Config{Runner: r, Catalog: cat, Only: []*exercises.Exercise{blocker}}) }()
	waitFile(t, filepath.Join(dir, "started"), ended)

	st, running := Progress(r)
	if !running || st.Job != "races-blocker" {
		t.Fatalf("Progress = %+v, %v; want the warm running races-blocker", st, running)
	}
	res := r.Run(context.Background(), quick.Check("", quick.Start), runner.SinkFunc(func(runner.Event) {}))
	if !res.Pass {
		t.Fatalf("the check failed: %+v", res)
	}
	if _, running := Progress(r); !running {
		t.Fatal("the warm ended before the check: the test proves nothing")
	}
	if err := Run(ctx, Config{Runner: r, Catalog: cat}); err != ErrRunning {
		t.Errorf("a second warm: got %v, want ErrRunning", err)
	}
	os.WriteFile(filepath.Join(dir, "release"), nil, 0o666)
	if err := <-ended; err != nil {
		t.Fatalf("warm: %v", err)
	}
	if Done(r, cat) {
		t.Error("a warm of some exercises recorded a finished warm of all")
	}
}

// The warm starts no job while a learner's check runs, warms the learner's
// current exercise first, and records a finished warm.
func TestWarmYieldsAndFinishes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "release"), nil, 0o666) // the blocker ends at once
	r := newRunner(t)
	cat := fixture(t, dir)

	// A check holds the active lock: the warm waits.
	release := make(chan struct{})
	holding := make(chan struct{})
	go r.Run(context.Background(), runner.Check{Name: "holder", Script: []byte("go run .\n"), Files: map[string][]byte{
		"go.mod":  []byte("module holder\n\ngo 1.26\n"),
		"main.go": []byte(fmt.Sprintf("package main\n\nimport (\n\t\"os\"\n\t\"time\"\n)\n\nfunc main() {\n\tos.WriteFile(%q, nil, 0o666)\n\tfor {\n\t\tif _, err := os.Stat(%q); err == nil {\n\t\t\treturn\n\t\t}\n\t\ttime.Sleep(10 * time.Millisecond)\n\t}\n}\n", filepath.Join(dir, "holding"), filepath.Join(dir, "go"))),
	}}, runner.SinkFunc(func(e runner.Event) {
		if e.Type == runner.TypeVerdict {
			close(release)
		}
	}))
	go func() {
		waitFile(t, filepath.Join(dir, "holding"), nil)
		close(holding)
	}()
	<-holding

	var jobs []string
	yields := make(chan struct{}, 100)
	ended := make(chan error, 1)
	go func() {
		ended <- Run(context.Background(), Config{Runner: r, Catalog: cat, pause: time.Millisecond,
			yielded: func() { yields <- struct{}{} },
			Progress: func(st Status) {
				if n := len(jobs); n == 0 || jobs[n-1] != st.Job {
					jobs = append(jobs, st.Job)
				}
			}})
	}()
	for range 3 {
		<-yields
	}
	if st, _ := Progress(r); st.Done != 0 {
		t.Fatalf("the warm did work while a check ran: %+v", st)
	}
	os.WriteFile(filepath.Join(dir, "go"), nil, 0o666)
	<-release
	if err := <-ended; err != nil {
		t.Fatal(err)
	}
	if want := []string{"the standard library", "races-blocker", "races-quick", ""}; !slices.Equal(jobs, want) {
		t.Errorf("jobs: got %q, want %q", jobs, want)
	}
	if !Done(r, cat) {
		t.Error("a finished warm is not recorded")
	}
}

func TestStdImports(t *testing.T) {
	cat, err := exercises.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	got := stdImports(cat)
	for _, want := range []string{"testing", "sync", "net/http", "testing/synctest"} {
		if !slices.Contains(got, want) {
			t.Errorf("stdImports lacks %s: %q", want, got)
		}
	}
	for _, p := range got {
		if p == "go.uber.org/goleak" {
			t.Errorf("stdImports has a module outside the standard library: %s", p)
		}
	}
}
