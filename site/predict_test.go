package site

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-blindspots/workbook/internal/browsertest"
)

// TestPredictionInBrowser: in a real browser, with real checks, the learner
// answers an exercise's question before checking; the check measures it,
// and the page says the answer against the measurement, which the progress
// keeps and the page shows again after a reload, with a way to predict again.
func TestPredictionInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, nil)
	ex, _ := ts.cat.Lookup("races-request-counter")
	if len(ex.Predictions) == 0 {
		t.Fatalf("%s asks no question", ex.Name)
	}
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the exercise", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name+"?token="+testToken))
	tb.WaitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)
	q := `document.querySelector('#predict .prediction[data-question="races"]')`
	tb.WaitJS("the question shows under the task", `!document.querySelector("#predict").hidden && `+q)
	if got := tb.JS(q + `.querySelector(".question").innerText`); !strings.Contains(got, "go test -race") {
		t.Errorf("the question reads %q", got)
	}

	// The learner predicts no race, and checks.
	tb.JS(q + `.querySelector('input[value="no"]').click(); "answered"`)
	tb.JS(`document.querySelector("#check").click(); "clicked"`)
	tb.WaitJS("the answer is sent", q+`.querySelector(".prediction-verdict").textContent.startsWith("You said no; measuring")`)
	tb.WaitJS("the answer is compared with the measurement", q+`.dataset.right`)
	if got, want := tb.JS(q+`.querySelector(".prediction-verdict").textContent`), "You said no; the race detector says yes."; got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}
	if tb.JS(q+`.dataset.right`) != "false" || tb.JS(`String(`+q+`.querySelector(".answer-row").hidden)`) != "true" {
		t.Errorf("a wrong prediction: data-right %s, answer row hidden %s", tb.JS(q+`.dataset.right`), tb.JS(`String(`+q+`.querySelector(".answer-row").hidden)`))
	}
	tb.WaitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
	tb.Screenshot("prediction")

	p, err := ts.ws.Progress()
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.Prediction(ex.Name, "races"); pr == nil || pr.Answer != "no" || pr.Measured != "yes" || pr.Right {
		t.Fatalf("the progress keeps %+v, want no against yes", pr)
	}

	// After a reload the page says it again, and the learner may predict again.
	tb.Do("reload", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name))
	tb.WaitJS("the question shows", q)
	if got := tb.JS(q + `.querySelector(".prediction-verdict").textContent`); got != "You said no; the race detector says yes." {
		t.Errorf("after a reload the page says %q", got)
	}
	tb.JS(q + `.querySelector("button.again").click(); "again"`)
	if tb.JS(`String(`+q+`.querySelector(".answer-row").hidden)`) != "false" {
		t.Error("Predict again does not ask again")
	}
}

// TestLessonPredictionInBrowser: in a real browser, with a real run, the
// reader of a lesson finds the output of a program folded under its
// question, answers, runs the program, and sees their answer against what
// the compiler said; the output unfolds, and the progress keeps the answer.
func TestLessonPredictionInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	ts := newTestServer(t, nil)
	tb := &browsertest.Tab{T: t, Ctx: ctx}
	tb.Do("open the lesson", chromedp.Navigate(ts.URL+"/lesson/escape?token="+testToken))
	q := `document.querySelector('.predict .prediction[data-question="a-escapes"]')`
	tb.WaitJS("the question shows under its program", q)
	prog := tb.JS(`String(JSON.parse(document.querySelector("#lesson-data").textContent).predictions.find((q) => q.id === "a-escapes").program)`)
	block := `document.querySelector('.program[data-program="` + prog + `"]')`
	// The program's output blocks, up to the next program: the answer.
	outputs := `(() => { const out = []; let seen = false;
		for (const n of document.querySelectorAll(".program, pre.output")) {
			if (n.classList.contains("program")) { if (seen) break; seen = n.dataset.program === "` + prog + `"; continue; }
			if (seen) out.push(n);
		}
		return out })()`
	if got := tb.JS(`String(` + outputs + `.length > 0 && ` + outputs + `.every((o) => o.hidden))`); got != "true" {
		t.Fatalf("before the reader predicts, the program's output is not folded away (all hidden: %s)", got)
	}
	if tb.JS(`String(!!`+q+`.parentElement.querySelector("button.show-output"))`) != "true" {
		t.Error("no way to see the output without predicting")
	}

	// The reader says a escapes, and runs the program.
	tb.JS(q + `.querySelector('input[value="yes"]').click(); "answered"`)
	tb.JS(block + `.querySelector("button.run").click(); "clicked"`)
	tb.WaitJS("the answer is compared with the measurement", q+`.dataset.right`)
	if got, want := tb.JS(q+`.querySelector(".prediction-verdict").textContent`), "You said yes; the compiler says no."; got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}
	if tb.JS(q+`.dataset.right`) != "false" {
		t.Errorf("a wrong prediction: data-right %s", tb.JS(q+`.dataset.right`))
	}
	if got := tb.JS(`String(` + outputs + `.every((o) => !o.hidden))`); got != "true" {
		t.Error("once compared, the program's output stays folded")
	}
	tb.Screenshot("lesson-prediction")

	p, err := ts.ws.Progress()
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.LessonPrediction("escape", "a-escapes"); pr == nil || pr.Answer != "yes" || pr.Measured != "no" || pr.Right {
		t.Fatalf("the progress keeps %+v, want yes against no", pr)
	}
}
