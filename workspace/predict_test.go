package workspace

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/runner"
)

// predictions returns the prediction events of a check.
func predictions(events []runner.Event) []runner.Event {
	var out []runner.Event
	for i, e := range events {
		if e.Type == runner.TypePrediction {
			if i == 0 || events[i-1].Type != runner.TypeMeasure || events[i-1].Name != e.Name {
				panic("a prediction event not right after its measure event")
			}
			out = append(out, e)
		}
	}
	return out
}

// TestPredictions: an answer is recorded, the next check that measures it
// settles it — a prediction event right after the measure event, the
// progress, the room's activity — and a later check only says what it
// measured, until the learner predicts again.
func TestPredictions(t *testing.T) {
	fsys := fstest.MapFS{
		"go.sum":                               {Data: []byte("")},
		"leaks-left/exercise.md":               {Data: []byte("---\ntitle: T\ntopic: leaks\nlesson: leaks#x\norder: 1\nhints: [a, b]\nwrong: [{name: w, why: y}]\npredict:\n  - {id: left, question: 'How many are left?', measure: left}\n---\nTask.\n")},
		"leaks-left/check.txtar":               {Data: []byte("# It runs.\ngo run .\nmeasure left goroutines\n# It leaves none.\n! stdout 'left: [1-9]'\n")},
		"leaks-left/testdata/start/main.go":    {Data: []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"left: 3\") }\n")},
		"leaks-left/testdata/solution/main.go": {Data: []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"left: 0\") }\n")},
		"leaks-left/testdata/wrong/w/main.go":  {Data: []byte("package main\n")},
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
	progress := func() *Progress {
		t.Helper()
		p, err := ws.Progress()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	check := func() []runner.Event {
		t.Helper()
		var events runner.Collect
		if _, err := ws.Check(context.Background(), r, ex, &events); err != nil {
			t.Fatal(err)
		}
		return predictions(events.Events)
	}

	if got := progress().Unanswered(ex); len(got) != 1 || got[0].ID != "left" {
		t.Fatalf("Unanswered before any answer: got %+v", got)
	}
	if err := ws.Predict(ex, map[string]string{"left": "three"}); !errors.Is(err, predict.ErrBadAnswer) {
		t.Fatalf("a word for a number: got %v, want ErrBadAnswer", err)
	}
	if err := ws.Predict(ex, map[string]string{"right": "3"}); err == nil {
		t.Fatalf("an unknown question: no error")
	}
	if p := progress().Prediction(ex.Name, "left"); p != nil {
		t.Fatalf("a bad answer was recorded: %+v", p)
	}

	// Answered, then measured by a check: settled, and wrong.
	if err := ws.Predict(ex, map[string]string{"left": " 0 "}); err != nil {
		t.Fatal(err)
	}
	if p := progress().Prediction(ex.Name, "left"); !p.Open() || p.Answer != "0" {
		t.Fatalf("after the answer: %+v, want it open with answer 0", p)
	}
	if got := progress().Unanswered(ex); len(got) != 0 {
		t.Errorf("Unanswered after the answer: got %+v", got)
	}
	got := check()
	if len(got) != 1 || got[0].Question != "left" || got[0].Answer != "0" || got[0].Value != "3" || got[0].Right == nil || *got[0].Right ||
		got[0].Message != "You said 0 goroutines; it is 3." {
		t.Fatalf("first check: prediction events %+v", got)
	}
	if p := progress().Prediction(ex.Name, "left"); p.Open() || p.Measured != "3" || p.Right || p.MeasuredAt.IsZero() {
		t.Errorf("after the first check: %+v, want it settled, wrong, at 3", p)
	}
	last := heard.list[len(heard.list)-1]
	if last.Kind != ActivityChecked || len(last.Predictions) != 1 || last.Predictions[0] != (Settled{ID: "left", Answer: "0", Measured: "3"}) {
		t.Errorf("the room heard %+v, want the settled prediction", last)
	}

	// A later check says what it measured, and settles nothing.
	got = check()
	if len(got) != 1 || got[0].Answer != "" || got[0].Right != nil || got[0].Message != "It is 3 goroutines." {
		t.Errorf("second check: prediction events %+v", got)
	}
	if last := heard.list[len(heard.list)-1]; len(last.Predictions) != 0 {
		t.Errorf("the room heard a prediction again: %+v", last.Predictions)
	}

	// Predicting again opens it again.
	if err := ws.Predict(ex, map[string]string{"left": "3"}); err != nil {
		t.Fatal(err)
	}
	got = check()
	if len(got) != 1 || got[0].Right == nil || !*got[0].Right || got[0].Message != "You said 3 goroutines, and it is 3." {
		t.Errorf("third check: prediction events %+v", got)
	}
	if p := progress().Prediction(ex.Name, "left"); !p.Right || p.Measured != "3" {
		t.Errorf("after the third check: %+v", p)
	}
}

// TestLessonPredictions: a lesson program's run settles the learner's
// predictions about it, kept by the lesson's topic.
func TestLessonPredictions(t *testing.T) {
	doc := "---\ntitle: Leaks\ntopic: leaks\n---\n" +
		"```go\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"left: 2\") }\n```\n\n" +
		"```predict\nid: left\nquestion: How many are left?\nmeasure: goroutines\n```\n\n" +
		"```output\n$ go run .\nleft: 2\n```\n"
	l, err := lessons.Parse("leaks.md", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Load(fstest.MapFS{"go.sum": {Data: []byte("")}})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Create(filepath.Join(t.TempDir(), "ws"), cat)
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(context.Background())
	if err != nil {
		t.Skipf("no Go toolchain to run with: %v", err)
	}
	r.WorkRoot = t.TempDir()
	prog := l.Programs[0]
	if err := ws.PredictLesson(l, prog, map[string]string{"left": "2"}); err != nil {
		t.Fatal(err)
	}
	var events runner.Collect
	res, err := ws.RunProgram(context.Background(), r, l, prog, "lesson-leaks-0", &events)
	if err != nil || !res.Pass {
		t.Fatalf("run: %v, pass %v: %+v", err, res.Pass, events.Events)
	}
	got := predictions(events.Events)
	if len(got) != 1 || got[0].Message != "You said 2 goroutines, and it is 2." {
		t.Errorf("prediction events %+v", got)
	}
	p, err := ws.Progress()
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.LessonPrediction("leaks", "left"); pr == nil || pr.Measured != "2" || !pr.Right {
		t.Errorf("the lesson's prediction: %+v, want it settled and right", pr)
	}
}
