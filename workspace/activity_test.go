package workspace

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// activities is a Reporter that keeps what it hears.
type activities struct {
	mu   sync.Mutex
	list []Activity
}

func (a *activities) Report(act Activity) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.list = append(a.list, act)
}

// TestActivityIsReported: opening an exercise, checking it and taking a
// hint reach the Reporter, in order, with the failing phase's headline and
// what the check found.
func TestActivityIsReported(t *testing.T) {
	fsys := fstest.MapFS{
		"go.sum":                                {Data: []byte("")},
		"leaks-broken/exercise.md":              {Data: []byte("---\ntitle: T\ntopic: leaks\nlesson: leaks#x\norder: 1\nhints: [a, b]\nwrong: [{name: w, why: y}]\n---\nTask.\n")},
		"leaks-broken/check.txtar":              {Data: []byte("# The handler must compile\ngo vet .\n")},
		"leaks-broken/testdata/start/app.go":    {Data: []byte("package app\n\nfunc Handle() int { return undefined }\n")},
		"leaks-broken/testdata/solution/app.go": {Data: []byte("package app\n\nfunc Handle() int { return 1 }\n")},
		"leaks-broken/testdata/wrong/w/app.go":  {Data: []byte("package app\n")},
		"leaks-broken/testdata/start/x_test.go": {Data: []byte("package app\n")},
	}
	cat, err := exercises.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Create(filepath.Join(t.TempDir(), "ws"), cat)
	if err != nil {
		t.Fatal(err)
	}
	heard := &activities{}
	ws.Reporter = heard
	ex := cat.List[0]
	r, err := runner.New(context.Background())
	if err != nil {
		t.Skipf("no Go toolchain to check with: %v", err)
	}
	r.WorkRoot = t.TempDir()

	if err := ws.SetCurrent(ex); err != nil {
		t.Fatal(err)
	}
	var events runner.Collect
	res, err := ws.Check(context.Background(), r, ex, &events)
	if err != nil || res.Pass {
		t.Fatalf("check: %v, pass %v", err, res.Pass)
	}
	if _, err := ws.RevealHint(ex); err != nil {
		t.Fatal(err)
	}

	var kinds []string
	for _, a := range heard.list {
		kinds = append(kinds, a.Kind)
		if a.Exercise != ex.Name || a.At.IsZero() {
			t.Errorf("activity %+v: wrong exercise or no time", a)
		}
	}
	want := []string{ActivityOpened, ActivityCheckStarted, ActivityChecked, ActivityHint}
	if len(kinds) != len(want) {
		t.Fatalf("heard %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("heard %v, want %v", kinds, want)
		}
	}
	checked, hint := heard.list[2], heard.list[3]
	if checked.Result.Message != "The handler must compile" || checked.Result != res {
		t.Errorf("the verdict's headline %q, want the failing phase", checked.Result.Message)
	}
	if len(checked.Findings) == 0 || checked.Findings[0].File != "app.go" {
		t.Errorf("findings %+v, want one in app.go", checked.Findings)
	}
	if checked.Output == "" || len(events.Events) == 0 || events.Events[len(events.Events)-1].Type != runner.TypeVerdict {
		t.Errorf("the check's own sink lost events, or no output was kept")
	}
	if hint.Hints != 1 {
		t.Errorf("hint activity says %d hints shown, want 1", hint.Hints)
	}
}
