package site

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPredictionInBrowser: in a real browser, with real checks, the learner
// answers an exercise's question before checking; the check measures it,
// and the page says the answer against the measurement, which the progress
// keeps and the page shows again after a reload, with a way to predict again.
func TestPredictionInBrowser(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, nil)
	ex, _ := ts.cat.Lookup("races-request-counter")
	if len(ex.Predictions) == 0 {
		t.Fatalf("%s asks no question", ex.Name)
	}
	tb := &tab{t: t, ctx: ctx}
	tb.do("open the exercise", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name+"?token="+testToken))
	tb.waitJS("the editor is up", `window.workbookEditor && document.querySelector(".cm-content")`)
	q := `document.querySelector('#predict .prediction[data-question="races"]')`
	tb.waitJS("the question shows under the task", `!document.querySelector("#predict").hidden && `+q)
	if got := tb.js(q + `.querySelector(".question").innerText`); !strings.Contains(got, "go test -race") {
		t.Errorf("the question reads %q", got)
	}

	// The learner predicts no race, and checks.
	tb.js(q + `.querySelector('input[value="no"]').click(); "answered"`)
	tb.js(`document.querySelector("#check").click(); "clicked"`)
	tb.waitJS("the answer is sent", q+`.querySelector(".prediction-verdict").textContent.startsWith("You said no; measuring")`)
	tb.waitJS("the answer is compared with the measurement", q+`.dataset.right`)
	if got, want := tb.js(q+`.querySelector(".prediction-verdict").textContent`), "You said no; the race detector says yes."; got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}
	if tb.js(q+`.dataset.right`) != "false" || tb.js(`String(`+q+`.querySelector(".answer-row").hidden)`) != "true" {
		t.Errorf("a wrong prediction: data-right %s, answer row hidden %s", tb.js(q+`.dataset.right`), tb.js(`String(`+q+`.querySelector(".answer-row").hidden)`))
	}
	tb.waitJS("the verdict shows", `!document.querySelector("#verdict").hidden`)
	tb.screenshot("prediction")

	p, err := ts.ws.Progress()
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.Prediction(ex.Name, "races"); pr == nil || pr.Answer != "no" || pr.Measured != "yes" || pr.Right {
		t.Fatalf("the progress keeps %+v, want no against yes", pr)
	}

	// After a reload the page says it again, and the learner may predict again.
	tb.do("reload", chromedp.Navigate(ts.URL+"/exercise/"+ex.Name))
	tb.waitJS("the question shows", q)
	if got := tb.js(q + `.querySelector(".prediction-verdict").textContent`); got != "You said no; the race detector says yes." {
		t.Errorf("after a reload the page says %q", got)
	}
	tb.js(q + `.querySelector("button.again").click(); "again"`)
	if tb.js(`String(`+q+`.querySelector(".answer-row").hidden)`) != "false" {
		t.Error("Predict again does not ask again")
	}
}

// TestLessonPredictionInBrowser: in a real browser, with a real run, the
// reader of a lesson finds the output of a program folded under its
// question, answers, runs the program, and sees their answer against what
// the compiler said; the output unfolds, and the progress keeps the answer.
func TestLessonPredictionInBrowser(t *testing.T) {
	ctx := browser(t)
	ts := newTestServer(t, nil)
	tb := &tab{t: t, ctx: ctx}
	tb.do("open the lesson", chromedp.Navigate(ts.URL+"/lesson/escape?token="+testToken))
	q := `document.querySelector('.predict .prediction[data-question="a-escapes"]')`
	tb.waitJS("the question shows under its program", q)
	prog := tb.js(`String(JSON.parse(document.querySelector("#lesson-data").textContent).predictions.find((q) => q.id === "a-escapes").program)`)
	block := `document.querySelector('.program[data-program="` + prog + `"]')`
	// The program's output blocks, up to the next program: the answer.
	outputs := `(() => { const out = []; let seen = false;
		for (const n of document.querySelectorAll(".program, pre.output")) {
			if (n.classList.contains("program")) { if (seen) break; seen = n.dataset.program === "` + prog + `"; continue; }
			if (seen) out.push(n);
		}
		return out })()`
	if got := tb.js(`String(` + outputs + `.length > 0 && ` + outputs + `.every((o) => o.hidden))`); got != "true" {
		t.Fatalf("before the reader predicts, the program's output is not folded away (all hidden: %s)", got)
	}
	if tb.js(`String(!!`+q+`.parentElement.querySelector("button.show-output"))`) != "true" {
		t.Error("no way to see the output without predicting")
	}

	// The reader says a escapes, and runs the program.
	tb.js(q + `.querySelector('input[value="yes"]').click(); "answered"`)
	tb.js(block + `.querySelector("button.run").click(); "clicked"`)
	tb.waitJS("the answer is compared with the measurement", q+`.dataset.right`)
	if got, want := tb.js(q+`.querySelector(".prediction-verdict").textContent`), "You said yes; the compiler says no."; got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}
	if tb.js(q+`.dataset.right`) != "false" {
		t.Errorf("a wrong prediction: data-right %s", tb.js(q+`.dataset.right`))
	}
	if got := tb.js(`String(` + outputs + `.every((o) => !o.hidden))`); got != "true" {
		t.Error("once compared, the program's output stays folded")
	}
	tb.screenshot("lesson-prediction")

	p, err := ts.ws.Progress()
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.LessonPrediction("escape", "a-escapes"); pr == nil || pr.Answer != "yes" || pr.Measured != "no" || pr.Right {
		t.Fatalf("the progress keeps %+v, want yes against no", pr)
	}
}
